/**
 * The one ajv configuration eventgen validates with: the generated standalone validators,
 * the merge stage's conflict check and the tests' oracle all use it, so they agree.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { setOwn } from './own.ts';

/** Keywords whose value is a map from a name to a subschema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is data, not a schema. */
const DATA = new Set(['const', 'enum', 'examples', 'default']);
/** `properties/__proto__` becomes this pattern, which names the same single property. */
export const PROTO_PATTERN = '^__proto__$';

/**
 * `schema` with every `properties/__proto__` moved to `patternProperties/^__proto__$`, or `schema`
 * itself when it has none. ajv skips a property named `__proto__` when it compiles `properties`
 * (and counts it as additional), so its subschema would never be checked; a pattern that matches
 * only that name is checked on the own property, as a JSON parser makes it, and is not additional.
 */
export function protoSafe(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    const items = schema.map(protoSafe);
    return items.some((item, i) => item !== schema[i]) ? items : schema;
  }
  if (typeof schema !== 'object' || schema === null) return schema;
  const record = schema as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(record)) {
    const child = DATA.has(key) ? value : SCHEMA_MAPS.has(key) ? mapOf(value) : protoSafe(value);
    if (child === value) continue;
    out ??= copyOf(record);
    setOwn(out, key, child);
  }
  const properties = (out ?? record).properties;
  if (typeof properties !== 'object' || properties === null || !Object.hasOwn(properties, '__proto__')) return out ?? schema;
  out ??= copyOf(record);
  const { ['__proto__']: subschema, ...others } = copyOf(properties as Record<string, unknown>);
  const patterns = copyOf((out.patternProperties ?? {}) as Record<string, unknown>);
  setOwn(
    patterns,
    PROTO_PATTERN,
    Object.hasOwn(patterns, PROTO_PATTERN) ? { allOf: [patterns[PROTO_PATTERN], subschema] } : subschema,
  );
  setOwn(out, 'properties', others);
  setOwn(out, 'patternProperties', patterns);
  return out;
}

/** A map of subschemas with each subschema made proto-safe (names kept whatever they are). */
function mapOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return protoSafe(value);
  let out: Record<string, unknown> | undefined;
  for (const [name, subschema] of Object.entries(value)) {
    const child = protoSafe(subschema);
    if (child === subschema) continue;
    out ??= copyOf(value as Record<string, unknown>);
    setOwn(out, name, child);
  }
  return out ?? value;
}

/** A shallow copy that keeps a key named `__proto__` an own property. */
function copyOf(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) setOwn(out, key, value);
  return out;
}

/**
 * Ajv that compiles {@link protoSafe} schemas, whichever way a schema reaches it (`addSchema`,
 * `compile`, `validate`), so every ajv eventgen runs checks a property named `__proto__`.
 */
class ProtoSafeAjv extends Ajv2020 {
  override _addSchema(schema: Parameters<Ajv2020['_addSchema']>[0], ...rest: DropFirst<Parameters<Ajv2020['_addSchema']>>) {
    let safe = schema;
    if (typeof schema === 'object' && schema !== null) {
      // The same object gives the same copy, so ajv's cache (keyed by the object) still hits.
      if (!safeCopies.has(schema)) safeCopies.set(schema, protoSafe(schema));
      safe = safeCopies.get(schema) as typeof schema;
    }
    return super._addSchema(safe, ...rest);
  }
}
type DropFirst<T extends unknown[]> = T extends [unknown, ...infer Rest] ? Rest : never;
/** Module-level: ajv adds its meta-schemas from its constructor, before a subclass's fields exist. */
const safeCopies = new WeakMap<object, unknown>();

export function createAjv(options: { standalone: boolean }): Ajv2020 {
  const ajv = new ProtoSafeAjv({
    allErrors: true,
    strict: false,
    // Own properties only: a `toString` or `__proto__` inherited from Object.prototype never satisfies `required`.
    ownProperties: true,
    // optimize: false: ajv's code optimiser took a third of the generate time at 1000 event types (bench P2).
    ...(options.standalone ? { code: { source: true, esm: true, lines: true, optimize: false } } : {}),
  });
  addFormats.default(ajv);
  return ajv;
}
