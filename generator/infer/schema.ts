/**
 * A Shape (shape.ts) and what the docs state about it → the JSON Schema of that place, holding only
 * what the evidence supports (DESIGN.md), keyword by keyword from a table:
 *
 * - `type`: the types the samples show, widened by a table's; a whole number is a `number` unless a
 *   table or code model states an integer; a field seen only as `null` has no type, and `null` beside
 *   another type makes it nullable; mixed types are a warning, never an enum, pattern or const;
 * - `format`: `date-time` only where a table or code model states it and no sample breaks it; what
 *   samples alone show (`date-time`, `uuid`, `uri`) is a hint under `x-eventgen.looksLike`;
 * - `additionalProperties` for an object whose keys are data (URLs, placeholders, ids, label names);
 *   else `properties`, and `required` only where a table says so (or with `requiredFromSamples`);
 *   "present in every sample" is recorded, not enforced; never `additionalProperties: false`;
 * - `x-eventgen`: the evidence for the place.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { Fact, JsonSchema, JsonType, Provenance, XEventgen } from '../ir.ts';
import { setOwn } from '../own.ts';
import { escapePointer } from '../pointer.ts';
import { parseType } from '../typewords.ts';
import { emptyShape, mapReason, mergeShape, type Shape } from './shape.ts';

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

export interface SchemaContext {
  readonly options: SchemaOptions;
  readonly diagnostics: Diagnostic[];
}

const TYPE_ORDER: readonly JsonType[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
const HINTS = ['date-time', 'uuid', 'uri'];

/** One place being turned into a schema, with what the evidence says about it. */
interface Place {
  readonly shape: Shape;
  readonly fact: Fact | undefined;
  /** Where it is in the schema, for diagnostics; '' at the top of an event's data. */
  readonly pointer: string;
  /** Its property name ('' at the top and for a map's values). */
  readonly name: string;
  readonly context: SchemaContext;
  /** Every JSON type the evidence supports here, with where it was first seen (or stated). */
  readonly kinds: ReadonlyMap<JsonType, Provenance>;
  /** The types the samples themselves show (not `null`). */
  readonly sampled: readonly JsonType[];
  readonly types: JsonType[];
  /** Samples show only `null` here. */
  readonly onlyNull: boolean;
  readonly format: string | undefined;
  /** Formats every sample matches that are not enforced. */
  readonly hints: string[];
  /** Why the object here is a map, or undefined when it has fields. */
  readonly map: string | undefined;
}

/** Turns a shape into a schema; `pointer` locates it in the schema for diagnostics, `name` is its property name. */
export function toSchema(shape: Shape, pointer: string, context: SchemaContext, name = '', mapValue = false): JsonSchema {
  const place = placeOf(shape, pointer, context, name, mapValue);
  const schema: JsonSchema = {};
  // Stated as any value (`object` in C#): no type, whatever the samples show.
  for (const [keyword, build] of place.fact?.any ? ANY_VALUE : KEYWORDS) {
    const value = build(place);
    if (value !== undefined) schema[keyword] = value;
  }
  return schema;
}

type Build = (place: Place) => unknown;

/** Each keyword of a place's schema, in the order the schema files hold them. */
const KEYWORDS: readonly (readonly [string, Build])[] = [
  ['description', (p) => p.fact?.description || undefined],
  ['type', typeOf],
  ['format', (p) => p.format],
  ['additionalProperties', mapValues],
  ['properties', propertiesOf],
  ['required', requiredOf],
  ['items', itemsOf],
  ['x-eventgen', (p) => evidenceOf(p.shape, p)],
];

/** A place stated as any value: its description and what the samples show, nothing that constrains it. */
const ANY_VALUE: readonly (readonly [string, Build])[] = [
  ['description', (p) => p.fact?.description || undefined],
  ['x-eventgen', (p) => evidenceOf(p.shape, { hints: [], map: undefined, onlyNull: false })],
];

