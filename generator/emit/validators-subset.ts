/**
 * The schema subset eventgen's own validator code covers (validators-code.ts): which schemas stay in it, how a
 * `$ref` of it resolves, and which targets are small enough to be written in place of a call.
 */
import { formats } from '../formats.mjs';
import { type JsonSchema, SHARED_DEFS_FILE } from '../ir.ts';
import { type SchemaPlace, typesOf, walk } from '../schema-walk.ts';

/** Keywords that do not change a verdict (ajv ignores them, or they were stripped before compiling). */
const IGNORED = new Set([
  '$schema',
  '$id',
  '$defs',
  '$comment',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
]);
const SUBSET = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'format',
  '$ref',
  'const',
  'minLength',
]);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
const SHARED_REF = `${SHARED_DEFS_FILE}#/$defs/`;
const LOCAL_REF = '#/$defs/';

/** A JSON primitive other than a number that is not finite: `const` values the code compares with `!==`. */
function isPrimitive(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value);
}

/** Whether ajv skips `schema` as always valid: `true`, or an object with no keyword that checks anything. */
export function alwaysValid(schema: unknown): boolean {
  if (schema === true) return true;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return false;
  return Object.keys(schema).every((k) => IGNORED.has(k) || k.startsWith('x-'));
}

/** A string format the package's formats.js checks (a function, a RegExp, or `{ validate }` of type string). */
function stringFormat(name: unknown): boolean {
  if (typeof name !== 'string' || !Object.hasOwn(formats, name)) return false;
  const format = (formats as Record<string, unknown>)[name];
  if (typeof format === 'function' || format instanceof RegExp) return true;
  if (typeof format !== 'object' || format === null) return false;
  const def = format as { type?: unknown; async?: unknown; validate?: unknown };
  return (
    (def.type === undefined || def.type === 'string') &&
    !def.async &&
    (typeof def.validate === 'function' || def.validate instanceof RegExp)
  );
}

/** The schema a `$ref` names, or undefined when it is not one the subset resolves. */
export function resolve(
  ref: unknown,
  local: JsonSchema,
  shared: Readonly<Record<string, JsonSchema>>,
): { key: string; schema: JsonSchema; local: boolean } | undefined {
  if (typeof ref !== 'string') return undefined;
  const [defs, name, isLocal] = ref.startsWith(SHARED_REF)
    ? [shared, ref.slice(SHARED_REF.length), false]
    : ref.startsWith(LOCAL_REF)
      ? [(local.$defs ?? {}) as Record<string, JsonSchema>, ref.slice(LOCAL_REF.length), true]
      : [undefined, '', false];
  if (defs === undefined || name.includes('/') || name.includes('~') || !Object.hasOwn(defs, name)) return undefined;
  return { key: name, schema: defs[name] as JsonSchema, local: isLocal };
}

/** The types a schema names (`type`, one or a list), or undefined when `type` is not one the subset takes. */
export function subsetTypes(s: Record<string, unknown>): string[] | undefined {
  const types: unknown[] = typesOf(s);
  if (types.length === 0 && s.type !== undefined) return undefined;
  return types.every((t) => typeof t === 'string' && TYPES.has(t)) ? (types as string[]) : undefined;
}

/** Whether the keywords of `s` that hold no schema (type, format, const, minLength, required) stay in the subset. */
function ownKeywordsInSubset(s: Record<string, unknown>): boolean {
  if (Object.keys(s).some((key) => !IGNORED.has(key) && !key.startsWith('x-') && !SUBSET.has(key))) return false;
  const types = subsetTypes(s);
  if (types === undefined) return false;
  // A format beside a number type is checked by ajv's number rules: left to ajv.
  if (s.format !== undefined && (!stringFormat(s.format) || types.some((t) => t === 'number' || t === 'integer'))) return false;
  // ajv compares a primitive `const` with `!==`, anything else with a deep equality: the primitives only.
  if (s.const !== undefined && !isPrimitive(s.const)) return false;
  if (s.minLength !== undefined && s.minLength !== 0 && s.minLength !== 1) return false;
  const required = s.required;
  return required === undefined || (Array.isArray(required) && required.every((r) => typeof r === 'string' && r !== '__proto__'));
}

/** The keywords under which the subset has subschemas. */
const SUBSET_CHILDREN = ['properties', 'items', 'additionalProperties'];

/** Whether the schemas directly under `s` (its properties', additionalProperties', items') are ones the subset takes: objects or `true`. */
function childrenInSubset(s: Record<string, unknown>): boolean {
  const children: unknown[] = [];
  if (s.properties !== undefined) {
    if (typeof s.properties !== 'object' || s.properties === null || Array.isArray(s.properties)) return false;
    if (Object.hasOwn(s.properties, '__proto__')) return false;
    children.push(...Object.values(s.properties));
  }
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) children.push(s.additionalProperties);
  if (s.items !== undefined) children.push(s.items);
  return children.every((child) => child === true || (typeof child === 'object' && child !== null && !Array.isArray(child)));
}

/**
 * Whether every schema reachable from `schema` (through its `$ref`s too) stays in the subset, so that
 * {@link ownValidators} can write its code.
 */
export function inSubset(schema: JsonSchema, shared: Readonly<Record<string, JsonSchema>>): boolean {
  const seen = new Set<unknown>();
  const sharedRoot: JsonSchema = { $defs: shared };
  const check = (node: JsonSchema, root: JsonSchema): boolean => {
    let ok = true;
    const enter = ({ schema: s }: SchemaPlace): boolean => {
      if (!ok || seen.has(s)) return false;
      seen.add(s);
      ok = ownKeywordsInSubset(s) && childrenInSubset(s) && (s.$ref === undefined || refInSubset(s, root));
      return ok && s.$ref === undefined;
    };
    walk(node, enter, { keywords: SUBSET_CHILDREN });
    return ok;
  };
  const refInSubset = (s: JsonSchema, root: JsonSchema): boolean => {
    // A `$ref` beside other keywords runs in an order of ajv's own: left to ajv.
    if (Object.keys(s).some((k) => SUBSET.has(k) && k !== '$ref')) return false;
    const target = resolve(s.$ref, root, shared);
    if (target === undefined) return false;
    const node: unknown = target.schema;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return node === true;
    return check(target.schema, target.local ? root : sharedRoot);
  };
  return check(schema, schema);
}

/**
 * The most schemas a `$ref`'s target may hold to be written in place of a call (ajv's `inlineRefs` has no limit): a
 * copy per use makes the code grow with the uses. At 1000 event types of bench/corpus.ts (five shared definitions of
 * 2 to 5 schemas, used 2,035 times) the validators are 1.58 MB with no target in place, 1.58 MB with this limit, 2.03
 * MB with 3 and 2.67 MB with 8; the package's size has a goal (bench P5).
 */
const INLINE_LIMIT = 2;

/**
 * Whether the target of a `$ref` is written in place (it reaches no `$ref`, so no recursion, and holds at most
 * {@link INLINE_LIMIT} schemas, such as an object with one member): V8 often does not inline a call of a small check
 * from inside a larger one, and the call costs more than the check (0.81× → 0.92× the floor for
 * ChatThreadCreatedWithUser's data, whose `properties` is such a definition).
 */
export function inlinable(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return true;
  let count = 0;
  let small = true;
  walk(
    schema as JsonSchema,
    ({ schema: s }) => {
      small &&= s.$ref === undefined && ++count <= INLINE_LIMIT;
      return small;
    },
    { keywords: SUBSET_CHILDREN },
  );
  return small;
}
