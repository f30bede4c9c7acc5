/**
 * The fixture factories of the generated package, over the models `fixture-models.ts` holds for its
 * event types: a seeded random source, deep copies and merges that treat every key (even `__proto__`)
 * as plain data, JSON-pointer edits, and the factories built on them. `fixtures.ts` re-exports them
 * beside one typed factory per event type.
 */
import type { CloudEventOf, EventDataMap, EventGridEventOf, EventType } from './events.js';
import { MODELS } from './fixture-models.js';
import { splitPointer } from './pointer.js';

/** Fixtures never read the clock: every time is this reference time plus a seeded offset. */
export const REFERENCE_TIME = Date.UTC(2024, 0, 1, 0, 0, 0);

/** mulberry32: a tiny seeded generator, identical on every platform. Returns numbers in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A version-4 UUID from the generator. */
export function uuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
  const variant = ((Math.floor(next() * 4) + 8) >>> 0).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An RFC 3339 timestamp within a year after {@link REFERENCE_TIME}. */
export function timestamp(next: () => number): string {
  return new Date(REFERENCE_TIME + Math.floor(next() * 365 * 24 * 3600 * 1000)).toISOString();
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of JSON data; keys such as `__proto__` stay own properties. */
export function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) define(out, key, copy(child));
  return out as T;
}

/**
 * Makes every property optional, at any depth, except inside arrays: an array in
 * overrides replaces the default array whole.
 */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** `overrides` merged into a copy of `base`: objects merge key by key, arrays and other values replace, `undefined` keeps the default. */
export function merge<T>(base: T, overrides: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(overrides))
    return (overrides === undefined ? copy(base) : copy(overrides)) as T;
  const out = copy(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    define(out, key, Object.hasOwn(out, key) ? merge(out[key], value) : copy(value));
  }
  return out as T;
}

/** Sets (or, with `remove`, deletes) the value at a JSON pointer that exists in `root`. */
export function edit(root: unknown, pointer: string, value: unknown, remove = false): unknown {
  const path = splitPointer(pointer);
  const last = path.pop();
  if (last === undefined) return value;
  let parent: unknown = root;
  for (const token of path) parent = (parent as Record<string, unknown>)[token];
  if (Array.isArray(parent)) {
    if (remove) parent.splice(Number(last), 1);
    else parent[Number(last)] = value;
  } else if (isPlainObject(parent)) {
    if (remove) delete parent[last];
    else define(parent, last, value);
  }
  return root;
}

/** Options of every factory. */
export interface FixtureOptions {
  /** The same seed gives the same fixture on every run and platform. Default 1. */
  seed?: number;
}

/** What the generated `fixture-models.ts` holds for each event type (generator/emit/fixtures.ts makes it). */
export interface FixtureModel {
  data: unknown;
  seeded: [string, 'uuid' | 'date-time'][];
  subject: string;
  source: string;
  dataVersion: string;
  /** `[path, "required"]`, `[path, "type", wrong type, expected types]` or `[path, "format", format, bad value]`. */
  mutants: StoredMutant[];
}

type StoredMutant =
  | [path: string, keyword: 'required']
  | [path: string, keyword: 'type', wrong: keyof typeof WRONG, expected: string]
  | [path: string, keyword: 'format', format: string, bad: string];

/** A value of each JSON type, set where the schema allows another. */
const WRONG = { boolean: true, string: 'wrong type', number: 1.5, object: {}, null: null };

function model(eventType: EventType): FixtureModel {
  if (!Object.hasOwn(MODELS, eventType)) throw new TypeError(`Unknown event type: ${String(eventType)}`);
  return MODELS[eventType];
}

/**
 * The data of an `eventType` event: the doc's first sample (placeholders made real),
 * its uuid and date-time fields varied by the seed, then `overrides` merged in.
 * Objects in `overrides` merge key by key; arrays replace the default array whole.
 */
