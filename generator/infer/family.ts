/**
 * Evidence shared between events, before each event's shape becomes a schema:
 *
 * - families: events of one provider whose names start with the same word
 *   (`Microsoft.Communication.ChatMessageReceived` and `…ChatThreadCreated`: the chat family) are
 *   sent by one service, which writes a field the same way in each. Where their samples show the
 *   same field with different JSON types (chat `version` a number in the user-level samples, a
 *   string in the thread-level ones), every event of the family accepts every type the family shows,
 *   with one warning naming both samples.
 * - variants: objects that recur across events with the same plain members and one object member
 *   that differs (a communication identifier: `rawId` beside `communicationUser`, `phoneNumber` or
 *   `microsoftTeamsUser`) are one shape in several variants; each place collects every variant
 *   member seen anywhere, optional.
 *
 * Both only widen: a type joins a field's types, a member joins an object as optional.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { JsonType, Provenance } from '../ir.ts';
import { emptyShape, mergeShape, type Shape } from './shape.ts';

/** `Microsoft.Communication.ChatMessageReceived` → `Microsoft.Communication.Chat`. */
export function familyOf(eventType: string): string {
  const dot = eventType.lastIndexOf('.');
  const name = eventType.slice(dot + 1);
  const word = /^[A-Z]+(?=[A-Z][a-z])|^[A-Z]?[a-z0-9]+|^[A-Z0-9]+/.exec(name)?.[0] ?? name;
  return `${eventType.slice(0, dot)}.${word}`;
}

/** Each place of a shape with its path (`a/b/[]/c`), objects and arrays included, to a bounded depth. */
function places(shape: Shape, path = '', depth = 0, out: [string, Shape][] = []): [string, Shape][] {
  out.push([path, shape]);
  if (depth >= 32) return out;
  for (const [key, child] of shape.properties)
    places(child, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1, out);
  if (shape.items) places(shape.items, `${path}/[]`, depth + 1, out);
  return out;
}

/** The JSON types a place shows, a whole number counted as a number. */
function shownTypes(shape: Shape): Map<JsonType, Provenance> {
  const out = new Map<JsonType, Provenance>();
  for (const [kind, at] of shape.kinds) {
    const type = kind === 'integer' ? 'number' : kind;
    if (type !== 'null' && !out.has(type)) out.set(type, at);
  }
  return out;
}

export function shareFamilies(shapes: ReadonlyMap<string, Shape>, diagnostics: Diagnostic[]): void {
  const families = new Map<string, string[]>();
  for (const eventType of [...shapes.keys()].sort()) {
    const family = familyOf(eventType);
    families.set(family, [...(families.get(family) ?? []), eventType]);
  }
  for (const members of families.values()) {
    if (members.length < 2) continue;
    const byPath = new Map<string, { eventType: string; shape: Shape; types: Map<JsonType, Provenance> }[]>();
    for (const eventType of members) {
      for (const [path, shape] of places(shapes.get(eventType) as Shape)) {
        if (path === '') continue;
        const list = byPath.get(path) ?? [];
        list.push({ eventType, shape, types: shownTypes(shape) });
        byPath.set(path, list);
      }
    }
    for (const [path, list] of byPath) {
      const all = new Map<JsonType, Provenance>();
      for (const { types } of list) for (const [type, at] of types) if (!all.has(type)) all.set(type, at);
      const disagree = list.some(({ types }) => types.size > 0 && [...all.keys()].some((t) => !types.has(t)));
      if (!disagree) continue;
      for (const { shape, types } of list) {
        // A place seen only as null has no type (it accepts anything): adding one would narrow it.
        if (types.size === 0) continue;
        for (const [type, at] of all) {
          if (!types.has(type) && !(type === 'number' && shape.kinds.has('integer'))) shape.kinds.set(type, at);
        }
      }
      const seen = [...all].map(([type, at]) => `${type} at ${at.file}:${at.line}`);
      const first = [...all.values()][0] as Provenance;
      diagnostics.push(
        diagnostic(
          'W_FAMILY_TYPES',
          `${path.replace(/\/\[\]/g, '[]')} is ${seen.join(' and ')} across ${list.map((l) => l.eventType).join(', ')}; each accepts every type`,
          first,
        ),
      );
    }
  }
}

const PLAIN: ReadonlySet<JsonType> = new Set(['string', 'number', 'integer', 'boolean', 'null']);

function isPlain(shape: Shape): boolean {
  return shape.kinds.size > 0 && [...shape.kinds.keys()].every((k) => PLAIN.has(k));
}

function isObjectOnly(shape: Shape): boolean {
  return shape.kinds.has('object') && [...shape.kinds.keys()].every((k) => k === 'object' || k === 'null');
}

/** The plain members of an object place and its one object member, when it has that form. */
function variantOf(shape: Shape): { key: string; member: string } | undefined {
  if (shape.objects === 0 || shape.properties.size < 2) return undefined;
  const plain: string[] = [];
  const objects: string[] = [];
  for (const [key, child] of shape.properties) {
    if (isPlain(child)) plain.push(key);
    else if (isObjectOnly(child)) objects.push(key);
    else return undefined;
  }
  if (plain.length === 0 || objects.length !== 1) return undefined;
  return { key: plain.sort().join('\u0000'), member: objects[0] as string };
}

export function shareVariants(shapes: ReadonlyMap<string, Shape>): void {
  const groups = new Map<string, { place: Shape; member: string }[]>();
  for (const eventType of [...shapes.keys()].sort()) {
    for (const [, place] of places(shapes.get(eventType) as Shape)) {
      const variant = variantOf(place);
      if (variant === undefined) continue;
      const group = groups.get(variant.key) ?? [];
      group.push({ place, member: variant.member });
      groups.set(variant.key, group);
    }
  }
  for (const group of groups.values()) {
    const members = new Map<string, Shape>();
    for (const { place, member } of group) {
      const merged = members.get(member) ?? emptyShape();
      mergeShape(merged, clone(place.properties.get(member) as Shape));
      members.set(member, merged);
    }
    if (members.size < 2) continue;
    for (const { place } of group) {
      for (const [name, shape] of [...members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (place.properties.has(name)) continue;
        const added = clone(shape);
        added.present = 0;
        place.properties.set(name, added);
      }
    }
  }
}

/** A deep copy of a shape (shapes are mutated while merging). */
function clone(shape: Shape): Shape {
  const copy = emptyShape();
  mergeShape(copy, shape);
  const properties = [...copy.properties];
  copy.properties.clear();
  for (const [key, child] of properties) copy.properties.set(key, clone(child));
  if (copy.items) copy.items = clone(copy.items);
  return copy;
}
