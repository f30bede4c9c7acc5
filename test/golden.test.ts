/**
 * Golden output: every file `generate` writes for the shipped docs, compared with
 * the committed snapshots under test/__golden__/. In CI a missing snapshot fails;
 * locally `vitest -u` rewrites them for review.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { readSchemaDir } from '../generator/write/store.ts';
import { ROOT, run, shippedDocs } from './helpers.ts';

const result = await run(shippedDocs());

describe('golden output for docs/', () => {
  it.each([...result.schemas.keys()])('schemas/%s', async (file) => {
    await expect(result.schemas.get(file)).toMatchFileSnapshot(`__golden__/schemas/${file}`);
  });
  it.each([...result.generated.keys()])('generated/%s', async (file) => {
    await expect(result.generated.get(file)).toMatchFileSnapshot(`__golden__/generated/${file}`);
  });
  it.each([...result.catalog.keys()])('catalog/%s', async (file) => {
    await expect(result.catalog.get(file)).toMatchFileSnapshot(`__golden__/catalog/${file}`);
  });
  it.each([...result.skeletons.keys()])('handlers/%s (written once into the application)', async (file) => {
    await expect(result.skeletons.get(file)).toMatchFileSnapshot(`__golden__/handlers/${file}`);
  });

  it('is deterministic and leaves its input untouched', async () => {
    const docs = shippedDocs();
    const before = JSON.stringify(docs);
    const again = await run(docs);
    expect(JSON.stringify(docs)).toBe(before);
    expect([...again.schemas]).toEqual([...result.schemas]);
    expect([...again.generated]).toEqual([...result.generated]);
    expect([...again.skeletons]).toEqual([...result.skeletons]);
    expect([...again.catalog]).toEqual([...result.catalog]);
  });

  it('reads its own schemas back without changing them (idempotent)', async () => {
    const again = await run(shippedDocs(), result.schemas);
    expect([...again.schemas]).toEqual([...result.schemas]);
    expect([...again.generated]).toEqual([...result.generated]);
  });
});

describe('the committed output', async () => {
  // `npm run generate` on a fresh clone must leave `git status` clean: run it as the CLI does, on what is committed.
  const release = new Map(
    ['package.json', 'CHANGELOG.md'].map((f) => [f, readFileSync(path.join(ROOT, 'generated', f), 'utf8')]),
  );
  const committed = await run(shippedDocs(), readSchemaDir(path.join(ROOT, 'schemas')), release);
  it.each([
    ['schemas', committed.schemas],
    ['generated', committed.generated],
    ['catalog', committed.catalog],
  ] as const)('%s/ is current with docs/', (dir, files) => {
    for (const [file, contents] of files) {
      expect(readFileSync(path.join(ROOT, dir, file), 'utf8'), `${dir}/${file} is stale: run npm run generate`).toBe(contents);
    }
  });
});

describe('formatting', () => {
  // Only data.ts goes through prettier at generate time; the templates are kept formatted instead.
  // Every TypeScript module but validators.ts and fixtures.ts, which grow with the events and are printed as
  // their templates are formatted; the runtime modules (runtime/*.ts) are kept formatted where they stand.
  const formatted = [...result.generated.keys()]
    .filter((f) => /^src\/[^/]+\.ts$/.test(f) && f !== 'src/validators.ts' && f !== 'src/fixtures.ts')
    .map((f) => f.slice('src/'.length, -'.ts'.length));
  it.each(formatted)('src/%s.ts is as prettier prints it', async (name) => {
    const source = result.generated.get(`src/${name}.ts`) ?? '';
    expect(await format(source, { parser: 'typescript', singleQuote: true, printWidth: 110 })).toBe(source);
  });
});