export function makeData<T extends EventType>(
  eventType: T,
  overrides?: DeepPartial<EventDataMap[T]>,
  options: FixtureOptions = {},
): EventDataMap[T] {
  const m = model(eventType);
  const next = random(options.seed ?? 1);
  let data = copy(m.data);
  for (const [pointer, format] of m.seeded)
    data = edit(data, pointer, format === 'uuid' ? uuid(next) : timestamp(next));
  return merge(data, overrides) as EventDataMap[T];
}

/** An Event Grid event (the delivered form, with `topic` and `metadataVersion`); see {@link makeData} for `overrides`. */
export function makeEventGridEvent<T extends EventType>(
  eventType: T,
  overrides?: DeepPartial<EventGridEventOf<T>>,
  options: FixtureOptions = {},
): EventGridEventOf<T> {
  const m = model(eventType);
  const next = random((options.seed ?? 1) ^ 0x5bd1e995);
  const event = {
    id: uuid(next),
    topic: m.source,
    subject: m.subject,
    eventType,
    eventTime: timestamp(next),
    data: makeData(eventType, undefined, options),
    dataVersion: m.dataVersion,
    metadataVersion: '1',
  };
  return merge(event, overrides) as EventGridEventOf<T>;
}

/** A CloudEvents 1.0 event in the JSON format; see {@link makeData} for `overrides`. */
export function makeCloudEvent<T extends EventType>(
  eventType: T,
  overrides?: DeepPartial<CloudEventOf<T>>,
  options: FixtureOptions = {},
): CloudEventOf<T> {
  const m = model(eventType);
  const next = random((options.seed ?? 1) ^ 0x5bd1e995);
  const event = {
    specversion: '1.0' as const,
    id: uuid(next),
    source: m.source,
    type: eventType,
    subject: m.subject,
    time: timestamp(next),
    datacontenttype: 'application/json',
    data: makeData(eventType, undefined, options),
  };
  return merge(event, overrides) as CloudEventOf<T>;
}

/** `count` events of one type with distinct ids (seeds `seed`, `seed + 1`, …). */
export function makeBatch<T extends EventType>(
  eventType: T,
  count: number,
  options: FixtureOptions & { envelope: 'cloudevents' },
): CloudEventOf<T>[];
export function makeBatch<T extends EventType>(
  eventType: T,
  count: number,
  options?: FixtureOptions & { envelope?: 'eventgrid' },
): EventGridEventOf<T>[];
export function makeBatch<T extends EventType>(
  eventType: T,
  count: number,
  options: FixtureOptions & { envelope?: 'eventgrid' | 'cloudevents' } = {},
): (EventGridEventOf<T> | CloudEventOf<T>)[] {
  const seed = options.seed ?? 1;
  return Array.from({ length: count }, (_, i) => {
    const at = { seed: seed + i };
    const event =
      options.envelope === 'cloudevents'
        ? makeCloudEvent(eventType, undefined, at)
        : makeEventGridEvent(eventType, undefined, at);
    // The index in the last 12 hex digits keeps ids distinct even if two seeds gave the same UUID.
    return { ...event, id: `${event.id.slice(0, 24)}${i.toString(16).padStart(12, '0')}` };
  });
}

/** Data that must fail validation, and the JSON pointer and keyword the validator must report. */
export interface Mutant {
  description: string;
  path: string;
  keyword: string;
  data: unknown;
}

/** Invalid variants of {@link makeData}: each required field dropped, each field of a wrong type, each formatted field with a bad value. */
export function mutantsOf(eventType: EventType, options: FixtureOptions = {}): Mutant[] {
  return model(eventType).mutants.map(([path, keyword, a, b]) => {
    const data = makeData(eventType, undefined, options);
    if (keyword === 'required')
      return { description: `drop ${path}`, path, keyword, data: edit(data, path, undefined, true) };
    if (keyword === 'type')
      return {
        description: `${path || 'data'}: ${a} instead of ${b}`,
        path,
        keyword,
        data: edit(data, path, copy(WRONG[a])),
      };
    return { description: `${path}: bad ${a}`, path, keyword, data: edit(data, path, b) };
  });
}
