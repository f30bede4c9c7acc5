/**
 * What the docs state about fields, beyond their samples: property tables
 * ("| Property | Type | Description |" in any locale) attached to the place in an event's
 * data they describe. A table describes the object whose fields most of its rows name
 * (top-level data, or a nested object such as `twin`); `a.b` rows name nested fields.
 * Rows are matched against the sample's keys, exactly or ignoring case, never taken at
 * face value: machine-translated tables translate property names (`topic` → 主題), and
 * such rows simply match nothing.
 */
import type { Fact, JsonSchema, PropertyRow, PropertyTable, RecordedFact } from '../ir.ts';
import { type SchemaPlace, walk } from '../schema-walk.ts';
import { parseType } from '../typewords.ts';
import { emptyShape, type Shape } from './shape.ts';

export function factOf(row: PropertyRow, table: Pick<PropertyTable, 'file' | 'kind'>): Fact {
  const code = table.kind === 'code';
  const stated = parseType(row.type, code);
  const nullable = row.nullable ?? (stated.nullable ? true : undefined);
  return {
    file: table.file,
    line: row.line,
    name: row.name,
    types: stated.types,
    map: stated.map,
    values: row.values,
    ...(stated.any ? { any: true } : {}),
    ...(stated.format ? { format: stated.format } : {}),
    ...(stated.values?.any ? { anyValues: true } : {}),
    ...(code ? { code: true } : {}),
    ...(row.type === undefined ? {} : { type: row.type }),
    ...(row.description === undefined ? {} : { description: row.description }),
    ...(row.required === undefined ? {} : { required: row.required }),
    ...(nullable === undefined ? {} : { nullable }),
  };
}

/**
 * Two statements about one field combined: the first one's words win (tables come best first),
 * what only the second states is added, types are joined, and either one's "nullable" or "any" counts
 * (a contract that rejects what one source documents would lose real events).
 */
export function combineFacts(first: Fact | undefined, next: Fact): Fact {
  if (first === undefined) return next;
  const types = [...new Set([...first.types, ...next.types])];
  const format = first.format ?? next.format;
  return {
    ...next,
    ...first,
    types,
    map: first.map || next.map,
    values: [...new Set([...first.values, ...next.values])],
    ...(first.any || next.any ? { any: true } : {}),
    ...(format ? { format } : {}),
    ...(first.anyValues || next.anyValues ? { anyValues: true } : {}),
    ...(first.nullable || next.nullable ? { nullable: true } : {}),
  };
}

/** An object place in a shape, with the shapes below it by property name. */
function objectsOf(shape: Shape, out: Shape[] = []): Shape[] {
  if (shape.properties.size > 0) out.push(shape);
  for (const child of shape.properties.values()) objectsOf(child, out);
  if (shape.items) objectsOf(shape.items, out);
  return out;
}

/** The property of `object` a row names: exactly, else the one key equal ignoring case; through array items for `a.b`. */
function resolve(object: Shape, name: string): Shape | undefined {
  let here: Shape | undefined = object;
  for (const part of name.split('.')) {
    if (here === undefined) return undefined;
    while (here.properties.size === 0 && here.items) here = here.items;
    const exact: Shape | undefined = here.properties.get(part);
    if (exact) {
      here = exact;
      continue;
    }
    const lower = part.toLowerCase();
    // Ignoring case, and spaces a sample left around a key (`"ObjectName "`).
    const loose: [string, Shape][] = [...here.properties].filter(([key]) => key.trim().toLowerCase() === lower);
    here = loose.length === 1 ? loose[0]?.[1] : undefined;
  }
  return here;
}

/** A name a table could add as a field no sample shows. */
const FIELD_NAME = /^[A-Za-z_$@][\w$@-]*$/;

/**
 * The object of `root` most of the table's rows name, with how many rows it matches and whether the
 * rows name every field the object has; undefined below half the rows.
 */
