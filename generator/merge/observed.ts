/**
 * Observed evidence (`--observed`): events the webhook recorded in production, read after the merge as
 * evidence of what the service really sends. It only widens the merged schemas, never narrows them:
 *
 * - a JSON type the docs did not show joins the field's types (an integer where a number is allowed is no news);
 * - a field no doc showed becomes an optional field, marked `x-eventgen.observed` ("observed, undocumented");
 * - an event type no doc lists becomes a known event type whose source is "observed" (count, first and last seen);
 * - a format a recorded value breaks is no longer enforced;
 * - a required field a recorded event lacks is no longer required.
 *
 * Curation still wins: a keyword a person curated is left as it is, and each recorded value it rejects is
 * reported (W_OBSERVED_CURATED). Recorded strings are usually redacted stand-ins; none of them is written
 * anywhere, only the types, formats and field names they show. Each widening is a change of its own kind
 * (`observed-…`), so the report lists them under their own heading.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { formats } from '../formats.mjs';
import { hoistShared } from '../infer/defs.ts';
import { inferenceMark, JSON_SCHEMA_DIALECT, schemaFileName } from '../infer/index.ts';
import type {
  Change,
  Envelope,
  EventSchema,
  JsonSchema,
  JsonType,
  Location,
  ObservedEvent,
  ObservedMark,
  SchemaSet,
} from '../ir.ts';
import { pushTo, setOwn } from '../own.ts';
import { dataPlace, typesOf, walk } from '../schema-walk.ts';
import { inline } from './inline.ts';

const TYPE_ORDER: readonly JsonType[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];

function kindOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value as JsonType;
  return 'object';
}

/** Whether `value` satisfies `format` as the validators check it (a format they do not know cannot be broken). */
function satisfies(format: string, value: string): boolean {
  const check = Object.hasOwn(formats, format) ? formats[format] : undefined;
  const test = typeof check === 'object' && check !== null && !(check instanceof RegExp) ? check.validate : check;
  if (test instanceof RegExp) return test.test(value);
  return typeof test === 'function' ? (test as (v: string) => boolean)(value) !== false : true;
}

