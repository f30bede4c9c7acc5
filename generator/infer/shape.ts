/**
 * The inference IR: a Shape accumulates every value seen at one place in the samples of
 * one event type, together with what the docs' property tables state about that place,
 * then turns into a JSON Schema that encodes only what the evidence supports (DESIGN.md):
 *
 * - `required` only where a table says so (or, with `requiredFromSamples`, where every
 *   sample has the field); "present in every sample" is recorded and reported, not enforced;
 * - `format: date-time` where every non-placeholder value is RFC 3339; `uuid` and `uri` are
 *   recorded as hints, never enforced;
 * - a field seen only as `null` has no type; `null` beside another type makes it nullable;
 * - an object whose keys are data (URLs, placeholders, ids, label names) is a map;
 * - never an enum, pattern or const from samples: documented values stay open.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { Fact, JsonSchema, JsonType, Provenance, XEventgen } from '../ir.ts';
import { setOwn } from '../own.ts';
import { escapePointer } from '../pointer.ts';
import { parseType } from '../typewords.ts';
import { formatsOf, isPlaceholder } from './formats.ts';

export interface Shape {
  /** Every JSON type seen here, with the first sample that showed it. */
  readonly kinds: Map<JsonType, Provenance>;
  /** Object properties in order of first appearance. */
  readonly properties: Map<string, Shape>;
  objects: number;
  /** Times a value was present at all (for properties: how many objects had it). */
  present: number;
  items: Shape | undefined;
  /** Formats every non-placeholder string so far satisfies; undefined until one is seen. */
  formats: Set<string> | undefined;
  /** Distinct samples and pages that showed a value here. */
  readonly samples: Set<number>;
  readonly pages: Set<string>;
  /** Keys every object seen here had (undefined before the first object). */
  commonKeys: Set<string> | undefined;
  /** Whether every property value of every object seen here was a string, number or boolean. */
  primitiveValues: boolean;
  /** What a property table states about this place. */
  fact: Fact | undefined;
  /** The newest page date of the samples that showed a value here; `undated` when an undated page did. */
  newest: string | undefined;
  undated: boolean;
}

export function emptyShape(): Shape {
  return {
    kinds: new Map(),
    properties: new Map(),
    objects: 0,
    present: 0,
    items: undefined,
    formats: undefined,
    samples: new Set(),
    pages: new Set(),
    commonKeys: undefined,
    primitiveValues: true,
    fact: undefined,
    newest: undefined,
    undated: false,
  };
}

/** One documented sample being observed: its index and every place it was documented. */
export interface Observation {
  readonly id: number;
  readonly source: Provenance;
  readonly pages: readonly string[];
  /** The newest date of the pages that show the sample; undefined when one of them is undated. */
  readonly date: string | undefined;
}

function kindOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

/** Adds one value to a shape. */
export function observe(shape: Shape, value: unknown, seen: Observation): void {
  const kind = kindOf(value);
  shape.present++;
  shape.samples.add(seen.id);
  for (const page of seen.pages) shape.pages.add(page);
  if (seen.date === undefined) shape.undated = true;
  else if (shape.newest === undefined || seen.date > shape.newest) shape.newest = seen.date;
  if (!shape.kinds.has(kind)) shape.kinds.set(kind, seen.source);
  if (kind === 'string') {
    const text = value as string;
    if (!isPlaceholder(text)) {
      const matches = new Set<string>(formatsOf(text));
      shape.formats = shape.formats === undefined ? matches : new Set([...shape.formats].filter((f) => matches.has(f)));
    }
  } else if (kind === 'array') {
    for (const item of value as unknown[]) {
      shape.items ??= emptyShape();
      observe(shape.items, item, seen);
    }
  } else if (kind === 'object') {
    shape.objects++;
    const keys = Object.keys(value as object);
    shape.commonKeys = shape.commonKeys === undefined ? new Set(keys) : new Set(keys.filter((k) => shape.commonKeys?.has(k)));
    for (const key of keys) {
      const child = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) shape.primitiveValues = false;
      let prop = shape.properties.get(key);
      if (prop === undefined) {
        prop = emptyShape();
        shape.properties.set(key, prop);
      }
      observe(prop, child, seen);
    }
  }
}

/** Merges `from` into `into` (the values of a map's entries become one shape). */
export function mergeShape(into: Shape, from: Shape): void {
  for (const [kind, at] of from.kinds) if (!into.kinds.has(kind)) into.kinds.set(kind, at);
  into.objects += from.objects;
  into.present += from.present;
  for (const id of from.samples) into.samples.add(id);
  for (const page of from.pages) into.pages.add(page);
  if (from.formats !== undefined) {
    into.formats =
      into.formats === undefined ? new Set(from.formats) : new Set([...into.formats].filter((f) => from.formats?.has(f)));
  }
  if (from.commonKeys !== undefined) {
    into.commonKeys =
      into.commonKeys === undefined
        ? new Set(from.commonKeys)
        : new Set([...into.commonKeys].filter((k) => from.commonKeys?.has(k)));
  }
  into.primitiveValues &&= from.primitiveValues;
  into.undated ||= from.undated;
  if (from.newest !== undefined && (into.newest === undefined || from.newest > into.newest)) into.newest = from.newest;
  for (const [key, child] of from.properties) {
    const mine = into.properties.get(key);
    if (mine === undefined) into.properties.set(key, child);
    else mergeShape(mine, child);
  }
  if (from.items) {
    if (into.items === undefined) into.items = from.items;
    else mergeShape(into.items, from.items);
  }
  into.fact ??= from.fact;
}

