/**
 * The one walk over a JSON Schema (2020-12, https://json-schema.org/draft/2020-12/json-schema-core#section-10,
 * and draft-07's spellings): which keywords hold subschemas, every subschema visited with where it sits (the
 * keyword and key it is under, its JSON pointer in the schema and the place in the data it describes), and the
 * types a schema names. Every stage walks schemas through here, so they agree on what a subschema is and on
 * how its pointer is spelled (pointer.ts).
 */
import type { JsonSchema, JsonType } from './ir.ts';
import { setOwn } from './own.ts';
import { escapePointer } from './pointer.ts';

/** How a keyword holds subschemas: one schema, a list of schemas, or schemas by name. */
export type SubschemaKind = 'schema' | 'list' | 'map';

/**
 * The keywords whose values are subschemas, in the order a walk visits them: those eventgen writes first
 * (`properties`, `$defs`, `items`, `additionalProperties`), then the other applicators of 2020-12 and draft-07.
 */
export const SUBSCHEMA_KEYWORDS: ReadonlyMap<string, SubschemaKind> = new Map<string, SubschemaKind>([
  ['properties', 'map'],
  ['$defs', 'map'],
  ['items', 'schema'],
  ['additionalProperties', 'schema'],
  ['patternProperties', 'map'],
  ['prefixItems', 'list'],
  ['contains', 'schema'],
  ['unevaluatedItems', 'schema'],
  ['unevaluatedProperties', 'schema'],
  ['propertyNames', 'schema'],
  ['dependentSchemas', 'map'],
  ['allOf', 'list'],
  ['anyOf', 'list'],
  ['oneOf', 'list'],
  ['not', 'schema'],
  ['if', 'schema'],
  ['then', 'schema'],
  ['else', 'schema'],
  ['definitions', 'map'],
  ['additionalItems', 'schema'],
]);

/** One subschema and where it sits. */
export interface SchemaPlace {
  readonly schema: JsonSchema;
  /** The place of the schema it is under; undefined at the root. */
  readonly parent: SchemaPlace | undefined;
  /** The keyword it is under (`properties`, `items`, …); undefined at the root. */
  readonly keyword: string | undefined;
  /** Under a map or a list: the name (property, definition) or the index; else undefined. */
  readonly key: string | undefined;
  /** Its JSON pointer in the root schema: `/properties/a~1b/items`. */
  readonly pointer: string;
  /**
   * The place in the data it describes, as changes and diagnostics name fields: a property's name
   * (`/a~1b`), `/0` for an array's items, `/*` for the values of a map (`additionalProperties`,
   * `patternProperties`); the parent's own place for an applicator (`allOf`, `not`, …); and `''` for a
   * definition (`$defs`), which describes whatever refers to it.
   */
  readonly at: string;
  /** How many subschemas down from the root (0 at the root). */
  readonly depth: number;
}

export interface WalkOptions {
  /** The keywords to follow (default: every one of {@link SUBSCHEMA_KEYWORDS}), visited in that table's order. */
  readonly keywords?: readonly string[];
  /** Called after a schema's subschemas were walked (post-order). */
  readonly leave?: (place: SchemaPlace) => void;
  /** The schema to visit and walk instead of one reached (a `$ref` replaced by its target, say). */
  readonly resolve?: (schema: JsonSchema) => JsonSchema;
}

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The place in the data (see {@link SchemaPlace.at}) of the subschema under `keyword` (and `key`) of a schema
 * describing `at`: `dataPlace('/a', 'items')` is `/a/0`. For walks of their own that name places as this one does.
 */
export function dataPlace(at: string, keyword: string, key?: string): string {
  switch (keyword) {
    case 'properties':
      return `${at}/${escapePointer(key ?? '')}`;
    case 'prefixItems':
      return `${at}/${key}`;
    case 'items':
    case 'contains':
    case 'additionalItems':
    case 'unevaluatedItems':
      return `${at}/0`;
    case 'additionalProperties':
    case 'patternProperties':
    case 'unevaluatedProperties':
      return `${at}/*`;
    case '$defs':
    case 'definitions':
      return '';
    default:
      return at;
  }
}

function childPlace(parent: SchemaPlace, schema: JsonSchema, keyword: string, key: string | undefined): SchemaPlace {
  const pointer = `${parent.pointer}/${keyword}${key === undefined ? '' : `/${escapePointer(key)}`}`;
  return { schema, parent, keyword, key, pointer, at: dataPlace(parent.at, keyword, key), depth: parent.depth + 1 };
}

