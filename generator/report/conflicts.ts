/**
 * Curated conflicts: documented samples that the merged schemas reject. Inference only
 * widens, so a rejection comes from something a person set in `schemas/` (an enum, a
 * required field, a narrower type or format) that the docs now contradict.
 */
import type { ErrorObject } from 'ajv';
import { createAjv, forAjv } from '../ajv.ts';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { canonical } from '../infer/defs.ts';
import { isPlaceholder } from '../infer/formats.ts';
import type { Change, JsonSchema, Sample, SchemaSet } from '../ir.ts';
import { SHARED_DEFS_FILE } from '../ir.ts';
import { inline } from '../merge/inline.ts';
import { valueAt } from '../pointer.ts';

/**
 * @param set the merged schemas
 * @param inferred the schemas inferred from the same samples: an event whose merged schema
 *   validates exactly like it (nothing curated, nothing kept) cannot conflict and is not compiled
 */
export function findConflicts(
  set: SchemaSet,
  samples: readonly Sample[],
  inferred: SchemaSet,
): { changes: Change[]; diagnostics: Diagnostic[] } {
  const plain = new Map(inferred.events.map((e) => [e.eventType, fingerprint(e.schema, inferred.shared)]));
  const suspects = set.events.filter((e) => plain.get(e.eventType) !== fingerprint(e.schema, set.shared));
  if (suspects.length === 0) return { changes: [], diagnostics: [] };
  const ajv = createAjv({ standalone: false });
  ajv.addSchema(forAjv({ $id: SHARED_DEFS_FILE, $defs: set.shared }) as object);
  const byType = new Map(suspects.map((e) => [e.eventType, e]));
  const changes: Change[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const sample of samples) {
    const event = byType.get(sample.eventType);
    if (!event) continue;
    const validate = ajv.getSchema(String(event.schema.$id)) ?? ajv.compile(forAjv(event.schema) as object);
    if (!validate(sample.data)) reportErrors(sample, validate.errors ?? [], changes, diagnostics);
  }
  return { changes, diagnostics };
}

/** Each error of a documented sample as a curated conflict (a placeholder value stands for a real one: not an error). */
function reportErrors(sample: Sample, errors: readonly ErrorObject[], changes: Change[], diagnostics: Diagnostic[]): void {
  const source = sample.sources[0];
  for (const error of errors) {
    const value = valueAt(sample.data, error.instancePath);
    if (typeof value === 'string' && isPlaceholder(value)) continue; // `{thread-id}` stands for a real value
    const missing = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : '';
    const field = `${error.instancePath}${missing}` || '/';
    const detail = `a documented sample breaks its curated "${error.keyword}" (${error.message ?? 'invalid'})`;
    changes.push({
      eventType: sample.eventType,
      kind: 'curated-conflict',
      field,
      detail,
      ...(source ? { source: { file: source.file, line: source.line } } : {}),
    });
    if (source) diagnostics.push(diagnostic('W_CURATED_CONFLICT', `${sample.eventType} ${field}: ${detail}`, source, field));
  }
}

/** What decides a verdict: the schema with shared definitions inlined, without annotations. */
function fingerprint(schema: JsonSchema, shared: Readonly<Record<string, JsonSchema>>): string {
  return canonical(forAjv(inline(schema, shared)));
}