export interface SchemaOptions {
  /** Require every field present in every sample (the samples are trusted as the contract). */
  readonly requiredFromSamples: boolean;
  /** Schemas written before evidence-based inference also enforced `uuid` and `uri` formats from samples. */
  readonly legacyFormats?: boolean;
  /**
   * Schemas written before the current evidence rules took `integer` and `date-time` from samples alone
   * (recomputed so that what they hold is not mistaken for curation).
   */
  readonly legacyEvidence?: boolean;
}

const TYPE_ORDER: readonly JsonType[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];

/** Property names that hold a dictionary in every Azure payload that uses them. */
const MAP_NAMES = new Set(['labels', 'tags', 'claims', 'annotations', 'headers', 'dimensions']);

/** A key that is data rather than a field name: a URL, a placeholder, a GUID. */
function isDataKey(key: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/i.test(key) || isPlaceholder(key);
}

/** Why the object at this place is a map (keys are data), or undefined when it is an object with fields. */
export function mapReason(shape: Shape, name: string, root: boolean, mapValue = false): string | undefined {
  if (shape.fact?.map) return `documented as ${shape.fact.type ?? 'a map'}`;
  if (shape.properties.size === 0) return undefined;
  const keys = [...shape.properties.keys()].filter((k) => !k.startsWith('@odata.'));
  if (keys.some(isDataKey)) return 'its keys are data (URLs, placeholders, ids)';
  if (root) return undefined;
  if (MAP_NAMES.has(name.toLowerCase()) && shape.primitiveValues) return `"${name}" holds name-value pairs`;
  if (!mapValue && shape.objects >= 2 && shape.primitiveValues && shape.commonKeys?.size === 0 && keys.length >= 2) {
    return 'its samples show different keys, each with a plain value';
  }
  return undefined;
}

export interface SchemaContext {
  readonly options: SchemaOptions;
  readonly diagnostics: Diagnostic[];
}

