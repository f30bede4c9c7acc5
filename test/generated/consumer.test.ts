/**
 * A separate consumer project, made in a temp dir, installs the generated package by
 * file path, type-checks code that uses its guards, validateEvent and factories, and
 * runs it with node.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RUNTIME_VERSIONS } from '../../generator/emit/index.ts';
import { ROOT, removeDir, tempDir, tsc } from '../helpers.ts';

const dir = tempDir('eventgen-consumer-');

/** npm from the package cache when it can: the registry is the only network CI has. */
function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, encoding: 'utf8' });
}
afterAll(() => removeDir(dir));

const CONSUMER = `import {
  isAcsSmsReceivedEventData,
  makeAcsSmsReceivedEventGridEvent,
  makeBatch,
  makeCloudEvent,
  mutantsOf,
  validateEvent,
  validateEvents,
  type AnyEventGridEvent,
} from 'eventgen-events';

const event: AnyEventGridEvent = makeAcsSmsReceivedEventGridEvent({ data: { Message: 'hello' } }, { seed: 1 });
const outcome = validateEvent(event);
let from = '';
if (outcome.kind === 'valid' && isAcsSmsReceivedEventData(event.data)) from = event.data.From ?? '';
const unknown: unknown = JSON.parse(JSON.stringify(event.data));
const guarded = isAcsSmsReceivedEventData(unknown) ? (unknown.Message ?? '') : 'not sms';
const batch = validateEvents(makeBatch('Microsoft.Communication.ChatMessageReceived', 3, { envelope: 'cloudevents' }));
const invalid = validateEvent({ ...makeCloudEvent('Microsoft.Communication.SMSReceived'), data: { From: 1 } });
console.log(JSON.stringify({
  kind: outcome.kind,
  from,
  guarded,
  batch: batch.ok,
  invalid: invalid.kind === 'invalid' ? invalid.errors.map((e) => e.path) : [],
  mutants: mutantsOf('Microsoft.Communication.SMSReceived').length,
}));
`;

it('installs the package by path, type-checks and runs code that uses it', () => {
  const pkg = path.join(dir, 'pkg');
  cpSync(path.join(ROOT, 'generated'), pkg, {
    recursive: true,
    filter: (f) => !/node_modules|dist/.test(path.relative(ROOT, f)),
  });
  // What a user does in the vendored folder: install its (dev) dependencies, then build it.
  npm(['install'], pkg);
  npm(['run', 'build'], pkg);

  const app = path.join(dir, 'app');
  cpSync(path.join(ROOT, 'test/fixtures/consumer'), app, { recursive: true });
  writeFileSync(path.join(app, 'index.ts'), CONSUMER);
  npm(['install', '--install-links', '../pkg'], app);
  tsc(['-p', 'tsconfig.json'], app);
  const output = execFileSync(process.execPath, ['dist/index.js'], { cwd: app, encoding: 'utf8' });
  expect(JSON.parse(output)).toEqual({
    kind: 'valid',
    from: '15555555555',
    guarded: 'hello',
    batch: true,
    // Nothing is required (no doc says so); a field of the wrong type is an error at its path.
    invalid: ['/data/From'],
    mutants: expect.any(Number),
  });
});

it('declares the runtime the validators import, at the versions eventgen validates with', () => {
  const generated = JSON.parse(readFileSync(path.join(ROOT, 'generated/package.json'), 'utf8'));
  const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  // Each at the version eventgen validates with; ajv only when the compiled code needs its runtime helpers.
  for (const [name, version] of Object.entries(generated.dependencies)) expect(version).toBe(RUNTIME_VERSIONS[name]);
  expect(generated.dependencies['ajv-formats']).toBe(RUNTIME_VERSIONS['ajv-formats']);
  for (const [name, version] of Object.entries(RUNTIME_VERSIONS)) expect(own.dependencies[name]).toBe(version);
  const compiled = readFileSync(path.join(ROOT, 'generated/src/validators.compiled.js'), 'utf8');
  expect(compiled).not.toMatch(/\brequire\(/);
  const importsOf = (code: string) => [...code.matchAll(/^import .* from ["']([^"']+)["'];$/gm)].map((m) => m[1]);
  // The schemas of docs/ need no ajv runtime helper (lengths are `.length`): only the format checks, which
  // formats.js (generator/formats.mjs) takes from ajv-formats but date-time and uuid. No schema compiler is loaded.
  expect(importsOf(compiled)).toEqual(['./formats.js']);
  expect(importsOf(readFileSync(path.join(ROOT, 'generated/src/formats.js'), 'utf8'))).toEqual(['ajv-formats/dist/formats.js']);
});
