/**
 * The generated package compiles with `tsc --strict --noUncheckedIndexedAccess` on its
 * own, and every documented sample's data type-checks against its generated interface.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DATA_DEPTH } from '../generator/extract/index.ts';
import type { GenerateResult } from '../generator/generate.ts';
import { eventDataTypeName } from '../generator/names.ts';
import { egEvent, fence, linkNodeModules, page, ROOT, removeDir, run, shippedDocs, tempDir, tsc, writeFiles } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

/** Writes the package plus `src/check.ts` and runs tsc on it; the handlers folder beside it is compiled too. */
function compile(result: GenerateResult, check: string): string {
  const root = tempDir();
  dirs.push(root);
  const dir = path.join(root, 'generated');
  writeFiles(dir, result.generated);
  writeFiles(path.join(root, 'handlers'), result.skeletons);
  linkNodeModules(dir);
  linkNodeModules(root);
  writeFileSync(path.join(dir, 'src/check.ts'), check);
  const output = tsc(['-p', 'tsconfig.json', '--noEmit', '--strict', '--noUncheckedIndexedAccess'], dir);
  // The application's handlers, as their own tsc run would see them (strict, exact optional properties).
  tsc(
    [
      ...['--noEmit', '--strict', '--exactOptionalPropertyTypes', '--module', 'NodeNext', '--moduleResolution', 'NodeNext'],
      ...['--target', 'ES2022', '--types', 'node', '--skipLibCheck', 'index.ts', 'server.ts'],
    ],
    path.join(root, 'handlers'),
  );
  return output;
}

/** A TypeScript module assigning each schema example to `EventDataMap[eventType]`. */
function samplesModule(result: GenerateResult): string {
  const lines = ["import type { EventDataMap } from './index.js';"];
  let i = 0;
  for (const [file, text] of result.schemas) {
    const schema = JSON.parse(text);
    if (file === 'shared.defs.json') continue;
    for (const example of schema.examples) {
      lines.push(
        `export const sample${i++}: EventDataMap[${JSON.stringify(schema.title)}] = ${JSON.stringify(example, null, 2)};`,
      );
    }
  }
  return lines.join('\n');
}

describe('the generated package', async () => {
  const result = await run(shippedDocs());

  it('compiles, and every doc sample type-checks against its interface', () => {
    const module = samplesModule(result);
    expect(module.match(/export const sample/g)).toHaveLength(13);
    compile(result, module);
  });

  it('rejects data that does not match (the check can fail)', () => {
    const wrong = `import type { AcsSmsReceivedEventData } from './index.js';
export const bad: AcsSmsReceivedEventData = { MessageId: 1, From: 'a', To: 'b', Message: 'c', ReceivedTimestamp: 'd' };`;
    expect(() => compile(result, wrong)).toThrow(/check.ts\(2,47\): error TS2322/);
  });

  it('types envelopes and the event map for narrowing', () => {
    const usage = `import type { AnyEvent, AnyEventGridEvent, CloudEventOf, EventType } from './index.js';
import { EVENT_TYPES } from './index.js';
export function subjectOf(e: AnyEventGridEvent): string {
  if (e.eventType === 'Microsoft.Communication.SMSReceived') return \`\${e.data.From ?? ''}\${e.data.ReceivedTimestamp ?? ''}\`;
  if (e.eventType === 'Microsoft.Communication.ChatThreadCreatedWithUser') return (e.data.members ?? []).map((m) => m.displayName).join();
  return e.subject;
}
export const ce: CloudEventOf<'Microsoft.Communication.UserDisconnected'> = {
  specversion: '1.0', id: '1', source: '/x', type: 'Microsoft.Communication.UserDisconnected',
  data: { userCommunicationIdentifier: { rawId: 'r', communicationUser: { id: 'i' } } },
};
export const all: readonly EventType[] = EVENT_TYPES;
export const any: AnyEvent[] = [ce];`;
    compile(result, usage);
  });
});

describe('a package from awkward input', () => {
  it('compiles with property names like __proto__, class, a-b and */', async () => {
    const { readFileSync } = await import('node:fs');
    const file = path.join(import.meta.dirname, 'fixtures/hostile-docs/hostile.md');
    const result = await run([{ path: 'hostile.md', text: readFileSync(file, 'utf8') }]);
    expect(result.stats.errors).toBe(0);
    compile(
      result,
      `import type { ContosoWeirdThingHappenedEventData as D } from './index.js';
export const d: D = { ['__proto__']: { polluted: true }, constructor: 'c', class: 1, 'a-b': 'x', '*/ evil': 'y', prototype: [], '0digit': false, nested: { toString: 'x', hasOwnProperty: 2 } };`,
    );
  });
});