/** Turns a shape into a schema; `pointer` locates it in the schema for diagnostics, `name` is its property name. */
export function toSchema(shape: Shape, pointer: string, context: SchemaContext, name = '', mapValue = false): JsonSchema {
  const root = pointer === '';
  const kinds = new Map(shape.kinds);
  const fact = shape.fact;
  // A whole number is evidence of a number; an integer only where a table or code model states one.
  const integer = kinds.get('integer');
  if (integer !== undefined && !context.options.legacyEvidence && !fact?.types.includes('integer')) {
    kinds.delete('integer');
    if (!kinds.has('number')) kinds.set('number', integer);
  }
  const sampled = [...kinds.keys()].filter((k) => k !== 'null' && !(k === 'integer' && kinds.has('number')));
  // A table's type counts where samples show none, and widens where they disagree with it.
  for (const type of fact?.types ?? []) {
    const covered = kinds.has(type) || (type === 'integer' && kinds.has('number')) || (type === 'number' && kinds.has('integer'));
    if (!covered) {
      const sampleKinds = [...kinds.keys()].filter((k) => k !== 'null');
      if (sampleKinds.length > 0 && fact) {
        const at = kinds.get(sampleKinds[0] as JsonType) as Provenance;
        context.diagnostics.push(
          diagnostic(
            'W_TABLE_CONTRADICTS',
            `the table at ${fact.file}:${fact.line} documents ${JSON.stringify(fact.name)} as ${fact.type}, the sample at ${at.file}:${at.line} shows ${sampleKinds.join(' | ')}`,
            at,
            pointer,
          ),
        );
      }
      kinds.set(type, kinds.get(type) ?? { file: fact?.file ?? '', line: fact?.line ?? 1, locale: '', envelope: 'eventgrid' });
    }
  }
  if (fact?.nullable)
    kinds.set('null', kinds.get('null') ?? { file: fact.file, line: fact.line, locale: '', envelope: 'eventgrid' });
  if (kinds.has('integer') && kinds.has('number')) kinds.delete('integer');
  // Seen only as null: no evidence of a type.
  const onlyNull = kinds.size === 1 && kinds.has('null');
  if (onlyNull) kinds.delete('null');
  // Stated as any value (`object` in C#): no type, whatever the samples show.
  if (fact?.any) {
    const schema: JsonSchema = fact.description ? { description: fact.description } : {};
    const evidence = evidenceOf(shape, { hints: [], map: undefined, onlyNull: false });
    return Object.keys(evidence).length > 0 ? { ...schema, 'x-eventgen': evidence } : schema;
  }
  const types = TYPE_ORDER.filter((t) => kinds.has(t));
  const schema: JsonSchema = {};
  if (fact?.description) schema.description = fact.description;
  if (types.length === 1) schema.type = types[0];
  else if (types.length > 1) {
    schema.type = types;
    const real = types.filter((t) => sampled.includes(t));
    if (real.length > 1) {
      const seen = real.map((t) => {
        const at = kinds.get(t) as Provenance;
        return `${t} at ${at.file}:${at.line}`;
      });
      const first = kinds.get(real[0] as JsonType) as Provenance;
      context.diagnostics.push(diagnostic('W_TYPE_MIXED', `field has several types: ${seen.join(', ')}`, first, pointer));
    }
  }
  const hints: string[] = [];
  // A format is enforced where a table or code model states it and no sample breaks it; from samples alone it is a hint.
  if (kinds.has('string') && fact?.format === 'date-time' && (shape.formats === undefined || shape.formats.has('date-time'))) {
    schema.format = 'date-time';
  }
  if (kinds.has('string') && shape.formats !== undefined) {
    if (schema.format === undefined && context.options.legacyEvidence && shape.formats.has('date-time'))
      schema.format = 'date-time';
    else if (context.options.legacyFormats && shape.formats.has('uuid')) schema.format = 'uuid';
    else if (context.options.legacyFormats && shape.formats.has('uri')) schema.format = 'uri';
    for (const hint of ['date-time', 'uuid', 'uri']) if (shape.formats.has(hint) && schema.format !== hint) hints.push(hint);
  }
  let map: string | undefined;
  if (kinds.has('object')) {
    map = mapReason(shape, name, root, mapValue);
    if (map !== undefined) {
      const values = emptyShape();
      for (const child of shape.properties.values()) mergeShape(values, child);
      schema.additionalProperties =
        values.present === 0 || fact?.anyValues ? {} : toSchema(values, `${pointer}/additionalProperties`, context, '', true);
    } else {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [key, prop] of shape.properties) {
        const child = toSchema(prop, `${pointer}/properties/${escapePointer(key)}`, context, key);
        const inEvery = prop.present > 0 && prop.present === shape.objects;
        if (inEvery) child['x-eventgen'] = { ...child['x-eventgen'], inEverySample: true };
        // Samples of newer pages show the object without this field: only older pages document it.
        if (
          prop.present > 0 &&
          !prop.undated &&
          prop.newest !== undefined &&
          shape.newest !== undefined &&
          prop.newest < shape.newest
        ) {
          child.deprecated = true;
          child['x-eventgen'] = { ...child['x-eventgen'], lastDocumented: prop.newest };
        }
        setOwn(properties, key, child);
        if (prop.fact?.required || (context.options.requiredFromSamples && inEvery)) required.push(key);
      }
      schema.properties = properties;
      if (required.length > 0) schema.required = required;
    }
  }
  if (kinds.has('array')) {
    schema.items = shape.items === undefined ? {} : toSchema(shape.items, `${pointer}/items`, context, name);
  }
  const evidence = evidenceOf(shape, { hints, map, onlyNull });
  if (Object.keys(evidence).length > 0) schema['x-eventgen'] = evidence;
  return schema;
}

/** What supports a field, recorded in the schema file under `x-eventgen` (and shown in JSDoc). */
function evidenceOf(shape: Shape, found: { hints: string[]; map: string | undefined; onlyNull: boolean }): XEventgen {
  const out: XEventgen = {};
  if (shape.present > 0) {
    out.samples = shape.samples.size;
    out.pages = shape.pages.size;
  }
  if (found.onlyNull) out.onlyNull = true;
  if (found.hints.length > 0) out.looksLike = found.hints;
  if (found.map !== undefined) out.map = found.map;
  if (shape.fact) {
    const { file, line, name, type, description, required, nullable, values, map, any, format, anyValues, code, types } =
      shape.fact;
    const stated = parseType(type, code === true);
    const joined = types.length !== stated.types.length || types.some((t) => !stated.types.includes(t));
    out.documented = {
      file,
      line,
      name,
      ...(type === undefined ? {} : { type }),
      ...(code ? { code } : {}),
      ...(joined ? { types } : {}),
      ...(any && !stated.any ? { any } : {}),
      ...(format && format !== stated.format ? { format } : {}),
      ...(anyValues && !stated.values?.any ? { anyValues } : {}),
      ...(description === undefined ? {} : { description }),
      ...(required === undefined ? {} : { required }),
      ...(nullable === undefined ? {} : { nullable }),
      ...(values.length === 0 ? {} : { values }),
      ...(map ? { map } : {}),
    };
    if (values.length > 0) out.knownValues = values;
  }
  return out;
}
