/**
 * The three ways to vendor the generated package, each in a separate consumer project made in a temp
 * dir, with the README's commands and nothing linked from this repository: the folder copied into the
 * application and built there, a workspace
 * package, and a tarball made by `npm pack` and installed offline. Each project type-checks code that
 * uses the guards, validateEvent, the factories and the webhook, and runs it with node. The package is
 * generated from the current templates and runtime/.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_VERSIONS } from '../../generator/emit/index.ts';
import { ROOT, removeDir, run, shippedDocs, tempDir, tsc, writeFiles } from '../helpers.ts';

const dir = tempDir('eventgen-consumer-');

const execFileAsync = promisify(execFile);

/** npm from the package cache when it can: the registry is the only network CI has. */
async function npm(args: string[], cwd: string): Promise<string> {
  return (await execFileAsync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, encoding: 'utf8' })).stdout;
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

const runs = async (cwd: string, script: string) =>
  JSON.parse((await execFileAsync(process.execPath, [script], { cwd, encoding: 'utf8' })).stdout);

/** Settled when way 1 is done with its copied folder, which way 3 packs (rebuilding its dist/). */
let copiedDone: () => void = () => {};
const copied = new Promise<void>((resolve) => {
  copiedDone = resolve;
});

// npm installs and tsc runs: minutes on a loaded 2-core machine, seconds on an idle one. The ways run at once (npm
// waits on the disk and the cache more than on the CPU); way 3 starts from way 1's folder once way 1 is done with it.
describe('vendoring the generated package', { timeout: 600_000, concurrent: true }, () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    files = (await run(shippedDocs())).generated;
  });

  it('1. copy the folder: the application installs it, its own build script builds it, nothing else linked', async () => {
    try {
      await copiedWay();
    } finally {
      copiedDone();
    }
  });
  async function copiedWay() {
    const app = path.join(dir, 'copied');
    const events = path.join(app, 'vendor/events');
    writeFiles(events, files);
    project(
      app,
      consumer('eventgen-events', (m) => `eventgen-events/${m}`),
      {},
      { name: 'copied-app' },
    );
    // The README's commands: the application depends on the folder (its dependencies come along), and
    // the folder builds its dist/ with its own dev dependency (TypeScript).
    await npm(['install', './vendor/events'], app);
    await npm(['install', '--prefix', 'vendor/events'], app);
    await npm(['run', 'build', '--prefix', 'vendor/events'], app);
    tsc(['-p', 'tsconfig.json'], app);
    expect(await runs(app, 'dist/index.js')).toEqual(expected);
  }

  it('2. a workspace package: npm links it, its build script builds it, the app imports its entry points', async () => {
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
    await npm(['install'], root);
    await npm(['run', 'build', '-w', 'eventgen-events'], root);
    tsc(['-p', 'tsconfig.json'], path.join(root, 'app'));
    expect(await runs(path.join(root, 'app'), 'dist/index.js')).toEqual(expected);
  });

  it('3. a tarball: npm pack of the folder (which builds it) holds dist and no manifest of eventgen; it installs offline', async () => {
    // The README's commands, in the application of way 1, whose copy already ran `npm install --prefix vendor/events`.
    await copied;
    const tarballs = path.join(dir, 'tarballs');
    mkdirSync(tarballs);
    rmSync(path.join(dir, 'copied/vendor/events/dist'), { recursive: true }); // so the tarball's dist/ is prepack's
    await npm(['pack', './vendor/events', '--pack-destination', tarballs], path.join(dir, 'copied'));
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
    await npm(['install', path.join(tarballs, tarball as string)], app);
    tsc(['-p', 'tsconfig.json'], app);
    expect(await runs(app, 'dist/index.js')).toEqual(expected);
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
