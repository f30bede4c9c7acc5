/**
 * `x-eventgen` as read from a schema file: the file is under review in `schemas/`, so anything may
 * be in it. Each member eventgen writes (ir.ts {@link XEventgen}) is checked once, when the file is
 * read; one that is not what eventgen writes is left out and reported, so every later reader can
 * take the record as typed. Members eventgen does not know are kept as they are.
 */
import type { JsonSchema, XEventgen } from './ir.ts';
import { walk } from './schema-walk.ts';

/** A member left out: where it was (a JSON pointer into the file) and what it should have been. */
export interface XEventgenProblem {
  readonly pointer: string;
  readonly message: string;
}

type Check = (value: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString: Check = (value) => typeof value === 'string';
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isBoolean: Check = (value) => typeof value === 'boolean';
const oneOf =
  (...values: readonly unknown[]): Check =>
  (value) =>
    values.includes(value);
const listOf =
  (item: Check): Check =>
  (value) =>
    Array.isArray(value) && value.every(item);
const recordOf =
  (entry: Check): Check =>
  (value) =>
    isObject(value) && Object.values(value).every(entry);
/** An object with every `required` member and the `optional` ones it has, each of its type. */
const objectOf =
  (required: Record<string, Check>, optional: Record<string, Check> = {}): Check =>
  (value) =>
    isObject(value) &&
    Object.entries(required).every(([key, check]) => Object.hasOwn(value, key) && check(value[key])) &&
    Object.entries(optional).every(([key, check]) => !Object.hasOwn(value, key) || check(value[key]));

const isEnvelope = oneOf('eventgrid', 'cloudevents');
const isJsonType = oneOf('null', 'boolean', 'integer', 'number', 'string', 'object', 'array');
const strings = listOf(isString);
const place = { file: isString, line: isNumber };

/** Every member of {@link XEventgen}, with what it must be and how that is said in a report. */
const MEMBERS: { readonly [K in keyof XEventgen]-?: readonly [Check, string] } = {
  eventType: [isString, 'a string'],
  inference: [isString, 'a string'],
  supersededBy: [objectOf({ file: isString, date: isString, lastDocumented: isString }), 'a page: file, date, lastDocumented'],
  listed: [objectOf({ ...place, locale: isString }), 'a place: file, line, locale'],
  envelopes: [listOf(isEnvelope), 'a list of "eventgrid" and "cloudevents"'],
  descriptions: [recordOf(objectOf({ text: isString, ...place })), 'descriptions by locale: text, file, line'],
  sources: [
    listOf(objectOf({ ...place, locale: isString, envelope: isEnvelope }, { date: isString })),
    'a list of places: file, line, locale, envelope (and date)',
  ],
  attributes: [recordOf(isString), 'envelope attributes with string values'],
  samples: [isNumber, 'a number'],
  pages: [isNumber, 'a number'],
  onlyNull: [isBoolean, 'a boolean'],
  looksLike: [strings, 'a list of strings'],
  map: [isString, 'a string'],
  documented: [
    objectOf(
      { ...place, name: isString },
      {
        type: isString,
        code: isBoolean,
        types: listOf(isJsonType),
        any: isBoolean,
        format: oneOf('date-time'),
        anyValues: isBoolean,
        description: isString,
        required: isBoolean,
        nullable: isBoolean,
        values: strings,
        map: isBoolean,
      },
    ),
    'a table row: file, line, name (and what it states)',
  ],
  knownValues: [strings, 'a list of strings'],
  inEverySample: [isBoolean, 'a boolean'],
  lastDocumented: [isString, 'a string'],
  observed: [
    objectOf(
      {},
      { undocumented: isBoolean, source: oneOf('observed'), count: isNumber, firstSeen: isString, lastSeen: isString },
    ),
    'what recorded events showed: undocumented, or source, count, firstSeen, lastSeen',
  ],
  observedTypes: [listOf(isJsonType), 'a list of JSON types'],
  observedFormatBroken: [isString, 'a string'],
  observedMissing: [isBoolean, 'a boolean'],
};

/**
 * Checks the `x-eventgen` of every node of `schema` (its properties, items, additional properties
 * and `$defs`, as every reader walks them), in place: `schema` is a file just parsed. Returns the
 * members left out.
 */
export function decodeXEventgen(schema: JsonSchema): XEventgenProblem[] {
  const problems: XEventgenProblem[] = [];
  walk(
    schema,
    ({ schema: node, pointer }) => {
      if (Object.hasOwn(node, 'x-eventgen')) checkRecord(node, `${pointer}/x-eventgen`, problems);
    },
    { keywords: ['properties', '$defs', 'items', 'additionalProperties'] },
  );
  return problems;
}

function checkRecord(schema: JsonSchema, pointer: string, problems: XEventgenProblem[]): void {
  const record: unknown = schema['x-eventgen'];
  if (!isObject(record)) {
    delete schema['x-eventgen'];
    problems.push({ pointer, message: 'x-eventgen is not an object; left out' });
    return;
  }
  for (const [key, [check, expected]] of Object.entries(MEMBERS)) {
    if (!Object.hasOwn(record, key) || check(record[key])) continue;
    delete record[key];
    problems.push({ pointer: `${pointer}/${key}`, message: `x-eventgen.${key} is not ${expected}; left out` });
  }
}
