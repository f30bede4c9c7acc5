/**
 * src/data.ts: json-schema-to-typescript's declarations, formatted by prettier, and the cache that keeps
 * them between runs (write/cache.ts): a run with it writes the same bytes as a run without, cold or warm,
 * whatever state its entries are in.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forJstt, KeyTokens, printDeclaration } from '../../generator/emit/typescript.ts';
import { generate } from '../../generator/generate.ts';
import type { DocFile, JsonSchema, TextCache } from '../../generator/ir.ts';
import { cacheDirFor, diskCache } from '../../generator/write/cache.ts';
import { ROOT, removeDir, shippedDocs, tempDir } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});
function temp(): string {
  const dir = tempDir('eventgen-cache-');
  dirs.push(dir);
  return dir;
}

/** A cache that counts what it was asked and what it was given. */
function counting(cache: TextCache) {
  const counts = { hits: 0, misses: 0, sets: 0 };
  const wrapped: TextCache = {
    get(key) {
      const text = cache.get(key);
      if (text === undefined) counts.misses++;
      else counts.hits++;
      return text;
    },
    set(key, text) {
      counts.sets++;
      cache.set(key, text);
    },
  };
  return { cache: wrapped, counts };
}

async function dataTs(docs: readonly DocFile[], cache?: TextCache): Promise<string | undefined> {
  const result = await generate({
    docs,
    existingSchemas: new Map(),
    schemasDir: 'schemas',
    options: { locales: ['en', 'fr', 'ko'], packageName: 'eventgen-events', keepGoing: false },
    ...(cache ? { cache } : {}),
  });
  return result.generated.get('src/data.ts');
}

const GOLDEN = readFileSync(path.join(ROOT, 'test/__golden__/generated/src/data.ts'), 'utf8');
/** Interfaces of docs/: one per event type and per shared definition. */
const DECLARATIONS = (GOLDEN.match(/^export (interface|type) /gm) ?? []).length;
/**
 * The same cache keeps each page's reading (extract/cached.ts), one entry per doc, and ajv's part of the
 * validators module (emit/validators.ts), one entry, besides the declarations.
 */
const PAGES = shippedDocs().length;
const ENTRIES = DECLARATIONS + PAGES + 1;

describe('the declaration cache', () => {
  it('cold and warm runs write the same data.ts as a run without it; a warm run compiles nothing', async () => {
    const dir = temp();
    const cold = counting(diskCache(dir));
    expect(await dataTs(shippedDocs(), cold.cache)).toBe(GOLDEN);
    expect(cold.counts).toEqual({ hits: 0, misses: ENTRIES, sets: ENTRIES });
    expect(readdirSync(dir)).toHaveLength(ENTRIES);
    const warm = counting(diskCache(dir));
    expect(await dataTs(shippedDocs(), warm.cache)).toBe(GOLDEN);
    expect(warm.counts).toEqual({ hits: ENTRIES, misses: 0, sets: 0 });
    expect(await dataTs(shippedDocs())).toBe(GOLDEN);
  });

  it('after one doc changed, reads only that doc and compiles only the declaration that changed', async () => {
    const dir = temp();
    await dataTs(shippedDocs(), diskCache(dir));
    // A field more in one SMSReceived sample.
    const docs = shippedDocs().map((d) =>
      d.path.endsWith('event-grid-source.fr-FR.md')
        ? { ...d, text: d.text.replace('"MessageId": "Incoming_', '"Segments": 2, "MessageId": "Incoming_') }
        : d,
    );
    const changed = await dataTs(docs);
    expect(changed).toContain('Segments?: number;');
    const rerun = counting(diskCache(dir));
    expect(await dataTs(docs, rerun.cache)).toBe(changed);
    expect(rerun.counts).toEqual({ hits: ENTRIES - 2, misses: 2, sets: 2 });
  });

  it('ignores an entry that is truncated, edited or not JSON, and writes it again', async () => {
    const dir = temp();
    await dataTs(shippedDocs(), diskCache(dir));
    const [truncated, edited, garbage] = readdirSync(dir).map((f) => path.join(dir, f));
    const text = readFileSync(truncated as string, 'utf8');
    writeFileSync(truncated as string, text.slice(0, text.length / 2));
    const entry = JSON.parse(readFileSync(edited as string, 'utf8'));
    writeFileSync(edited as string, JSON.stringify({ ...entry, text: 'export type Injected = never;' }));
    writeFileSync(garbage as string, Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    const run = counting(diskCache(dir));
    expect(await dataTs(shippedDocs(), run.cache)).toBe(GOLDEN);
    expect(run.counts).toEqual({ hits: ENTRIES - 3, misses: 3, sets: 3 });
    const again = counting(diskCache(dir));
    await dataTs(shippedDocs(), again.cache);
    expect(again.counts.misses).toBe(0);
  });

  it('a cache that cannot be written, or is read-only, changes nothing in the output', async () => {
    const blocked = path.join(temp(), 'file');
    writeFileSync(blocked, 'not a folder');
    expect(await dataTs(shippedDocs(), diskCache(blocked))).toBe(GOLDEN);
    const dir = temp();
    expect(await dataTs(shippedDocs(), diskCache(dir, { readOnly: true }))).toBe(GOLDEN);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("lives in node_modules/.cache/eventgen of the project the working directory is in, or $CACHE_DIR's", () => {
    const project = temp();
    writeFileSync(path.join(project, 'package.json'), '{}');
    const nested = path.join(project, 'docs/a');
    mkdirSync(nested, { recursive: true });
    const expected = path.join(project, 'node_modules/.cache/eventgen');
    expect(cacheDirFor(nested, {})).toBe(expected);
    expect(existsSync(expected)).toBe(false); // made when the first entry is written
    expect(cacheDirFor(nested, { CACHE_DIR: '/var/cache/x' })).toBe('/var/cache/x/eventgen');
    expect(cacheDirFor('/', {})).toBeUndefined();
  });
});

describe('documented values in an array', () => {
  it('type the items, not the last member: (… | (string & {}))[]', async () => {
    const tokens = new KeyTokens();
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        channels: { type: 'array', items: { type: 'string', 'x-eventgen': { knownValues: ['Sms', 'Email'] } } },
        grid: {
          type: 'array',
          items: { type: 'array', items: { type: ['string', 'null'], 'x-eventgen': { knownValues: ['A'] } } },
        },
      },
    };
    const declaration = { name: 'Contact', file: 'x', schema: forJstt(schema, {}, new Map(), tokens), doc: 'A contact.', tokens };
    const text = await printDeclaration(declaration, []);
    expect(text).toContain("channels?: ('Sms' | 'Email' | (string & {}))[];");
    expect(text).toContain("grid?: ('A' | (string & {}) | null)[][];");
  });
});

describe('property names jstt cannot take', () => {
  it('are quoted as prettier quotes them, and never reach jstt', async () => {
    const tokens = new KeyTokens();
    const names = ['hasOwnProperty', '__proto__', 'a-b', "it's", 'class'];
    const schema: JsonSchema = {
      type: 'object',
      properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])),
      required: ['__proto__'],
    };
    const declaration = { name: 'Odd', file: 'x', schema: forJstt(schema, {}, new Map(), tokens), doc: 'Odd names.', tokens };
    const diagnostics: never[] = [];
    const text = await printDeclaration(declaration, diagnostics);
    expect(diagnostics).toEqual([]);
    for (const line of [
      'hasOwnProperty?: string;',
      '__proto__: string;',
      "'a-b'?: string;",
      `"it's"?: string;`,
      'class?: string;',
    ]) {
      expect(text).toContain(line);
    }
  });
});
