/**
 * The one ajv configuration eventgen validates with: the generated standalone validators,
 * the merge stage's conflict check and the tests' oracle all use it, so they agree.
 */
import { _, Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { formats } from './formats.mjs';
import { setOwn } from './own.ts';
import { SUBSCHEMA_KEYWORDS } from './schema-walk.ts';

/** Whether `key`'s value is a map from a name to a subschema. */
const isSchemaMap = (key: string) => SUBSCHEMA_KEYWORDS.get(key) === 'map';
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
    const child = DATA.has(key) ? value : isSchemaMap(key) ? mapOf(value) : protoSafe(value);
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
 * What the schemas to compile use, so that ajv can leave out what they do not:
 * - `dynamicScope`: `$dynamicRef`, `$dynamicAnchor`, `$recursiveRef`, `$recursiveAnchor`, `unevaluatedProperties`
 *   or `unevaluatedItems` somewhere. Without them no validator takes a `dynamicAnchors` argument or tracks
 *   evaluated properties and items.
 * - `codePointLengths`: a `minLength` above 1 or a `maxLength` above 0 somewhere. Without one, a string's `.length`
 *   gives the verdict its count of code points would (both are 0 for "" only), so ajv compares `.length`
 *   instead of counting surrogate pairs in every constrained string (the envelopes' `minLength: 1`).
 * The scan is conservative: a keyword's name anywhere (in data too) counts as a use.
 */
export interface AjvProfile {
  readonly dynamicScope: boolean;
  readonly codePointLengths: boolean;
}

const DYNAMIC_SCOPE = new Set([
  '$dynamicRef',
  '$dynamicAnchor',
  '$recursiveRef',
  '$recursiveAnchor',
  'unevaluatedProperties',
  'unevaluatedItems',
]);

/** The profile of `schemas` (see {@link AjvProfile}). */
export function profileOf(schemas: Iterable<unknown>): AjvProfile {
  const profile = { dynamicScope: false, codePointLengths: false };
  const stack: unknown[] = [...schemas];
  while (stack.length > 0 && !(profile.dynamicScope && profile.codePointLengths)) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        profileKeyword(profile, key, value);
        stack.push(value);
      }
    }
  }
  return profile;
}

/** What one keyword needs: the dynamic scope, or lengths in code points (a length other than 0, or 1 at least). */
function profileKeyword(profile: { dynamicScope: boolean; codePointLengths: boolean }, key: string, value: unknown): void {
  if (DYNAMIC_SCOPE.has(key)) profile.dynamicScope = true;
  if (key === 'minLength' && !(typeof value === 'number' && value <= 1)) profile.codePointLengths = true;
  if (key === 'maxLength' && value !== 0) profile.codePointLengths = true;
}

/** What ajv needs for any schema: the profile used when the schemas are not known in advance. */
const EVERYTHING: AjvProfile = { dynamicScope: true, codePointLengths: true };

/**
 * Ajv that compiles {@link protoSafe} schemas, whichever way a schema reaches it (`addSchema`,
 * `compile`, `validate`), so every ajv eventgen runs checks a property named `__proto__`.
 * Without `dynamicScope` it compiles as Ajv2020 does with its dynamic scope and `unevaluated*` support off.
 */
class ProtoSafeAjv extends Ajv2020 {
  private readonly withoutDynamicScope: boolean;

  constructor(options: Options, profile: AjvProfile) {
    super(options);
    this.withoutDynamicScope = !profile.dynamicScope;
    // Ajv2020 turns both on whatever its options say; they are read when a schema is compiled.
    if (this.withoutDynamicScope) {
      this.opts.dynamicRef = false;
      this.opts.unevaluated = false;
    }
  }

  override _addSchema(schema: Parameters<Ajv2020['_addSchema']>[0], ...rest: DropFirst<Parameters<Ajv2020['_addSchema']>>) {
    let safe = schema;
    if (typeof schema === 'object' && schema !== null) {
      // The same object gives the same copy, so ajv's cache (keyed by the object) still hits.
      if (!safeCopies.has(schema)) safeCopies.set(schema, protoSafe(schema));
      safe = safeCopies.get(schema) as typeof schema;
    }
    return super._addSchema(safe, ...rest);
  }

  /**
   * The 2020-12 meta-schema itself uses `$dynamicRef`: without dynamic scope, schemas are checked against it
   * by an ajv that has one (compiled once per process).
   */
  override validateSchema(schema: Parameters<Ajv2020['validateSchema']>[0], throwOrLogError?: boolean): boolean {
    if (!this.withoutDynamicScope) return super.validateSchema(schema, throwOrLogError) as boolean;
    metaChecker ??= createAjv({ standalone: false });
    const valid = metaChecker.validateSchema(schema, false) as boolean;
    this.errors = metaChecker.errors;
    if (!valid && throwOrLogError) throw new Error(`schema is invalid: ${metaChecker.errorsText()}`);
    return valid;
  }
}
type DropFirst<T extends unknown[]> = T extends [unknown, ...infer Rest] ? Rest : never;
/** Module-level: ajv adds its meta-schemas from its constructor, before a subclass's fields exist. */
const safeCopies = new WeakMap<object, unknown>();
let metaChecker: Ajv2020 | undefined;

/** ajv's logger, without the deprecation notice of the `unicode` option (which ajv 8 still honours). */
const logger = {
  log: console.log.bind(console),
  warn: (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].startsWith('DEPRECATED: option unicode'))) console.warn(...args);
  },
  error: console.error.bind(console),
};

/**
 * The ajv eventgen validates with. `profile` (from {@link profileOf} over every schema the instance will
 * compile) lets it leave out what those schemas do not use; without it the instance handles any schema.
 * Formats are generator/formats.mjs's; standalone code reads them from `./formats.js`, which the generated
 * package ships (a copy of formats.mjs).
 */
export function createAjv(options: { standalone: boolean; profile?: AjvProfile }): Ajv2020 {
  const profile = options.profile ?? EVERYTHING;
  const ajv = new ProtoSafeAjv(
    {
      allErrors: true,
      strict: false,
      // Own properties only: a `toString` or `__proto__` inherited from Object.prototype never satisfies `required`.
      ownProperties: true,
      logger,
      ...(profile.codePointLengths ? {} : { unicode: false }),
      // optimize: false: ajv's code optimiser took a third of the generate time at 1000 event types (bench P2).
      ...(options.standalone
        ? { code: { source: true, esm: true, lines: true, optimize: false, formats: _`require("./formats.js").formats` } }
        : {}),
    },
    profile,
  );
  // ajv-formats for its keywords (formatMinimum, …) only; the formats are ours.
  addFormats.default(ajv, { keywords: true, formats: [] });
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format);
  return ajv;
}

/** Annotations that do not change a verdict; left out so the compiled module stays small. */
const ANNOTATIONS = new Set(['title', 'description', 'examples', '$comment', 'default', 'deprecated', 'readOnly', 'writeOnly']);

/** Keywords whose value is data (an instance to compare with), copied as it is by forAjv. */
const INSTANCE_DATA = new Set(['const', 'enum']);

/**
 * A copy of `schema` without annotations and `x-` keywords (property names are kept whatever they
 * are, and so is the data of `const` and `enum`).
 */
export function forAjv(schema: unknown, inProperties = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => forAjv(s));
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!inProperties && (ANNOTATIONS.has(key) || key.startsWith('x-'))) continue;
    const child = inProperties ? forAjv(value) : INSTANCE_DATA.has(key) ? value : forAjv(value, isSchemaMap(key));
    setOwn(out, key, child);
  }
  return out;
}