function placeOf(shape: Shape, pointer: string, context: SchemaContext, name: string, mapValue: boolean): Place {
  const fact = shape.fact;
  const { kinds, sampled, onlyNull } = kindsOf(shape, pointer, context);
  const types = TYPE_ORDER.filter((t) => kinds.has(t));
  const format = formatOf(shape, kinds, context.options);
  const formats = shape.formats;
  const hints = kinds.has('string') && formats !== undefined ? HINTS.filter((h) => formats.has(h) && format !== h) : [];
  const map = kinds.has('object') ? mapReason(shape, name, pointer === '', mapValue) : undefined;
  return { shape, fact, pointer, name, context, kinds, sampled, types, onlyNull, format, hints, map };
}

/** The types the evidence supports: the samples', a whole number as a number, widened by what a table states. */
function kindsOf(shape: Shape, pointer: string, context: SchemaContext) {
  const kinds = new Map(shape.kinds);
  const fact = shape.fact;
  // A whole number is evidence of a number; an integer only where a table or code model states one.
  const integer = kinds.get('integer');
  if (integer !== undefined && !context.options.legacyEvidence && !fact?.types.includes('integer')) {
    kinds.delete('integer');
    if (!kinds.has('number')) kinds.set('number', integer);
  }
  const sampled = [...kinds.keys()].filter((k) => k !== 'null' && !(k === 'integer' && kinds.has('number')));
  if (fact) addStated(kinds, fact, pointer, context);
  if (kinds.has('integer') && kinds.has('number')) kinds.delete('integer');
  // Seen only as null: no evidence of a type.
  const onlyNull = kinds.size === 1 && kinds.has('null');
  if (onlyNull) kinds.delete('null');
  return { kinds, sampled, onlyNull };
}

/** A table's type counts where samples show none, and widens where they disagree with it (a warning). */
function addStated(kinds: Map<JsonType, Provenance>, fact: Fact, pointer: string, context: SchemaContext): void {
  const stated = { file: fact.file, line: fact.line, locale: '', envelope: 'eventgrid' as const };
  for (const type of fact.types) {
    const covered = kinds.has(type) || (type === 'integer' && kinds.has('number')) || (type === 'number' && kinds.has('integer'));
    if (covered) continue;
    const sampleKinds = [...kinds.keys()].filter((k) => k !== 'null');
    const at = sampleKinds[0] === undefined ? undefined : kinds.get(sampleKinds[0]);
    if (at) {
      const message = `the table at ${fact.file}:${fact.line} documents ${JSON.stringify(fact.name)} as ${fact.type}, the sample at ${at.file}:${at.line} shows ${sampleKinds.join(' | ')}`;
      context.diagnostics.push(diagnostic('W_TABLE_CONTRADICTS', message, at, pointer));
    }
    kinds.set(type, stated);
  }
  if (fact.nullable) kinds.set('null', kinds.get('null') ?? stated);
}

/** The enforced format: a stated date-time no sample breaks (or, for older files, what their rules took from samples). */
function formatOf(shape: Shape, kinds: ReadonlyMap<JsonType, Provenance>, options: SchemaOptions): string | undefined {
  if (!kinds.has('string')) return undefined;
  const formats = shape.formats;
  const stated =
    shape.fact?.format === 'date-time' && (formats === undefined || formats.has('date-time')) ? 'date-time' : undefined;
  if (formats === undefined) return stated;
  if (stated === undefined && options.legacyEvidence && formats.has('date-time')) return 'date-time';
  if (options.legacyFormats && formats.has('uuid')) return 'uuid';
  if (options.legacyFormats && formats.has('uri')) return 'uri';
  return stated;
}