/** A key that is data: a GUID, an e-mail address, a phone number, a URL (as the recorder's stand-ins are). */
function isDataKey(key: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/|^[{(]?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-|^[^\s@]+@[^\s@]+\.[^\s@]+$|^\+?\d[\d ().-]{5,}\d$/i.test(
    key,
  );
}

/** The schema of a field only recorded events show: the types they show, no format, nothing required. */
export function observedSchema(given: readonly unknown[]): JsonSchema {
  const values = given.filter((v) => v !== undefined);
  // A whole number is evidence of a number (DESIGN.md: an integer needs a stated int type).
  const kinds = new Set(values.map((v) => (kindOf(v) === 'integer' ? 'number' : kindOf(v))));
  const types = TYPE_ORDER.filter((t) => kinds.has(t));
  const schema: JsonSchema = {};
  if (types.length === 1) schema.type = types[0];
  else if (types.length > 1) schema.type = types;
  const objects = values.filter((v): v is Record<string, unknown> => kindOf(v) === 'object');
  if (objects.length > 0) {
    const byKey = new Map<string, unknown[]>();
    for (const object of objects) for (const key of Object.keys(object)) pushTo(byKey, key, object[key]);
    if ([...byKey.keys()].some(isDataKey)) {
      schema.additionalProperties = observedSchema([...byKey.values()].flat());
      schema['x-eventgen'] = { map: 'its keys are data (ids, addresses, URLs)' };
    } else {
      const properties: Record<string, JsonSchema> = {};
      for (const [key, list] of byKey) setOwn(properties, key, observedSchema(list));
      schema.properties = properties;
    }
  }
  const arrays = values.filter(Array.isArray).flat();
  if (kinds.has('array')) schema.items = arrays.length === 0 ? {} : observedSchema(arrays);
  return schema;
}

/** What the recorded values show at one place of a schema, gathered before anything changes. */
interface Seen {
  readonly pointer: string;
  readonly kinds: Map<JsonType, number>;
  /** Strings that break the place's format. */
  breaks: number;
  /** Values of fields the place's `properties` do not have. */
  readonly added: Map<string, unknown[]>;
  /** Required fields recorded objects lacked, with how many lacked each. */
  readonly missing: Map<string, number>;
  first: Location;
}

/** Curated keywords by `eventType pointer keyword` (merge's `curated` list, values left off). */
function curatedKeys(curated: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const entry of curated) {
    const match = /^(\S+) (.*?) (type|format|required|additionalProperties|properties) /.exec(entry);
    if (match) out.add(`${match[1]} ${match[2]} ${match[3]}`);
  }
  return out;
}

class Gatherer {
  readonly seen = new Map<JsonSchema, Seen>();
  constructor(readonly eventType: string) {}

  at(schema: JsonSchema, pointer: string, from: Location): Seen {
    let seen = this.seen.get(schema);
    if (seen === undefined) {
      seen = { pointer, kinds: new Map(), breaks: 0, added: new Map(), missing: new Map(), first: from };
      this.seen.set(schema, seen);
    }
    return seen;
  }

  /** Walks one recorded value along the schema it should satisfy. */
  walk(schema: JsonSchema, value: unknown, pointer: string, from: Location): void {
    if (value === undefined) return; // not JSON: nothing was sent here
    if (typeof schema.$ref === 'string') return; // a reference left in place (not to a shared definition)
    const types = typesOf(schema);
    if (types.length === 0) return; // no type: any value is accepted here
    const kind = kindOf(value);
    const seen = this.at(schema, pointer, from);
    const covered = types.includes(kind) || (kind === 'integer' && types.includes('number'));
    // A whole number is evidence of a number (DESIGN.md: an integer needs a stated int type).
    const shown = kind === 'integer' ? 'number' : kind;
    if (!covered) seen.kinds.set(shown, (seen.kinds.get(shown) ?? 0) + 1);
    if (typeof value === 'string' && typeof schema.format === 'string' && !satisfies(schema.format, value)) seen.breaks++;
    if (kind === 'object' && types.includes('object')) this.walkObject(schema, value as Record<string, unknown>, pointer, from);
    else if (kind === 'array' && types.includes('array') && schema.items && typeof schema.items === 'object') {
      for (const item of value as unknown[]) this.walk(schema.items, item, dataPlace(pointer, 'items'), from);
    }
  }

  /** An object's required fields it lacks, its fields along their schemas, and those the schema does not have. */
  walkObject(schema: JsonSchema, object: Record<string, unknown>, pointer: string, from: Location): void {
    const seen = this.at(schema, pointer, from);
    const properties = schema.properties;
    const map = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const key of schema.required ?? [])
      if (!Object.hasOwn(object, key)) seen.missing.set(key, (seen.missing.get(key) ?? 0) + 1);
    for (const key of Object.keys(object)) {
      const child = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (child) this.walk(child, object[key], dataPlace(pointer, 'properties', key), from);
      else if (map) this.walk(map, object[key], dataPlace(pointer, 'additionalProperties'), from);
      else if (properties && schema.additionalProperties !== false) pushTo(seen.added, key, object[key]);
    }
  }
}

/** `once`, `3 times`. */
function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

interface Context {
  readonly changes: Change[];
  readonly diagnostics: Diagnostic[];
  readonly curated: Set<string>;
}

/** One place of an event's schema and what recorded values showed there. */
interface Place {
  readonly eventType: string;
  readonly schema: JsonSchema;
  readonly seen: Seen;
  readonly context: Context;
}

function change({ eventType, context }: Place, kind: Change['kind'], field: string, detail: string): void {
  context.changes.push({ eventType, kind, field: field || '/', detail });
}

/** Whether a person curated `keyword` here: then recorded values it rejects are reported, and it is kept. */
function curatedHere({ eventType, seen, context }: Place, keyword: string, what: string): boolean {
  const where = seen.pointer || '/';
  if (!context.curated.has(`${eventType} ${where} ${keyword}`)) return false;
  const message = `${eventType} ${where}: recorded events show ${what}; the curated "${keyword}" rejects it, and is kept`;
  context.diagnostics.push(diagnostic('W_OBSERVED_CURATED', message, seen.first, seen.pointer));
  return true;
}

