/** The validator compilation on a worker thread gives exactly what the same compilation gives in-thread. */
import { expect, it } from 'vitest';
import { corpusPages } from '../../bench/corpus.ts';
import { compileOnWorker, compileValidators, compileValidatorsInParallel } from '../../generator/emit/validators.ts';
import { extract } from '../../generator/extract/index.ts';
import { infer } from '../../generator/infer/index.ts';

it('compiles 250 event types on a worker thread, byte for byte as in-thread', async () => {
  const docs = [...corpusPages(250)].map(([path, text]) => ({ path, text }));
  const { schemas } = infer(extract(docs).extraction, { locales: ['en'] });
  const events = new Map(schemas.events.map((e, i) => [`Event${i}`, e.schema]));
  const inThread = compileValidators(events, schemas.shared);
  const onWorker = await compileOnWorker(events, schemas.shared);
  expect(onWorker.code.length).toBeGreaterThan(100_000);
  expect(onWorker).toEqual(inThread);
  expect(await compileValidatorsInParallel(events, schemas.shared)).toEqual(inThread);
});