/**
 * The subschemas directly under `place.schema` through `keywords` (default: all), in the order of
 * {@link SUBSCHEMA_KEYWORDS} (names in their order in the map, own members only). Values that are not schema objects (`true`, `false`, a malformed value) are not
 * subschemas to walk and are left out.
 */
export function subschemas(place: SchemaPlace, keywords?: readonly string[]): SchemaPlace[] {
  const out: SchemaPlace[] = [];
  for (const [keyword, kind] of SUBSCHEMA_KEYWORDS) {
    if (!Object.hasOwn(place.schema, keyword) || (keywords !== undefined && !keywords.includes(keyword))) continue;
    for (const [key, child] of entriesOf(kind, place.schema[keyword]))
      if (isSchema(child)) out.push(childPlace(place, child, keyword, key));
  }
  return out;
}

/** The values a keyword of `kind` holds, each with its key (undefined for a single schema). */
function entriesOf(kind: SubschemaKind, value: unknown): [string | undefined, unknown][] {
  if (kind === 'schema') return [[undefined, value]];
  if (kind === 'list') return Array.isArray(value) ? value.map((child, i) => [String(i), child]) : [];
  return isSchema(value) ? Object.entries(value) : [];
}

/** The place of a root schema. */
export function rootPlace(schema: JsonSchema, pointer = '', at = ''): SchemaPlace {
  return { schema, parent: undefined, keyword: undefined, key: undefined, pointer, at, depth: 0 };
}

/**
 * Visits `root` and every subschema under it, depth first, each before the subschemas under it (and
 * `options.leave` after them). `enter` returning `false` skips the subschemas under that one.
 */
export function walk(root: JsonSchema, enter: (place: SchemaPlace) => unknown, options: WalkOptions = {}): void {
  const { keywords, leave, resolve } = options;
  const visit = (place: SchemaPlace): void => {
    const here = resolve === undefined ? place : { ...place, schema: resolve(place.schema) };
    if (enter(here) === false) return;
    for (const child of subschemas(here, keywords)) visit(child);
    leave?.(here);
  };
  visit(rootPlace(root));
}

/**
 * A copy of `place.schema` whose subschemas under `keywords` (default: all) are replaced by `replace(child)`, the
 * value of each such keyword a new object or list (so the copy can be changed without changing the original);
 * everything else as it was. The building block of walks that rebuild.
 */
export function mapSubschemas(
  place: SchemaPlace,
  replace: (child: SchemaPlace) => JsonSchema,
  keywords?: readonly string[],
): JsonSchema {
  const out: JsonSchema = { ...place.schema };
  for (const [keyword, kind] of SUBSCHEMA_KEYWORDS) {
    if (!Object.hasOwn(out, keyword) || (keywords !== undefined && !keywords.includes(keyword))) continue;
    const value = out[keyword];
    if (kind === 'list' && Array.isArray(value)) setOwn(out, keyword, [...value]);
    else if (kind === 'map' && isSchema(value)) setOwn(out, keyword, { ...value });
  }
  for (const child of subschemas(place, keywords)) {
    const keyword = child.keyword as string;
    const container = out[keyword];
    const replaced = replace(child);
    if (child.key === undefined) setOwn(out, keyword, replaced);
    else if (Array.isArray(container)) container[Number(child.key)] = replaced;
    else setOwn(container as object, child.key, replaced);
  }
  return out;
}

/**
 * `root` rebuilt bottom-up: `replace` gets each schema (the root included) with its subschemas under `keywords`
 * already replaced, and its place (whose `schema` is the original), and returns what stands there.
 */
export function rebuild(
  root: JsonSchema,
  replace: (rebuilt: JsonSchema, place: SchemaPlace) => JsonSchema,
  keywords?: readonly string[],
): JsonSchema {
  const visit = (place: SchemaPlace): JsonSchema =>
    replace(
      mapSubschemas(place, (child) => visit(child), keywords),
      place,
    );
  return visit(rootPlace(root));
}

/** The JSON types a schema names in `type` (one or a list), in its order; `[]` when it names none. */
export function typesOf(schema: { readonly type?: unknown } | undefined): JsonType[] {
  const type = schema?.type;
  return (type === undefined ? [] : Array.isArray(type) ? type : [type]) as JsonType[];
}