/** A JSON type recorded values show joins the place's types. */
function joinTypes(place: Place): void {
  const { schema, seen } = place;
  if (seen.kinds.size === 0) return;
  const shown = [...seen.kinds].map(([k, n]) => `${k} (${times(n)})`).join(', ');
  if (curatedHere(place, 'type', shown)) return;
  const before = typesOf(schema);
  const joined = TYPE_ORDER.filter((t) => before.includes(t) || seen.kinds.has(t));
  const types = joined.includes('number') ? joined.filter((t) => t !== 'integer') : joined;
  schema.type = types.length === 1 ? types[0] : types;
  const marked = schema['x-eventgen']?.observedTypes ?? [];
  schema['x-eventgen'] = {
    ...schema['x-eventgen'],
    observedTypes: TYPE_ORDER.filter((t) => seen.kinds.has(t) || marked.includes(t)),
  };
  change(
    place,
    'observed-type-widened',
    seen.pointer,
    `${before.join(' | ')} → ${types.join(' | ')}: recorded events show ${shown}`,
  );
}

/** A format recorded values break is no longer enforced. */
function dropFormat(place: Place): void {
  const { schema, seen } = place;
  const format = schema.format;
  if (seen.breaks === 0 || typeof format !== 'string') return;
  if (curatedHere(place, 'format', `${seen.breaks} values that are not ${format}`)) return;
  delete schema.format;
  schema['x-eventgen'] = { ...schema['x-eventgen'], observedFormatBroken: format };
  change(
    place,
    'observed-format-dropped',
    seen.pointer,
    `format ${format} no longer enforced: ${seen.breaks} recorded values break it`,
  );
}

/** A required field recorded objects lack is no longer required. */
function unrequire(place: Place): void {
  const { schema, seen } = place;
  if (seen.missing.size === 0 || !schema.required) return;
  const lacked = [...seen.missing].map(([key, n]) => `${key} (${times(n)})`).join(', ');
  if (curatedHere(place, 'required', `objects without ${lacked}`)) return;
  schema.required = schema.required.filter((key) => !seen.missing.has(key));
  if (schema.required.length === 0) delete schema.required;
  for (const [key, n] of seen.missing) {
    const child = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    if (child) child['x-eventgen'] = { ...child['x-eventgen'], observedMissing: true };
    change(
      place,
      'observed-no-longer-required',
      dataPlace(seen.pointer, 'properties', key),
      `recorded events lack it (${times(n)})`,
    );
  }
}

/** A field no doc showed comes in optional, marked observed, undocumented. */
function addFields(place: Place): void {
  const { schema, seen } = place;
  if (seen.added.size === 0 || !schema.properties) return;
  for (const [key, values] of seen.added) {
    const field = observedSchema(values);
    field['x-eventgen'] = { ...field['x-eventgen'], observed: { undocumented: true } };
    markObserved(field);
    setOwn(schema.properties, key, field);
    change(place, 'observed-field-added', dataPlace(seen.pointer, 'properties', key), `seen ${times(values.length)}`);
  }
}

/** Applies what was gathered at each place, in this order: types joined, formats dropped, fields unrequired, fields added. */
function apply(eventType: string, gathered: Gatherer, context: Context): void {
  for (const [schema, seen] of gathered.seen) {
    const place: Place = { eventType, schema, seen, context };
    for (const widen of [joinTypes, dropFormat, unrequire, addFields]) widen(place);
  }
}

interface Tally {
  count: number;
  first: string | undefined;
  last: string | undefined;
  readonly envelopes: Set<Envelope>;
}

function tallyOf(events: readonly ObservedEvent[]): Tally {
  const tally: Tally = { count: 0, first: undefined, last: undefined, envelopes: new Set() };
  for (const e of events) {
    tally.count++;
    tally.envelopes.add(e.envelope);
    const at = e.receivedAt;
    if (at === undefined) continue;
    if (tally.first === undefined || at < tally.first) tally.first = at;
    if (tally.last === undefined || at > tally.last) tally.last = at;
  }
  return tally;
}

/** The event-level record of an event type only recorded events show. */
function observedMeta(tally: Tally): ObservedMark {
  return {
    source: 'observed',
    count: tally.count,
    ...(tally.first === undefined ? {} : { firstSeen: tally.first }),
    ...(tally.last === undefined ? {} : { lastSeen: tally.last }),
  };
}

