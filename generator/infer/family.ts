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
import { pushTo } from '../own.ts';
import { escapePointer } from '../pointer.ts';
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
  for (const [key, child] of shape.properties) places(child, `${path}/${escapePointer(key)}`, depth + 1, out);
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

/** One place of one event of a family, with the types it shows. */
interface FamilyPlace {
  readonly eventType: string;
  readonly shape: Shape;
  readonly types: Map<JsonType, Provenance>;
}

export function shareFamilies(shapes: ReadonlyMap<string, Shape>, diagnostics: Diagnostic[]): void {
  const families = new Map<string, string[]>();
  for (const eventType of [...shapes.keys()].sort()) pushTo(families, familyOf(eventType), eventType);
  for (const members of families.values()) {
    if (members.length < 2) continue;
    for (const [path, list] of placesByPath(members, shapes)) shareTypes(path, list, diagnostics);
  }
}

/** The places of a family's events, by path (the top of each event's data left out). */
function placesByPath(members: readonly string[], shapes: ReadonlyMap<string, Shape>): Map<string, FamilyPlace[]> {
  const byPath = new Map<string, FamilyPlace[]>();
  for (const eventType of members) {
    const root = shapes.get(eventType);
    for (const [path, shape] of root ? places(root) : []) {
      if (path !== '') pushTo(byPath, path, { eventType, shape, types: shownTypes(shape) });
    }
  }
  return byPath;
}

/** Where the family's events show one place with different types, each accepts every type shown (a warning). */
function shareTypes(path: string, list: readonly FamilyPlace[], diagnostics: Diagnostic[]): void {
  const all = new Map<JsonType, Provenance>();
  for (const { types } of list) for (const [type, at] of types) if (!all.has(type)) all.set(type, at);
  const disagree = list.some(({ types }) => types.size > 0 && [...all.keys()].some((t) => !types.has(t)));
  const first = [...all.values()][0];
  if (!disagree || first === undefined) return;
  for (const { shape, types } of list) {
    // A place seen only as null has no type (it accepts anything): adding one would narrow it.
    if (types.size === 0) continue;
    for (const [type, at] of all) {
      if (!types.has(type) && !(type === 'number' && shape.kinds.has('integer'))) shape.kinds.set(type, at);
    }
  }
  const seen = [...all].map(([type, at]) => `${type} at ${at.file}:${at.line}`);
  const message = `${path.replace(/\/\[\]/g, '[]')} is ${seen.join(' and ')} across ${list.map((l) => l.eventType).join(', ')}; each accepts every type`;
  diagnostics.push(diagnostic('W_FAMILY_TYPES', message, first));
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
    const root = shapes.get(eventType);
    for (const [, place] of root ? places(root) : []) {
      const variant = variantOf(place);
      if (variant) pushTo(groups, variant.key, { place, member: variant.member });
    }
  }
  for (const group of groups.values()) shareMembers(group);
}

/** Every place of one form collects every variant member the others show, optional. */
function shareMembers(group: readonly { place: Shape; member: string }[]): void {
  const members = new Map<string, Shape>();
  for (const { place, member } of group) {
    const merged = members.get(member) ?? emptyShape();
    const shape = place.properties.get(member);
    if (shape) mergeShape(merged, clone(shape));
    members.set(member, merged);
  }
  if (members.size < 2) return;
  const sorted = [...members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const { place } of group) {
    for (const [name, shape] of sorted) {
      if (place.properties.has(name)) continue;
      const added = clone(shape);
      added.present = 0;
      place.properties.set(name, added);
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
