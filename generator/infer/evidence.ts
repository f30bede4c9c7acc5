/**
 * What the docs state about fields, beyond their samples: property tables
 * ("| Property | Type | Description |" in any locale) attached to the place in an event's
 * data they describe. A table describes the object whose fields most of its rows name
 * (top-level data, or a nested object such as `twin`); `a.b` rows name nested fields.
 * Rows are matched against the sample's keys, exactly or ignoring case, never taken at
 * face value: machine-translated tables translate property names (`topic` → 主題), and
 * such rows simply match nothing.
 */
import type { Fact, JsonSchema, JsonType, PropertyRow, PropertyTable } from '../ir.ts';
import { emptyShape, type Shape } from './shape.ts';

const TYPE_WORDS: readonly [JsonType, RegExp][] = [
  [
    'string',
    /^(string|str|text|zeichenfolge|chaîne|chaine|文字列|字串|字符串|문자열|cadena|guid|uuid|datetime|date-time|date|timespan|uri|url)$/,
  ],
  ['integer', /^(integer|int|int32|int64|long|short|정수|整数|整數|ganzzahl|entier)$/],
  ['number', /^(number|double|float|decimal|数値|數字|数字|숫자|zahl)$/],
  ['boolean', /^(boolean|bool|ブール|ブール値|布林|布林值|布尔|부울|booléen|booleano)$/],
  ['object', /^(object|objekt|物件|对象|對象|オブジェクト|개체|객체|objet|objeto)$/],
  ['array', /^(array|配列|陣列|数组|배열|tableau|list)$/],
];

/** What a type cell means: `string`, `Zeichenfolge`, `Objekt (object)`, `string[]`, `Dictionary<string, string>`, `ErrorDetails`. */
export function parseType(cell: string | undefined): { types: JsonType[]; map: boolean } {
  if (cell === undefined) return { types: [], map: false };
  const text = cell.normalize('NFKC').trim().toLowerCase();
  if (/^(i?dictionary|map|record|hashtable)\b|key[- ]value/.test(text)) return { types: ['object'], map: true };
  if (/\[\]$|^(array|list) ?(of|<)/.test(text)) return { types: ['array'], map: false };
  const word = text.split(/[\s(（]/)[0] ?? '';
  for (const [type, pattern] of TYPE_WORDS) if (pattern.test(word)) return { types: [type], map: false };
  // A type named after a documented object (`ErrorDetails`, `InnerError`).
  if (/^[A-Z][A-Za-z0-9]+$/.test(cell.trim())) return { types: ['object'], map: false };
  return { types: [], map: false };
}

export function factOf(row: PropertyRow, table: Pick<PropertyTable, 'file'>): Fact {
  const { types, map } = parseType(row.type);
  return {
    file: table.file,
    line: row.line,
    name: row.name,
    types,
    map,
    values: row.values,
    ...(row.type === undefined ? {} : { type: row.type }),
    ...(row.description === undefined ? {} : { description: row.description }),
    ...(row.required === undefined ? {} : { required: row.required }),
    ...(row.nullable === undefined ? {} : { nullable: row.nullable }),
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
    const loose: [string, Shape][] = [...here.properties].filter(([key]) => key.toLowerCase() === lower);
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
 * Attaches each row of `table` to its field of `object`; rows that name no field become
 * documented-only fields. A field keeps the first fact it gets (tables come best first).
 */
export function attachTable(object: Shape, table: PropertyTable): void {
  for (const row of table.rows) {
    if (!/^[\x20-\x7e]+$/.test(row.name)) continue;
    let field = resolve(object, row.name);
    if (field === undefined && FIELD_NAME.test(row.name)) {
      field = emptyShape();
      object.properties.set(row.name, field);
    }
    if (field) field.fact ??= factOf(row, table);
  }
}

/** The facts a schema file recorded (`x-eventgen.documented`), attached to the same places of `root`. */
export function restoreFacts(root: Shape, schema: JsonSchema): void {
  const documented = (schema['x-eventgen'] as { documented?: Fact & { map?: boolean } } | undefined)?.documented;
  if (documented) {
    const { types, map } = parseType(documented.type);
    root.fact ??= { ...documented, types, map: map || documented.map === true, values: documented.values ?? [] };
  }
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    let shape = root.properties.get(key);
    if (shape === undefined) {
      if ((child['x-eventgen'] as { documented?: unknown } | undefined)?.documented === undefined) continue;
      shape = emptyShape();
      root.properties.set(key, shape);
    }
    restoreFacts(shape, child);
  }
  if (schema.items && typeof schema.items === 'object') {
    root.items ??= emptyShape();
    restoreFacts(root.items, schema.items);
  }
}
