import { readdirSync, readFileSync } from 'node:fs';
import { format } from 'prettier';
import { emit } from './generator/emit/index.ts';
import { compileValidators } from './generator/emit/validators.ts';
import { extract } from './generator/extract/index.ts';
import { infer } from './generator/infer/index.ts';
import { existingSet, merge } from './generator/merge/index.ts';
import { findConflicts } from './generator/report/conflicts.ts';

const dir = process.argv[2]!;
const docs = readdirSync(dir).map((f) => ({ path: f, text: readFileSync(`${dir}/${f}`, 'utf8') }));
let t = performance.now();
const lap = (name: string) => {
  const now = performance.now();
  console.log(name, (now - t).toFixed(0), 'ms');
  t = now;
};
const { extraction } = extract(docs);
lap('extract');
const { schemas } = infer(extraction, { locales: ['en'] });
lap('infer');
const prev = infer({ samples: [], rawSampleCount: 0, descriptions: [], docsRead: 0 }, { locales: ['en'] }).schemas;
lap('infer-prev');
const merged = merge(existingSet(new Map()), prev, schemas);
lap('merge');
findConflicts(merged.schemas, extraction.samples);
lap('conflicts');
compileValidators(new Map(merged.schemas.events.map((e, i) => [`T${i}`, e.schema])), merged.schemas.shared);
lap('ajv standalone');
const out = await emit(merged.schemas, { packageName: 'x' });
lap('emit total');
for (const [f, c] of out.files) {
  const s = performance.now();
  await format(c, { parser: f.endsWith('.ts') ? 'typescript' : f.endsWith('.json') ? 'json' : 'markdown' });
  const d = performance.now() - s;
  if (d > 50) console.log('  prettier', f, c.length, d.toFixed(0), 'ms');
}
t = performance.now();
