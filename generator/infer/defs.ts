/**
 * Shared definitions: object shapes that recur, identical, in the data of two or
 * more event types (for example `{ displayName, memberId }` in several chat events)
 * are hoisted into `$defs` in one shared file and referenced from each event schema.
 * Shapes that merely look alike (a different key or type) stay separate.
 *
 * Names are stable: built from the property names the shape appears under
 * (`members`, `memberAdded`, `memberRemoved` → common word `Member`), prefixed with
 * the provider prefix of the events that use it (`AcsMember`). When that gives the
 * same name to two shapes, their own keys name them instead.
 */
import type { JsonSchema } from '../ir.ts';
import { SHARED_DEFS_FILE } from '../ir.ts';
import { pascal, providerPrefix, singular, splitEventType, words } from '../names.ts';
import { pushTo, setOwn } from '../own.ts';

export interface EventData {
  readonly eventType: string;
  schema: JsonSchema;
}

interface Occurrence {
  readonly eventType: string;
  readonly name: string;
}

/** Stable text of a schema that ignores property order, used to compare shapes. */
export function canonical(schema: unknown): string {
  if (Array.isArray(schema)) return `[${schema.map(canonical).join(',')}]`;
  if (typeof schema !== 'object' || schema === null) return JSON.stringify(schema);
  const entries = Object.entries(schema).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${k === 'required' ? canonical([...(v as string[])].sort()) : canonical(v)}`).join(',')}}`;
}

const isSharable = (s: JsonSchema): boolean =>
  s.type === 'object' && s.properties !== undefined && Object.keys(s.properties).length > 0;

type Visitor = (replaced: JsonSchema, raw: JsonSchema, name: string) => JsonSchema;

/**
 * Rebuilds `schema` bottom-up: `visit` sees every subschema below the root after its
 * children were visited, both as rebuilt and as it was, with the name it appears
 * under (array items take the singular of their property's name).
 */
function walk(schema: JsonSchema, name: string, visit: Visitor): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    const properties: Record<string, JsonSchema> = {};
    for (const [key, child] of Object.entries(schema.properties)) {
      const value = visit(walk(child, key, visit), child, key);
      setOwn(properties, key, value);
    }
    out.properties = properties;
  }
  if (schema.items) {
    const itemName = singular(name);
    out.items = visit(walk(schema.items, itemName, visit), schema.items, itemName);
  }
  return out;
}

/**
 * Replaces recurring shapes in `events` (in place) by `$ref`s and returns the shared
 * definitions by name.
 */
export function hoistShared(events: EventData[]): Record<string, JsonSchema> {
  const occurrences = new Map<string, Occurrence[]>();
  for (const event of events) {
    walk(event.schema, '', (_, raw, name) => {
      if (isSharable(raw)) {
        const key = canonical(raw);
        pushTo(occurrences, key, { eventType: event.eventType, name });
      }
      return raw;
    });
  }
  const shared = [...occurrences].filter(([, occ]) => new Set(occ.map((o) => o.eventType)).size >= 2);
  // Larger shapes first, then canonical text: a deterministic order for naming.
  shared.sort(([a], [b]) => b.length - a.length || (a < b ? -1 : 1));
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const [key, occ] of shared) {
    const keys = Object.keys((JSON.parse(key) as JsonSchema).properties ?? {});
    const prefix = commonPrefix(occ);
    const byUse = prefix + pascal(commonWords(occ.map((o) => o.name)));
    const byKeys = prefix + keys.map(pascal).join('');
    const name = [byUse, byKeys].find((n) => n !== prefix && !taken.has(n)) ?? `${byKeys}Shape${taken.size}`;
    taken.add(name);
    names.set(key, name);
  }
  const defs: Record<string, JsonSchema> = {};
  const replace: Visitor = (replaced, raw) => {
    const name = isSharable(raw) ? names.get(canonical(raw)) : undefined;
    if (name === undefined) return replaced;
    defs[name] ??= replaced;
    return { $ref: `${SHARED_DEFS_FILE}#/$defs/${name}` };
  };
  for (const event of events) event.schema = walk(event.schema, '', replace);
  return Object.fromEntries(Object.entries(defs).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function commonPrefix(occ: readonly Occurrence[]): string {
  const prefixes = new Set(occ.map((o) => providerPrefix(splitEventType(o.eventType).provider)));
  return prefixes.size === 1 ? ([...prefixes][0] as string) : '';
}

/** The longest run of words all names start with, else end with. */
function commonWords(names: readonly string[]): string {
  const split = names.map((n) => words(n).map((w) => w.toLowerCase()));
  const shortest = Math.min(...split.map((w) => w.length));
  const head: string[] = [];
  for (let i = 0; i < shortest && split.every((w) => w[i] === split[0]?.[i]); i++) head.push(split[0]?.[i] as string);
  if (head.length > 0) return head.join(' ');
  const tail: string[] = [];
  for (let i = 1; i <= shortest && split.every((w) => w[w.length - i] === split[0]?.[split[0].length - i]); i++) {
    tail.unshift(split[0]?.[split[0].length - i] as string);
  }
  return tail.join(' ');
}
