/**
 * Real events the evidence allows must pass; type mutants must not. For every event type of
 * docs/ and of the public corpus, every documented sample is varied as a real service may
 * send it (see variation.ts) and checked by the generated validators and by ajv interpreting
 * the schemas, which must agree.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DocFile, JsonSchema } from '../generator/ir.ts';
import { inline } from '../generator/merge/inline.ts';
import { oracle } from './generated/oracle.ts';
import { corpusDocs, linkNodeModules, removeDir, run, shippedDocs, tempDir, writeFiles } from './helpers.ts';
import { variations } from './variation.ts';

type Validate = (value: unknown) => { ok: boolean; errors?: { path: string }[] };

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

/** Generates from `docs`, builds the package in a temp dir and returns its data validators and the schema files. */
async function build(docs: DocFile[]) {
  const result = await run(docs);
  expect(result.stats.errors).toBe(0);
  const dir = tempDir('eventgen-variation-');
  dirs.push(dir);
  writeFiles(dir, result.generated);
  writeFiles(dir, result.skeletons);
  linkNodeModules(dir);
  const validators = (await import(path.join(dir, 'src/validators.ts'))) as { dataValidators: Record<string, Validate> };
  const files = new Map([...result.schemas].map(([f, text]) => [f, JSON.parse(text) as JsonSchema]));
  return { validators: validators.dataValidators, files };
}

describe.each([
  ['docs/', shippedDocs],
  ['the public corpus', corpusDocs],
])('variations of every sample of %s', (_, docs) => {
  it('accepts every variant the evidence allows and rejects every type mutant at its path', async () => {
    const { validators, files } = await build(docs());
    const ajv = oracle(files);
    const shared = (files.get('shared.defs.json')?.$defs ?? {}) as Record<string, JsonSchema>;
    let accepted = 0;
    let rejected = 0;
    for (const [file, schema] of files) {
      if (file === 'shared.defs.json') continue;
      const eventType = String(schema.title);
      const validate = validators[eventType] as Validate;
      const inlined = inline(schema, shared);
      (schema.examples ?? []).forEach((example, i) => {
        const { accept, reject } = variations(example, inlined, i + 1);
        for (const variant of accept) {
          const verdict = validate(variant.data);
          expect(verdict.ok, `${eventType} ${variant.description}: ${JSON.stringify(verdict.errors)}`).toBe(true);
          expect(ajv.data(eventType, variant.data), `ajv: ${eventType} ${variant.description}`).toBe(true);
          accepted++;
        }
        for (const mutant of reject) {
          const verdict = validate(mutant.data);
          expect(verdict.ok, `${eventType} ${mutant.description}`).toBe(false);
          expect(
            verdict.errors?.map((e) => e.path),
            `${eventType} ${mutant.description}`,
          ).toContain(mutant.path);
          expect(ajv.data(eventType, mutant.data)).toBe(false);
          rejected++;
        }
      });
    }
    // The harness really ran: many variants and mutants per doc set.
    expect(accepted).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(50);
  });
});
