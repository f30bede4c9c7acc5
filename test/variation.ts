/**
 * The variation harness: from each documented sample, the events a real service may send
 * that the evidence allows (every field not evidenced as required omitted, every string
 * replaced by arbitrary text, every map's keys changed, unknown fields added), and the type
 * mutants the contract must reject (a string replaced by a number, an object by a string).
 * Arbitrary values come from fast-check with a fixed seed, so runs are reproducible.
 */
import fc from 'fast-check';
import type { JsonSchema, JsonType } from '../generator/ir.ts';
import { escapePointer } from '../generator/pointer.ts';

export interface Variant {
  readonly description: string;
  readonly data: unknown;
}

export interface Mutant extends Variant {
  /** The JSON pointer the validator must report. */
  readonly path: string;
}

const typesOf = (s: JsonSchema): JsonType[] => (s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

/** Replaces the value at `path` (a list of keys) in a deep copy of `root`; `undefined` deletes it. */
function replaced(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) return root.map((item, i) => (i === head ? replaced(item, rest, value) : item));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(root as object)) {
    if (key !== head) Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
    else if (rest.length > 0 || value !== undefined)
      Object.defineProperty(out, key, {
        value: replaced(child, rest, value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

const pointer = (path: readonly (string | number)[]) => path.map((p) => `/${escapePointer(String(p))}`).join('');

/** Arbitrary texts, date-times and keys, drawn once per harness with a fixed seed. */
export function arbitraries(seed: number) {
  let i = 0;
  const draw = <T>(arb: fc.Arbitrary<T>) => fc.sample(arb, { seed: seed + i++, numRuns: 1 })[0] as T;
  return {
    text: () => draw(fc.string({ unit: 'binary', maxLength: 40 })),
    dateTime: () =>
      draw(
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }),
      ).toISOString(),
    key: () => `x-${draw(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }))}`,
    json: () => draw(fc.jsonValue({ maxDepth: 2 })),
  };
}

/** The schema of `record[key]`: its property's, else the additional properties', else none. */
function childSchemaOf(s: JsonSchema, key: string): JsonSchema {
  const property = s.properties && Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
  return (property ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : {})) as JsonSchema;
}

/**
 * Walks `data` with its (shared-definition-inlined) schema and returns the variants the
 * contract must accept and the mutants it must reject.
 */
export function variations(data: unknown, schema: JsonSchema, seed = 1): { accept: Variant[]; reject: Mutant[] } {
  const rnd = arbitraries(seed);
  const accept: Variant[] = [];
  const reject: Mutant[] = [];
  const where = (at: string) => at || '/';

  /** A string: any text (a date-time where the format says so) unless it is an enum; a number where no number fits. */
  const visitString = (s: JsonSchema, path: (string | number)[], types: string[]) => {
    const at = pointer(path);
    const replacement = s.format === 'date-time' ? rnd.dateTime() : rnd.text();
    if (s.enum === undefined)
      accept.push({ description: `${where(at)} = arbitrary text`, data: replaced(data, path, replacement) });
    if (types.length > 0 && !types.includes('number') && !types.includes('integer'))
      reject.push({ description: `${at}: number instead of string`, data: replaced(data, path, 42), path: at });
  };

  /** An object: a string in its place, an unknown field, other keys for a map, each optional field omitted; then its fields. */
  const visitObject = (record: Record<string, unknown>, s: JsonSchema, path: (string | number)[], types: string[]) => {
    const at = pointer(path);
    if (types.length > 0 && !types.includes('string') && path.length > 0)
      reject.push({ description: `${at}: string instead of object`, data: replaced(data, path, 'not an object'), path: at });
    const unknown = rnd.key();
    if (!Object.hasOwn(record, unknown))
      accept.push({ description: `${where(at)} + unknown field`, data: replaced(data, [...path, unknown], rnd.json()) });
    if (typeof s.additionalProperties === 'object' && s.properties === undefined) {
      const renamed: Record<string, unknown> = {};
      for (const child of Object.values(record)) renamed[rnd.key()] = child;
      accept.push({ description: `${where(at)} map with other keys`, data: replaced(data, path, renamed) });
    }
    const required = new Set(s.required ?? []);
    for (const [key, child] of Object.entries(record)) {
      if (!required.has(key))
        accept.push({ description: `${at}/${key} omitted`, data: replaced(data, [...path, key], undefined) });
      visit(child, childSchemaOf(s, key), [...path, key]);
    }
  };

  const visit = (value: unknown, s: JsonSchema, path: (string | number)[]): void => {
    const types = typesOf(s);
    if (typeof value === 'string') visitString(s, path, types);
    else if (Array.isArray(value)) {
      const items = (typeof s.items === 'object' ? s.items : {}) as JsonSchema;
      value.forEach((item, i) => {
        visit(item, items, [...path, i]);
      });
    } else if (typeof value === 'object' && value !== null) visitObject(value as Record<string, unknown>, s, path, types);
  };
  visit(data, schema, []);
  return { accept, reject };
}