/** One type or a list; samples that disagree are a warning (what a table adds is not). */
function typeOf({ types, sampled, kinds, pointer, context }: Place): JsonType | JsonType[] | undefined {
  if (types.length <= 1) return types[0];
  const real = types.filter((t) => sampled.includes(t));
  const seen = real.flatMap((t) => {
    const at = kinds.get(t);
    return at ? [{ t, at }] : [];
  });
  const first = seen[0];
  if (seen.length > 1 && first) {
    const message = `field has several types: ${seen.map(({ t, at }) => `${t} at ${at.file}:${at.line}`).join(', ')}`;
    context.diagnostics.push(diagnostic('W_TYPE_MIXED', message, first.at, pointer));
  }
  return types;
}

/** A map's values, all of its entries' shapes as one. */
function mapValues({ shape, fact, map, pointer, context }: Place): JsonSchema | undefined {
  if (map === undefined) return undefined;
  const values = emptyShape();
  for (const child of shape.properties.values()) mergeShape(values, child);
  return values.present === 0 || fact?.anyValues ? {} : toSchema(values, `${pointer}/additionalProperties`, context, '', true);
}

function propertiesOf(place: Place): Record<string, JsonSchema> | undefined {
  const { shape, pointer, context } = place;
  if (!place.kinds.has('object') || place.map !== undefined) return undefined;
  const properties: Record<string, JsonSchema> = {};
  for (const [key, prop] of shape.properties) {
    const child = toSchema(prop, `${pointer}/properties/${escapePointer(key)}`, context, key);
    if (inEverySample(shape, prop)) child['x-eventgen'] = { ...child['x-eventgen'], inEverySample: true };
    // Samples of newer pages show the object without this field: only older pages document it.
    if (onlyOlderPages(shape, prop)) {
      child.deprecated = true;
      child['x-eventgen'] = { ...child['x-eventgen'], lastDocumented: prop.newest };
    }
    setOwn(properties, key, child);
  }
  return properties;
}

/** An array's items, named after the array's property. */
function itemsOf({ shape, kinds, pointer, context, name }: Place): JsonSchema | undefined {
  if (!kinds.has('array')) return undefined;
  return shape.items === undefined ? {} : toSchema(shape.items, `${pointer}/items`, context, name);
}

function requiredOf({ shape, kinds, map, context }: Place): string[] | undefined {
  if (!kinds.has('object') || map !== undefined) return undefined;
  const byTable = (prop: Shape) => prop.fact?.required || (context.options.requiredFromSamples && inEverySample(shape, prop));
  const required = [...shape.properties].filter(([, prop]) => byTable(prop)).map(([key]) => key);
  return required.length > 0 ? required : undefined;
}

const inEverySample = (object: Shape, prop: Shape) => prop.present > 0 && prop.present === object.objects;

function onlyOlderPages(object: Shape, prop: Shape): boolean {
  if (prop.present === 0 || prop.undated || prop.newest === undefined || object.newest === undefined) return false;
  return prop.newest < object.newest;
}

/** What supports a field, recorded in the schema file under `x-eventgen` (and shown in JSDoc). */
function evidenceOf(shape: Shape, found: Pick<Place, 'hints' | 'map' | 'onlyNull'>): XEventgen | undefined {
  const out: XEventgen = {};
  if (shape.present > 0) {
    out.samples = shape.samples.size;
    out.pages = shape.pages.size;
  }
  if (found.onlyNull) out.onlyNull = true;
  if (found.hints.length > 0) out.looksLike = found.hints;
  if (found.map !== undefined) out.map = found.map;
  if (shape.fact) {
    out.documented = recorded(shape.fact);
    if (shape.fact.values.length > 0) out.knownValues = shape.fact.values;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A fact as the schema file records it: what its type cell implies is left out (infer/evidence.ts restores it). */
function recorded(fact: Fact): XEventgen['documented'] {
  const { file, line, name, type, description, required, nullable, values, map, any, format, anyValues, code, types } = fact;
  const stated = parseType(type, code === true);
  const joined = types.length !== stated.types.length || types.some((t) => !stated.types.includes(t));
  return {
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
}
