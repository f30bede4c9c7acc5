/**
 * The run cache (write/cache.ts) keeps each page's reading (extract/cached.ts) and ajv's part of the validators
 * module (emit/validators.ts), and is filed under eventgen's own
 * code hash: a run through it, cold, warm, after a doc changed or with its entries damaged, gives what a run
 * without it gives, file for file and diagnostic for diagnostic.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extract } from '../../generator/extract/index.ts';
import { type GenerateResult, generate } from '../../generator/generate.ts';
import type { DocFile, TextCache } from '../../generator/ir.ts';
import { codeHash, diskCache, hashCode } from '../../generator/write/cache.ts';
import { ROOT, removeDir, shippedDocs, tempDir } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});
function temp(): string {
  const dir = tempDir('eventgen-page-cache-');
  dirs.push(dir);
  return dir;
}

const run = (docs: readonly DocFile[], cache?: TextCache) =>
  generate({
    docs,
    existingSchemas: new Map(),
    schemasDir: 'schemas',
    options: { locales: ['en', 'fr', 'ko'], packageName: 'eventgen-events', keepGoing: false },
    ...(cache ? { cache } : {}),
  });

/** What a run writes and says. */
const outcome = (r: GenerateResult) => ({
  schemas: [...r.schemas],
  generated: [...r.generated],
  catalog: [...r.catalog],
  skeletons: [...r.skeletons],
  changes: r.changes,
  diagnostics: r.diagnostics,
  stats: r.stats,
});

/** A field more in one SMSReceived sample. */
const edited = (docs: DocFile[]) =>
  docs.map((d) =>
    d.path.endsWith('event-grid-source.fr-FR.md')
      ? { ...d, text: d.text.replace('"MessageId": "Incoming_', '"Segments": 2, "MessageId": "Incoming_') }
      : d,
  );

describe('the page cache', () => {
  it('cold, warm and after a doc changed, a run writes and reports what a run without the cache does', async () => {
    const dir = temp();
    const uncached = outcome(await run(shippedDocs()));
    expect(outcome(await run(shippedDocs(), diskCache(dir)))).toEqual(uncached);
    expect(outcome(await run(shippedDocs(), diskCache(dir)))).toEqual(uncached);
    const changed = outcome(await run(edited(shippedDocs())));
    expect(changed.generated).not.toEqual(uncached.generated);
    expect(outcome(await run(edited(shippedDocs()), diskCache(dir)))).toEqual(changed);
  });

  it('gives the samples, tables and diagnostics of reading the pages, and reads again only a changed page', () => {
    const dir = temp();
    const docs = shippedDocs();
    const plain = extract(docs);
    const read: string[] = [];
    const cache = diskCache(dir);
    const watching: TextCache = {
      get: (key) => cache.get(key),
      set(key, text) {
        read.push(key);
        cache.set(key, text);
      },
    };
    expect(extract(docs, watching)).toEqual(plain);
    expect(read).toHaveLength(docs.length);
    read.length = 0;
    const warm = extract(docs, watching);
    expect(warm).toEqual(plain);
    // Diagnostics in the same order, and the table keys a Set again.
    expect(warm.diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual(
      plain.diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`),
    );
    expect(read).toEqual([]);
    extract(edited(docs), watching);
    expect(read).toHaveLength(1);
  });

  it("recomputes a page's or ajv's entry of another shape", async () => {
    const dir = temp();
    const uncached = outcome(await run(shippedDocs()));
    await run(shippedDocs(), diskCache(dir));
    for (const file of readdirSync(dir)) {
      const full = path.join(dir, file);
      const entry = JSON.parse(readFileSync(full, 'utf8'));
      if (!entry.text.startsWith('{')) continue; // a declaration: test/emit/typescript.test.ts
      // Whole entries (their hash matches their text) whose text is not what the stage stores.
      const text = '{"read":{"samples":[]},"diagnostics":[],"code":1,"imports":[],"locals":[]}';
      const sha256 = createHash('sha256').update(text).digest('hex');
      writeFileSync(full, JSON.stringify({ ...entry, text, sha256 }));
    }
    expect(outcome(await run(shippedDocs(), diskCache(dir)))).toEqual(uncached);
  });

  it("files entries under eventgen's own code: the build's hash, or the sources' when run from them", () => {
    const built = readFileSync(path.join(ROOT, 'dist/code.sha256'), 'utf8').trim();
    expect(built).toBe(hashCode(path.join(ROOT, 'dist'), ROOT));
    expect(codeHash()).toBe(hashCode(path.join(ROOT, 'generator'), ROOT));
    expect(codeHash()).not.toBe(built);
  });
});
