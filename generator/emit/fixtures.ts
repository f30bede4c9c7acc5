/**
 * Fixture models, computed at generate time: per event type the default data (the
 * doc's first sample with placeholders made real), the pointers the seed varies, the
 * envelope attributes, and the mutants that must fail validation. The generated
 * `fixtures.ts` only copies and patches these values at run time.
 */

import type { JsonSchema, JsonType } from '../ir.ts';
import { SHARED_DEFS_FILE } from '../ir.ts';
import { setOwn } from '../own.ts';
import { valueAt } from '../pointer.ts';
import { type SchemaPlace, typesOf, walk } from '../schema-walk.ts';
import { realize } from './placeholders.ts';

export interface Mutant {
  /** What was done, for test names: "drop /MessageId", "/From: boolean instead of string". */
  readonly description: string;
  readonly op: 'drop' | 'set';
  /** JSON pointer into the data, and the path the validator must report. */
  readonly path: string;
  readonly value?: unknown;
  /** The keyword the validator must report at `path`. */
  readonly keyword: 'required' | 'type' | 'format';
  /** How the generated fixtures store it: see {@link StoredMutant}. */
  readonly stored: StoredMutant;
}

/**
 * A mutant as the generated fixtures.ts stores it, its description and value made again at run time (at 1000
 * event types the mutants written out whole were most of the package's fixture code):
 * `[path, "required"]` drops the member; `[path, "type", wrong, expected]` sets the value of JSON type
 * `wrong` (see WRONG_VALUES) where `expected` (types joined by " | ") is allowed; `[path, "format", format, value]`
 * sets a string that breaks the format.
 */
export type StoredMutant =
  | readonly [path: string, keyword: 'required']
  | readonly [path: string, keyword: 'type', wrong: JsonType, expected: string]
  | readonly [path: string, keyword: 'format', format: string, value: string];

export interface FixtureModel {
  readonly data: unknown;
  /** Pointers of strings the seed varies, with their format. */
  readonly seeded: [string, 'uuid' | 'date-time'][];
  readonly subject: string;
  readonly source: string;
  readonly dataVersion: string;
  readonly mutants: Mutant[];
}

/** Values that break each format eventgen infers (and the common curated ones). */
const BAD_FORMAT: Readonly<Record<string, string>> = {
  'date-time': 'not-a-date-time',
  date: 'not-a-date',
  time: 'not-a-time',
  uuid: 'not-a-uuid',
  uri: 'not a uri',
  'uri-reference': 'not a uri reference \\',
  email: 'not-an-email',
  ipv4: '999.1.1.1',
};

/** For each type a schema may allow, a value of another JSON type, tried in order (runtime/fixture-factories.ts has the same values). */
const WRONG_VALUES: readonly [JsonType, unknown][] = [
  ['boolean', true],
  ['string', 'wrong type'],
  ['number', 1.5],
  ['object', {}],
  ['null', null],
];

function allows(types: JsonType[], value: unknown): boolean {
  if (value === null) return types.includes('null');
  if (typeof value === 'boolean') return types.includes('boolean');
  if (typeof value === 'string') return types.includes('string');
  if (typeof value === 'number') return types.includes('number') || (Number.isInteger(value) && types.includes('integer'));
  return types.includes('object');
}

export function fixtureModel(schema: JsonSchema, shared: Readonly<Record<string, JsonSchema>>, eventType: string): FixtureModel {
  const attributes = schema['x-eventgen']?.attributes ?? {};
  const example = Array.isArray(schema.examples) && schema.examples.length > 0 ? schema.examples[0] : {};
  const data = realizeDeep(example);
  const resolve = (s: JsonSchema): JsonSchema => {
    const ref = typeof s.$ref === 'string' ? /^(.*)#\/\$defs\/(.+)$/.exec(s.$ref) : null;
    return ref && (ref[1] === SHARED_DEFS_FILE || ref[1] === '') ? (shared[ref[2] as string] ?? s) : s;
  };
  const seeded: FixtureModel['seeded'] = [];
  const mutants: Mutant[] = [];
  const rootTypes = typesOf(schema);
  const wrongRoot = WRONG_VALUES.find(([, v]) => rootTypes.length > 0 && !allows(rootTypes, v));
  if (wrongRoot)
    mutants.push({
      description: `data: ${wrongRoot[0]} instead of ${rootTypes.join(' | ')}`,
      op: 'set',
      path: '',
      value: wrongRoot[1],
      keyword: 'type',
      stored: ['', 'type', wrongRoot[0], rootTypes.join(' | ')],
    });
  walk(
    schema,
    (place) => {
      if (place.parent === undefined) return;
      const value = memberAt(data, place);
      if (value === undefined) return false;
      const required = place.parent.schema.required;
      visit(
        place.schema,
        value,
        place.at,
        place.keyword === 'properties' && Array.isArray(required) && required.includes(place.key as string),
      );
    },
    { keywords: ['properties', 'items'], resolve },
  );

  function visit(s: JsonSchema, value: unknown, pointer: string, required: boolean): void {
    if (required)
      mutants.push({
        description: `drop ${pointer}`,
        op: 'drop',
        path: pointer,
        keyword: 'required',
        stored: [pointer, 'required'],
      });
    const types = typesOf(s);
    const wrong = WRONG_VALUES.find(([, v]) => types.length > 0 && !allows(types, v));
    if (wrong) {
      mutants.push({
        description: `${pointer}: ${wrong[0]} instead of ${types.join(' | ')}`,
        op: 'set',
        path: pointer,
        value: wrong[1],
        keyword: 'type',
        stored: [pointer, 'type', wrong[0], types.join(' | ')],
      });
    }
    if (typeof s.format === 'string' && typeof value === 'string') {
      const bad = BAD_FORMAT[s.format];
      if (bad !== undefined)
        mutants.push({
          description: `${pointer}: bad ${s.format}`,
          op: 'set',
          path: pointer,
          value: bad,
          keyword: 'format',
          stored: [pointer, 'format', s.format, bad],
        });
      if (s.format === 'uuid' || s.format === 'date-time') seeded.push([pointer, s.format]);
    }
  }

  return {
    data,
    seeded,
    subject: realize(attributes.subject ?? `events/${eventType}`),
    source: realize(attributes.source ?? '/eventgen/fixtures'),
    dataVersion: attributes.dataVersion ?? '1.0',
    mutants,
  };
}

/** The model as the generated fixtures.ts stores it: mutants as {@link StoredMutant}s. */
export function storedModel(model: FixtureModel): Omit<FixtureModel, 'mutants'> & { mutants: StoredMutant[] } {
  return { ...model, mutants: model.mutants.map((m) => m.stored) };
}

/**
 * The value of the example at a subschema's place, when its parent's value holds it: a property's in an
 * object (own members only), the first item's in an array; undefined when there is none.
 */
function memberAt(data: unknown, place: SchemaPlace): unknown {
  const parent = valueAt(data, place.parent?.at ?? '');
  if (typeof parent !== 'object' || parent === null || Array.isArray(parent) !== (place.keyword === 'items')) return undefined;
  return valueAt(parent, place.at.slice(place.at.lastIndexOf('/')));
}

function realizeDeep(value: unknown): unknown {
  if (typeof value === 'string') return realize(value);
  if (Array.isArray(value)) return value.map(realizeDeep);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    setOwn(out, key, realizeDeep(child));
  }
  return out;
}
