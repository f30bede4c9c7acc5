/**
 * Stage 3, merge: the inferred schemas + the schemas already in `schemas/` → the schemas
 * to write, and the list of changes.
 *
 * The existing file is the base, merged node by node (keywords.ts). Inference owns a few keywords
 * (`type`, `format`, `required`, `properties`, `items`, `additionalProperties`, `description`,
 * `deprecated`, `x-eventgen`; at the top also `$schema`, `$id`, `title`, `examples`). An owned keyword is refreshed only where the file still holds what
 * eventgen inferred last time (see previous.ts); anything a person changed or added
 * (an `enum`, a `pattern`, a `description`, bounds, a narrower `format`, …) is kept. And
 * inference only widens: types are joined, a format a new sample breaks is dropped, a
 * field no longer in every sample stops being required, new fields come in optional. It
 * never removes a property or a schema; a field now in every sample is only reported.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { hoistShared } from '../infer/defs.ts';
import type { Change, EventSchema, JsonSchema, SchemaSet } from '../ir.ts';
import { SHARED_DEFS_FILE } from '../ir.ts';
import { splitPointer } from '../pointer.ts';
import { decodeXEventgen } from '../x-eventgen.ts';
import { eventRenames, historyChanges } from './history.ts';
import { inline } from './inline.ts';
import { mergeNode } from './keywords.ts';

/** The schema files found in the schemas directory, by file name. */
export type ExistingSchemas = ReadonlyMap<string, string>;

export function parseExisting(
  files: ExistingSchemas,
  dir: string,
): { schemas: Map<string, JsonSchema>; diagnostics: Diagnostic[] } {
  const schemas = new Map<string, JsonSchema>();
  const diagnostics: Diagnostic[] = [];
  for (const [name, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
      const schema = value as JsonSchema;
      for (const problem of decodeXEventgen(schema)) {
        diagnostics.push(
          diagnostic(
            'W_X_EVENTGEN',
            problem.message,
            { file: `${dir}/${name}`, line: lineOf(text, problem.pointer) },
            problem.pointer,
          ),
        );
      }
      schemas.set(name, schema);
    } catch (error) {
      const position = /position (\d+)/.exec(String(error));
      const line = position ? text.slice(0, Number(position[1])).split('\n').length : 1;
      diagnostics.push(
        diagnostic('E_SCHEMA_READ', `cannot read schema: ${(error as Error).message}`, { file: `${dir}/${name}`, line }),
      );
    }
  }
  return { schemas, diagnostics };
}

/** The line of the value `pointer` points at in the JSON `text`. */
function lineOf(text: string, pointer: string): number {
  const node = findNodeAtLocation(parseTree(text) ?? { type: 'null', offset: 0, length: 0 }, splitPointer(pointer));
  return text.slice(0, node?.offset ?? 0).split('\n').length;
}

/** Splits the existing files into event schemas (by file name) and the shared definitions. */
export function existingSet(existing: ReadonlyMap<string, JsonSchema>): SchemaSet {
  const events: EventSchema[] = [];
  for (const [fileName, schema] of existing) {
    if (fileName === SHARED_DEFS_FILE) continue;
    const eventType = schema['x-eventgen']?.eventType ?? schema.title;
    if (typeof eventType === 'string') events.push({ eventType, fileName, schema });
  }
  const shared = (existing.get(SHARED_DEFS_FILE)?.$defs ?? {}) as Record<string, JsonSchema>;
  return { events, shared };
}

/**
 * @param existing what `schemas/` holds (E)
 * @param previous inference over E's own examples (P): what eventgen wrote last time
 * @param inferred inference over the docs now (N)
 */
export function merge(
  existing: SchemaSet,
  previous: SchemaSet,
  inferred: SchemaSet,
): { schemas: SchemaSet; changes: Change[]; curated: string[] } {
  const changes: Change[] = [];
  const curated: string[] = [];
  const byType = (set: SchemaSet) =>
    new Map(set.events.map((e) => [e.eventType, { ...e, schema: inline(e.schema, set.shared) }]));
  const e = byType(existing);
  const p = byType(previous);
  const n = byType(inferred);
  const merged: EventSchema[] = [];
  for (const eventType of [...new Set([...e.keys(), ...n.keys()])].sort()) {
    const base = e.get(eventType);
    const next = n.get(eventType);
    if (!base && next) {
      changes.push({ eventType, kind: 'event-added', detail: '' }, ...historyChanges(eventType, undefined, next.schema));
      merged.push(next);
    } else if (base && !next) {
      // A doc that disappears deletes nothing; the event is reported once, when its samples go.
      if (p.has(eventType) && (p.get(eventType)?.schema.examples ?? []).length > 0 && stillCarriesSources(base.schema)) {
        changes.push({ eventType, kind: 'event-undocumented', detail: 'no doc shows it any more' });
      }
      merged.push({ ...base, schema: withoutSources(base.schema) });
    } else if (base && next) {
      const schema = mergeNode(base.schema, p.get(eventType)?.schema, next.schema, '', { eventType, changes, curated });
      merged.push({ ...base, schema });
      changes.push(...historyChanges(eventType, base.schema, schema));
    }
  }
  changes.push(...eventRenames(merged, changes));
  const data = merged.map((m) => ({ eventType: m.eventType, schema: m.schema }));
  const shared = hoistShared(data);
  return {
    schemas: { events: merged.map((m, i) => ({ ...m, schema: data[i]?.schema ?? m.schema })), shared },
    changes,
    curated: curated.sort(),
  };
}

function stillCarriesSources(schema: JsonSchema): boolean {
  return (schema['x-eventgen']?.sources ?? []).length > 0;
}

/** An undocumented event keeps its schema; its provenance no longer points at docs that are gone. */
function withoutSources(schema: JsonSchema): JsonSchema {
  const meta = schema['x-eventgen'];
  return meta ? { ...schema, 'x-eventgen': { ...meta, sources: [] } } : schema;
}
