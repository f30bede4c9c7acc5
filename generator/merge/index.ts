/**
 * Stage 3, merge: the inferred schemas + the schemas already in `schemas/` → the
 * schemas to write.
 *
 * The existing file is the base. What inference produces (types, formats,
 * properties, required, items, examples, provenance under `x-eventgen`) is refreshed
 * from the docs; every other keyword a person added (an `enum`, a `pattern`, a field
 * `description`, `x-eventgen-typeName`, …) is kept, at any depth, and so are
 * properties and whole schemas the docs no longer show.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { EventSchema, JsonSchema, SchemaSet } from '../ir.ts';
import { SHARED_DEFS_FILE } from '../ir.ts';

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
      schemas.set(name, value as JsonSchema);
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

export function merge(existing: ReadonlyMap<string, JsonSchema>, inferred: SchemaSet): SchemaSet {
  const events = new Map<string, EventSchema>();
  for (const event of inferred.events) {
    const base = existing.get(event.fileName);
    events.set(event.fileName, { ...event, schema: base ? mergeSchema(base, event.schema) : event.schema });
  }
  // Schemas whose event is no longer documented stay: a disappearing doc deletes nothing.
  for (const [fileName, schema] of existing) {
    if (fileName === SHARED_DEFS_FILE || events.has(fileName)) continue;
    const meta = schema['x-eventgen'] as { eventType?: unknown } | undefined;
    const eventType = typeof meta?.eventType === 'string' ? meta.eventType : schema.title;
    if (typeof eventType === 'string') events.set(fileName, { eventType, fileName, schema });
  }
  const baseShared = (existing.get(SHARED_DEFS_FILE)?.$defs ?? {}) as Record<string, JsonSchema>;
  const shared: Record<string, JsonSchema> = {};
  for (const name of [...new Set([...Object.keys(baseShared), ...Object.keys(inferred.shared)])].sort()) {
    const base = baseShared[name];
    const next = inferred.shared[name];
    shared[name] = base && next ? mergeSchema(base, next) : ((next ?? base) as JsonSchema);
  }
  const sorted = [...events.values()].sort((a, b) => (a.eventType < b.eventType ? -1 : a.eventType > b.eventType ? 1 : 0));
  return { events: sorted, shared };
}

/** Inferred keywords win; keywords and properties only the base has are kept. */
export function mergeSchema(base: JsonSchema, inferred: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...inferred };
  for (const [key, value] of Object.entries(base)) {
    if (!Object.hasOwn(out, key))
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (isObject(base.properties) && isObject(inferred.properties)) {
    const properties: Record<string, JsonSchema> = {};
    const keys = [
      ...Object.keys(inferred.properties),
      ...Object.keys(base.properties).filter((k) => !Object.hasOwn(inferred.properties ?? {}, k)),
    ];
    for (const key of keys) {
      const b = base.properties[key];
      const i = inferred.properties[key];
      const value = b && i && isObject(b) && isObject(i) ? mergeSchema(b, i) : (i ?? b);
      Object.defineProperty(properties, key, { value, enumerable: true, writable: true, configurable: true });
    }
    out.properties = properties;
  }
  if (isObject(base.items) && isObject(inferred.items)) out.items = mergeSchema(base.items, inferred.items);
  return out;
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