export function bestObject(root: Shape, table: PropertyTable): { object: Shape; score: number; covers: boolean } | undefined {
  const named = table.rows.filter((r) => /^[\x20-\x7e]+$/.test(r.name));
  if (named.length === 0) return undefined;
  let best: { object: Shape; score: number } | undefined;
  for (const object of objectsOf(root)) {
    const score = named.filter((r) => resolve(object, r.name) !== undefined).length;
    if (score > (best?.score ?? 0)) best = { object, score };
  }
  if (best === undefined || best.score < Math.ceil(named.length / 2)) return undefined;
  const fields = new Set([...named].map((r) => resolve(best.object, r.name)));
  const covers = [...best.object.properties.values()].every((field) => fields.has(field));
  return { ...best, covers };
}

/**
 * Attaches each row of `table` to its field of `object`; rows of a table that name no field become
 * documented-only fields (a code model's never do). Statements about one field combine.
 */
export function attachTable(object: Shape, table: PropertyTable): void {
  for (const row of table.rows) {
    if (!/^[\x20-\x7e]+$/.test(row.name)) continue;
    let field = resolve(object, row.name);
    if (field === undefined && table.kind === undefined && FIELD_NAME.test(row.name)) {
      field = emptyShape();
      object.properties.set(row.name, field);
    }
    if (field) field.fact = combineFacts(field.fact, factOf(row, table));
  }
}

/**
 * Attaches prose values ("Possible values for `status` are …") to the field of `root` the row names:
 * the property of that exact spelling at any depth, else the one equal ignoring case; never a new field.
 */
export function attachProse(root: Shape, row: PropertyRow, table: PropertyTable): boolean {
  const places = objectsOf(root);
  let field = places.map((o) => resolveExact(o, row.name)).find((f) => f !== undefined);
  if (field === undefined) {
    const lower = row.name.toLowerCase();
    const loose = places.flatMap((o) => [...o.properties].filter(([key]) => key.toLowerCase() === lower).map(([, f]) => f));
    if (new Set(loose).size === 1) field = loose[0];
  }
  if (field === undefined) return false;
  const { description: _, ...rest } = row;
  field.fact = combineFacts(field.fact, { ...factOf(rest, table), types: [] });
  return true;
}

/** The property of `object` a dotted name spells exactly, through array items. */
function resolveExact(object: Shape, name: string): Shape | undefined {
  let here: Shape | undefined = object;
  for (const part of name.split('.')) {
    while (here !== undefined && here.properties.size === 0 && here.items) here = here.items;
    here = here?.properties.get(part);
  }
  return here;
}

/** A fact as a schema file recorded it, with what its type cell implies put back (schema.ts `recorded` leaves it out). */
function restored(documented: RecordedFact): Fact {
  const stated = parseType(documented.type, documented.code === true);
  const format = documented.format ?? stated.format;
  return {
    ...documented,
    types: documented.types ?? stated.types,
    map: documented.map === true || stated.map,
    values: documented.values ?? [],
    ...(documented.any || stated.any ? { any: true } : {}),
    ...(format ? { format } : {}),
    ...(documented.anyValues || stated.values?.any ? { anyValues: true } : {}),
  };
}

/** The facts a schema file recorded (`x-eventgen.documented`), attached to the same places of `root`. */
export function restoreFacts(root: Shape, schema: JsonSchema): void {
  const shapes = new Map<SchemaPlace, Shape>();
  const enter = (place: SchemaPlace): boolean => {
    const shape = place.parent === undefined ? root : shapeFor(shapes.get(place.parent) as Shape, place);
    if (shape === undefined) return false;
    shapes.set(place, shape);
    const documented = place.schema['x-eventgen']?.documented;
    if (documented) shape.fact ??= restored(documented);
    return true;
  };
  walk(schema, enter, { keywords: ['properties', 'items'] });
}

/** The shape of `parent` at a field's or the items' place, made when the schema file documented one there. */
function shapeFor(parent: Shape, { keyword, key, schema }: SchemaPlace): Shape | undefined {
  if (keyword === 'items') {
    parent.items ??= emptyShape();
    return parent.items;
  }
  const field = key as string;
  let shape = parent.properties.get(field);
  if (shape === undefined && schema['x-eventgen']?.documented !== undefined) {
    shape = emptyShape();
    parent.properties.set(field, shape);
  }
  return shape;
}
