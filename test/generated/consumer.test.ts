/**
 * The three ways to vendor the generated package, each in a separate consumer project made in a temp
 * dir (README "Vendoring the package"): the folder copied into the application and built there, a workspace
 * package, and a tarball made by `npm pack` and installed offline. Each project type-checks code that
 * uses the guards, validateEvent, the factories and the webhook, and runs it with node. The package is
 * generated from the current templates and runtime/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_VERSIONS } from '../../generator/emit/index.ts';
import { linkNodeModules, ROOT, removeDir, run, shippedDocs, tempDir, tsc, writeFiles } from '../helpers.ts';

const dir = tempDir('eventgen-consumer-');

/** npm from the package cache when it can: the registry is the only network CI has. */
function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, encoding: 'utf8' });
}
afterAll(() => removeDir(dir));

/** The consumer's code; `from` is how it imports the package's root and `sub(name)` one entry point. */
const consumer = (from: string, sub: (name: string) => string) => `import {
  isAcsSmsReceivedEventData,
  makeAcsSmsReceivedEventGridEvent,
  makeBatch,
  makeCloudEvent,
  mutantsOf,
  validateEvent,
  validateEvents,
  type AnyEventGridEvent,
} from '${from}';
import { createRouter } from '${sub('router')}';
import { createFetchHandler } from '${sub('webhook')}';

const event: AnyEventGridEvent = makeAcsSmsReceivedEventGridEvent({ data: { Message: 'hello' } }, { seed: 1 });
const outcome = validateEvent(event);
let from = '';
if (outcome.kind === 'valid' && isAcsSmsReceivedEventData(event.data)) from = event.data.From ?? '';
const unknown: unknown = JSON.parse(JSON.stringify(event.data));
const guarded = isAcsSmsReceivedEventData(unknown) ? (unknown.Message ?? '') : 'not sms';
const batch = validateEvents(makeBatch('Microsoft.Communication.ChatMessageReceived', 3, { envelope: 'cloudevents' }));
const invalid = validateEvent({ ...makeCloudEvent('Microsoft.Communication.SMSReceived'), data: { From: 1 } });
const handled: string[] = [];
const handler = createFetchHandler(
  createRouter({ 'Microsoft.Communication.SMSReceived': (e) => void handled.push(e.data.Message ?? '') }),
);
const response = await handler(
  new Request('http://localhost/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([event]) }),
);
console.log(JSON.stringify({
  kind: outcome.kind,
  from,
  guarded,
  batch: batch.ok,
  invalid: invalid.kind === 'invalid' ? invalid.errors.map((e) => e.path) : [],
  mutants: mutantsOf('Microsoft.Communication.SMSReceived').length,
  webhook: [response.status, ...handled],
}));
`;

const expected = {
  kind: 'valid',
  from: '15555555555',
  guarded: 'hello',
  batch: true,
  // Nothing is required (no doc says so); a field of the wrong type is an error at its path.
  invalid: ['/data/From'],
  mutants: expect.any(Number),
  webhook: [200, 'hello'],
};

/** A consumer project: package.json (ESM), tsconfig (strict), index.ts. */
function project(at: string, code: string, compilerOptions: Record<string, unknown> = {}, manifest: object = {}): void {
  mkdirSync(at, { recursive: true });
  const fixture = path.join(ROOT, 'test/fixtures/consumer');
  const base = JSON.parse(readFileSync(path.join(fixture, 'package.json'), 'utf8'));
  writeFileSync(path.join(at, 'package.json'), JSON.stringify({ ...base, ...manifest }, null, 2));
  const config = JSON.parse(readFileSync(path.join(fixture, 'tsconfig.json'), 'utf8'));
  writeFileSync(
    path.join(at, 'tsconfig.json'),
    JSON.stringify({ ...config, compilerOptions: { ...config.compilerOptions, ...compilerOptions } }, null, 2),
  );
  writeFileSync(path.join(at, 'index.ts'), code);
}

const runs = (cwd: string, script: string) => JSON.parse(execFileSync(process.execPath, [script], { cwd, encoding: 'utf8' }));

