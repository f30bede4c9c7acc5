/**
 * The inference IR: a Shape accumulates every value seen at one place in the samples of
 * one event type, together with what the docs' property tables state about that place
 * (evidence.ts); schema.ts turns it into the JSON Schema the evidence supports.
 */
import type { Fact, JsonType, Provenance } from '../ir.ts';
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
  if (kind === 'string') observeString(shape, value as string);
  else if (kind === 'array') observeItems(shape, value as unknown[], seen);
  else if (kind === 'object') observeObject(shape, value as Record<string, unknown>, seen);
}

/** The formats every non-placeholder string here satisfies. */
function observeString(shape: Shape, text: string): void {
  if (isPlaceholder(text)) return;
  shape.formats = intersect(shape.formats, new Set<string>(formatsOf(text)));
}

function observeItems(shape: Shape, items: readonly unknown[], seen: Observation): void {
  for (const item of items) {
    shape.items ??= emptyShape();
    observe(shape.items, item, seen);
  }
}

function observeObject(shape: Shape, object: Record<string, unknown>, seen: Observation): void {
  shape.objects++;
  const keys = Object.keys(object);
  shape.commonKeys = intersect(shape.commonKeys, new Set(keys));
  for (const key of keys) {
    const child = object[key];
    if (typeof child === 'object' && child !== null) shape.primitiveValues = false;
    let prop = shape.properties.get(key);
    if (prop === undefined) {
      prop = emptyShape();
      shape.properties.set(key, prop);
    }
    observe(prop, child, seen);
  }
}

/** What both sets hold; `mine` undefined (nothing seen yet) takes all of `other`. */
function intersect<T>(mine: Set<T> | undefined, other: ReadonlySet<T>): Set<T> {
  return mine === undefined ? new Set(other) : new Set([...mine].filter((x) => other.has(x)));
}

/** Merges `from` into `into` (the values of a map's entries become one shape). */
export function mergeShape(into: Shape, from: Shape): void {
  for (const [kind, at] of from.kinds) if (!into.kinds.has(kind)) into.kinds.set(kind, at);
  into.objects += from.objects;
  into.present += from.present;
  for (const id of from.samples) into.samples.add(id);
  for (const page of from.pages) into.pages.add(page);
  if (from.formats !== undefined) into.formats = intersect(into.formats, from.formats);
  if (from.commonKeys !== undefined) into.commonKeys = intersect(into.commonKeys, from.commonKeys);
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
