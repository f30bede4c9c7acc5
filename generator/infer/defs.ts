/**
 * Shared definitions: an object shape that recurs, identical, under the same property name
 * in the data of two or more event types (`communicationUser` in several chat and calling
 * events) is hoisted into `$defs` in one shared file and referenced from each event schema.
 * Shapes under different names stay apart even when they look alike (a room's `{id}` is not
 * a user's `{id}`), and so do shapes that differ in a key, a type or a description.
 *
 * Names mean something: the property name the shape appears under, in Pascal case, prefixed
 * with the provider prefix of the events that use it (`communicationUser` → `AcsCommunicationUser`;
 * array items take the singular: `members` → `AcsMember`). Should two different shapes recur
 * under one name, the most used one is shared and the others stay inline.
 */
import type { JsonSchema } from '../ir.ts';
import { SHARED_DEFS_FILE } from '../ir.ts';
import { pascal, providerPrefix, singular, splitEventType, typeName } from '../names.ts';
import { pushTo } from '../own.ts';
import { rebuild, type SchemaPlace, walk } from '../schema-walk.ts';

export interface EventData {
  readonly eventType: string;
  schema: JsonSchema;
}

interface Occurrence {
  readonly eventType: string;
  readonly name: string;
}

/**
 * Stable text of a schema that ignores property order, used to compare shapes. With `shape`,
 * the evidence recorded under `x-eventgen` (sample counts, pages) is left out: it differs from
 * one event to another while the shape is the same.
 */
export function canonical(schema: unknown, shape = false, inProperties = false): string {
  if (Array.isArray(schema)) return `[${schema.map((s) => canonical(s, shape)).join(',')}]`;
  if (typeof schema !== 'object' || schema === null) return JSON.stringify(schema);
  const entries = Object.entries(schema)
    .filter(([k]) => inProperties || !(shape && k === 'x-eventgen'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries
    .map(([k, v]) => {
      const text =
        k === 'required' && !inProperties
          ? canonical([...(v as string[])].sort())
          : canonical(v, shape, !inProperties && k === 'properties');
      return `${JSON.stringify(k)}:${text}`;
    })
    .join(',')}}`;
}

const isSharable = (s: JsonSchema): boolean =>
  s.type === 'object' && s.properties !== undefined && Object.keys(s.properties).length > 0;

/** The keywords hoisting looks under: shared shapes are objects of properties and array items. */
const HOISTED = ['properties', 'items'];

/** The name a subschema appears under: its property's, the singular of it for array items, `''` at the top. */
function nameOf(place: SchemaPlace): string {
  if (place.keyword === 'properties') return place.key ?? '';
  return place.keyword === 'items' && place.parent ? singular(nameOf(place.parent)) : '';
}

/**
 * Replaces recurring shapes in `events` (in place) by `$ref`s and returns the shared
 * definitions by name.
 */
export function hoistShared(events: EventData[]): Record<string, JsonSchema> {
  const occurrences = new Map<string, Occurrence[]>();
  for (const event of events) {
    walk(
      event.schema,
      (place) => {
        const name = nameOf(place);
        if (isSharable(place.schema) && name !== '')
          pushTo(occurrences, keyOf(place.schema, name), { eventType: event.eventType, name });
      },
      { keywords: HOISTED },
    );
  }
  const shared = [...occurrences].filter(([, occ]) => new Set(occ.map((o) => o.eventType)).size >= 2);
  // Most used first, then larger shapes, then canonical text: a deterministic order for naming.
  shared.sort(([a, x], [b, y]) => y.length - x.length || b.length - a.length || (a < b ? -1 : 1));
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const [key, occ] of shared) {
    const first = occ[0] as Occurrence;
    const name = typeName(commonPrefix(occ) + pascal(first.name));
    if (taken.has(name)) continue;
    taken.add(name);
    names.set(key, name);
  }
  const defs: Record<string, JsonSchema> = {};
  const replace = (replaced: JsonSchema, place: SchemaPlace): JsonSchema => {
    const raw = place.schema;
    const name = nameOf(place);
    const def = isSharable(raw) && name !== '' ? names.get(keyOf(raw, name)) : undefined;
    if (def === undefined) return replaced;
    defs[def] ??= replaced;
    return { $ref: `${SHARED_DEFS_FILE}#/$defs/${def}` };
  };
  for (const event of events) event.schema = rebuild(event.schema, replace, HOISTED);
  return Object.fromEntries(Object.entries(defs).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Occurrences are shared by property name and shape. */
function keyOf(schema: JsonSchema, name: string): string {
  return `${name}\u0000${canonical(schema, true)}`;
}

function commonPrefix(occ: readonly Occurrence[]): string {
  const prefixes = new Set(occ.map((o) => providerPrefix(splitEventType(o.eventType).provider)));
  return prefixes.size === 1 ? ([...prefixes][0] as string) : '';
}