describe('vendoring the generated package', () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    files = (await run(shippedDocs())).generated;
  });

  it('1. copy the folder: built in place by its own build script, its dist imported by path', () => {
    const app = path.join(dir, 'copied');
    const events = path.join(app, 'vendor/events');
    writeFiles(events, files);
    // Its dev dependencies (TypeScript) and the application's dependencies (ajv-formats, jose, …) are installed.
    linkNodeModules(events);
    linkNodeModules(app);
    execFileSync('npm', ['run', '-s', 'build'], { cwd: events, encoding: 'utf8' });
    // src/index.ts → dist/index.js: both reach the package at ../vendor/events.
    project(
      app,
      consumer('../vendor/events/dist/index.js', (m) => `../vendor/events/dist/${m}.js`),
      { rootDir: 'src' },
    );
    mkdirSync(path.join(app, 'src'));
    writeFileSync(path.join(app, 'src/index.ts'), readFileSync(path.join(app, 'index.ts')));
    const config = JSON.parse(readFileSync(path.join(app, 'tsconfig.json'), 'utf8'));
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ ...config, files: ['src/index.ts'] }));
    tsc(['-p', 'tsconfig.json'], app);
    expect(runs(app, 'dist/index.js')).toEqual(expected);
  });

  it('2. a workspace package: npm links it, its build script builds it, the app imports its entry points', () => {
    const root = path.join(dir, 'workspace');
    writeFiles(path.join(root, 'packages/events'), files);
    project(
      path.join(root, 'app'),
      consumer('eventgen-events', (m) => `eventgen-events/${m}`),
      {},
      {
        name: 'app',
        dependencies: { 'eventgen-events': '*' },
      },
    );
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ name: 'eventgen-workspace', private: true, workspaces: ['packages/events', 'app'] }),
    );
    npm(['install'], root);
    npm(['run', 'build', '-w', 'eventgen-events'], root);
    tsc(['-p', 'tsconfig.json'], path.join(root, 'app'));
    expect(runs(path.join(root, 'app'), 'dist/index.js')).toEqual(expected);
  });

  it('3. a tarball: npm pack (which builds it) holds dist and no manifest of eventgen; it installs offline', () => {
    const events = path.join(dir, 'workspace/packages/events');
    const tarballs = path.join(dir, 'tarballs');
    mkdirSync(tarballs);
    npm(['pack', '--pack-destination', tarballs], events);
    const [tarball] = readdirSync(tarballs);
    expect(tarball).toMatch(/^eventgen-events-.*\.tgz$/);
    const listing = execFileSync('tar', ['-tzf', path.join(tarballs, tarball as string)], { encoding: 'utf8' });
    expect(listing).toContain('package/dist/webhook.js');
    expect(listing).toContain('package/dist/validators.compiled.js');
    expect(listing).not.toContain('.eventgen-manifest.json');
    expect(listing).toContain('package/asyncapi.json');
    const app = path.join(dir, 'tarball-app');
    project(
      app,
      consumer('eventgen-events', (m) => `eventgen-events/${m}`),
      {},
      { name: 'tarball-app' },
    );
    npm(['install', path.join(tarballs, tarball as string)], app);
    tsc(['-p', 'tsconfig.json'], app);
    expect(runs(app, 'dist/index.js')).toEqual(expected);
    // The AsyncAPI document is an export of its own.
    const contract = createRequire(path.join(app, 'package.json'))('eventgen-events/asyncapi.json');
    expect(contract.asyncapi).toBe('3.0.0');
  });
});

it('declares the runtime the validators import, at the versions eventgen validates with', () => {
  const generated = JSON.parse(readFileSync(path.join(ROOT, 'generated/package.json'), 'utf8'));
  const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  // Each at the version eventgen validates with; ajv only when the compiled code needs its runtime helpers.
  for (const [name, version] of Object.entries(generated.dependencies)) expect(version).toBe(RUNTIME_VERSIONS[name]);
  expect(generated.dependencies['ajv-formats']).toBe(RUNTIME_VERSIONS['ajv-formats']);
  // The runtime's own dependency (jose, for Entra ID) is a dev dependency here: the generator does not load it.
  for (const [name, version] of Object.entries(RUNTIME_VERSIONS))
    expect(own.dependencies[name] ?? own.devDependencies[name]).toBe(version);
  const compiled = readFileSync(path.join(ROOT, 'generated/src/validators.compiled.js'), 'utf8');
  expect(compiled).not.toMatch(/\brequire\(/);
  const importsOf = (code: string) => [...code.matchAll(/^import .* from ["']([^"']+)["'];$/gm)].map((m) => m[1]);
  // The schemas of docs/ need no ajv runtime helper (lengths are `.length`): only the format checks, which
  // formats.js (generator/formats.mjs) takes from ajv-formats but date-time and uuid. No schema compiler is loaded.
  expect(importsOf(compiled)).toEqual(['./formats.js']);
  expect(importsOf(readFileSync(path.join(ROOT, 'generated/src/formats.js'), 'utf8'))).toEqual(['ajv-formats/dist/formats.js']);
});
