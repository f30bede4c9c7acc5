/**
 * Small helpers the fixtures need: a seeded random source, deep copies and merges
 * that treat every key (even `__proto__`) as plain data, and JSON-pointer edits.
 */
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