describe('a package whose names are random', () => {
  // Event-type segments and property names of letters, digits, `_` and `-`, as event types allow: `Sha256sum`,
  // `md5_hash`, `x-9y`. Each event shares its nested object with the next, so shared definitions are named too.
  const segment = fc
    .tuple(fc.constantFrom(...'abcdefghSXZ'), fc.string({ unit: fc.constantFrom(...'aZs9_-0bQ'), maxLength: 10 }))
    .map(([first, rest]) => first + rest);
  const names = fc.uniqueArray(fc.tuple(segment, segment, segment), {
    minLength: 30,
    maxLength: 30,
    // Apart whatever their case (names differing only in case are refused, see test/cli.test.ts), shared properties too.
    selector: ([p, q, r]) => `${eventDataTypeName(`Contoso.${p}.${r}`).toLowerCase()} ${q.toLowerCase()}`,
  });

  it('compiles: every file names each type as data.ts declares it (one tsc run, 30 random names)', async () => {
    const [picked = []] = fc.sample(names, { numRuns: 1, seed: 20_251_208 });
    const events = picked.map(([p, q, r], i) => {
      const next = (picked[(i + 1) % picked.length] as [string, string, string])[1];
      return egEvent(`Contoso.${p}.${r}`, { id: 'x', [`p${q}`]: { inner: i }, [`p${next}`]: { inner: i }, [q]: 'v' });
    });
    const result = await run([{ path: 'random.md', text: page(fence(events)) }]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.stats.eventTypes).toBe(events.length);
    // The names hold what jstt rewrites: a lower-case letter after a digit, a `_` before one.
    expect(picked.some(([, q, r]) => /\d[a-z]/.test(r) && /_[a-z]|\d[a-z]/.test(q))).toBe(true);
    expect(result.schemas.has('shared.defs.json')).toBe(true);
    compile(result, "import type { EventDataMap } from './index.js';\nexport type All = EventDataMap[keyof EventDataMap];");
  });
});

describe('a package from extreme shapes', () => {
  const deep = (levels: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
    return value;
  };
  const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i % 2 ? 'x' : { n: i }]));

  it('compiles with data nested as deep as eventgen accepts, and with 500 keys in one object', async () => {
    const result = await run([
      {
        path: 'x.md',
        text: page(fence([egEvent('Contoso.Deep.Thing', deep(MAX_DATA_DEPTH)), egEvent('Contoso.Wide.Thing', wide)])),
      },
    ]);
    expect(result.stats.errors).toBe(0);
    expect(result.generated.has('src/validators.compiled.ts')).toBe(false);
    compile(result, 'export {};');
  });

  it('stops with an error naming the sample when data is nested deeper: the package would not compile', async () => {
    const result = await run([{ path: 'x.md', text: page(fence([egEvent('Contoso.Deep.Thing', deep(MAX_DATA_DEPTH + 1))])) }]);
    expect(result.diagnostics.filter((d) => d.code === 'E_TOO_DEEP')).toEqual([
      expect.objectContaining({ file: 'x.md', line: 9, severity: 'error' }),
    ]);
  });
});

describe('the README', () => {
  it('has TypeScript examples that type-check against the generated package', async () => {
    const { readFileSync, mkdirSync } = await import('node:fs');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const dir = tempDir();
    dirs.push(dir);
    // The package as the current templates and runtime/ generate it (generated/ is regenerated separately).
    writeFiles(dir, (await run(shippedDocs())).generated);
    linkNodeModules(dir);
    mkdirSync(path.join(dir, 'examples'));
    const files = blocks.map((code, i) => {
      const file = `examples/readme-${i}.ts`;
      // Names the snippets use without declaring them.
      const prelude =
        'declare const body: string;\ndeclare const data: unknown;\ndeclare function route(event: unknown): void;\ndeclare function skip(type: string): void;\ndeclare function log(errors: unknown): void;\nexport {};\n';
      writeFileSync(
        path.join(dir, file),
        prelude + code.replaceAll("'./generated/src/", "'../src/").replaceAll('"eventgen-events"', "'../src/index.js'"),
      );
      return file;
    });
    tsc(
      [
        '--noEmit',
        '--strict',
        '--module',
        'NodeNext',
        '--moduleResolution',
        'NodeNext',
        '--target',
        'ES2022',
        '--types',
        'node',
        '--skipLibCheck',
        ...files,
      ],
      dir,
    );
  });
});