/** Marks every field of a schema built from recorded events only as observed, undocumented. */
function markObserved(schema: JsonSchema): void {
  walk(
    schema,
    ({ schema: child, keyword }) => {
      if (keyword === 'properties') child['x-eventgen'] = { ...child['x-eventgen'], observed: { undocumented: true } };
    },
    { keywords: ['properties', 'items', 'additionalProperties'] },
  );
}

/** The schema file of an event type no doc lists, from its recorded events alone. */
function observedEvent(
  eventType: string,
  events: readonly ObservedEvent[],
  options: { requiredFromSamples?: boolean },
): EventSchema {
  const tally = tallyOf(events);
  const withData = events.filter((e) => e.data !== undefined);
  const data = withData.length === 0 ? {} : observedSchema(withData.map((e) => e.data));
  markObserved(data);
  const fileName = schemaFileName(eventType);
  const { 'x-eventgen': dataMeta, ...rest } = data;
  const schema: JsonSchema = {
    $schema: JSON_SCHEMA_DIALECT,
    $id: fileName,
    title: eventType,
    ...rest,
    examples: [],
    'x-eventgen': {
      ...dataMeta,
      eventType,
      inference: inferenceMark({ locales: [], ...options }),
      envelopes: [...tally.envelopes].sort(),
      descriptions: {},
      sources: [],
      attributes: {},
      observed: observedMeta(tally),
    },
  };
  return { eventType, fileName, schema };
}

/** An event type only recorded events ever showed keeps its tally up to date. */
function retally(schema: JsonSchema, recorded: readonly ObservedEvent[]): void {
  const meta = schema['x-eventgen'];
  if (meta?.observed?.source !== 'observed' || (meta.sources ?? []).length > 0) return;
  const tally = tallyOf(recorded);
  for (const envelope of meta.envelopes ?? []) tally.envelopes.add(envelope);
  schema['x-eventgen'] = { ...meta, envelopes: [...tally.envelopes].sort(), observed: observedMeta(tally) };
}

/**
 * Widens the merged schemas by the recorded events.
 * @param curated the curated keywords the merge kept (merge's `curated`)
 */
export function widenByObserved(
  set: SchemaSet,
  observed: readonly ObservedEvent[],
  curated: readonly string[],
  options: { requiredFromSamples?: boolean } = {},
): { schemas: SchemaSet; changes: Change[]; diagnostics: Diagnostic[] } {
  if (observed.length === 0) return { schemas: set, changes: [], diagnostics: [] };
  const context: Context = { changes: [], diagnostics: [], curated: curatedKeys(curated) };
  const byType = new Map<string, ObservedEvent[]>();
  for (const event of observed) pushTo(byType, event.eventType, event);
  const events = set.events.map((e) => ({ ...e, schema: inline(e.schema, set.shared) }));
  const known = new Map(events.map((e) => [e.eventType, e]));
  for (const [eventType, recorded] of [...byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const event = known.get(eventType);
    if (event === undefined) {
      const added = observedEvent(eventType, recorded, options);
      const tally = tallyOf(recorded);
      const span = tally.first === undefined ? '' : `, first ${tally.first}, last ${tally.last}`;
      context.changes.push({
        eventType,
        kind: 'observed-event-added',
        detail: `no doc lists it; seen ${times(tally.count)}${span}`,
      });
      events.push(added);
      continue;
    }
    const gatherer = new Gatherer(eventType);
    for (const e of recorded) if (e.data !== undefined) gatherer.walk(event.schema, e.data, '', e.source);
    apply(eventType, gatherer, context);
    retally(event.schema, recorded);
  }
  events.sort((a, b) => (a.eventType < b.eventType ? -1 : a.eventType > b.eventType ? 1 : 0));
  const data = events.map((e) => ({ eventType: e.eventType, schema: e.schema }));
  const shared = hoistShared(data);
  return {
    schemas: { events: events.map((e, i) => ({ ...e, schema: data[i]?.schema ?? e.schema })), shared },
    changes: context.changes,
    diagnostics: context.diagnostics,
  };
}
