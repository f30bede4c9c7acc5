/**
 * Stage 2, infer: the samples of each event type → one JSON Schema 2020-12 for that
 * event's `data`, plus shared `$defs`. Schemas are per event type: two events that
 * look alike are never merged into one type.
 *
 * Written here rather than with quicktype-core: see generator/ARCHITECTURE.md
 * ("Why inference is our own").
 */
import type { Diagnostic } from '../diagnostics.ts';
import type {
  Description,
  EnvelopeAttributes,
  EventSchema,
  Extraction,
  JsonSchema,
  ListedEvent,
  PropertyTable,
  Sample,
  SchemaSet,
  Superseded,
} from '../ir.ts';
import { fileName } from '../names.ts';
import { pushTo } from '../own.ts';
import { hoistShared } from './defs.ts';
import { attachProse, attachTable, bestObject, restoreFacts } from './evidence.ts';
import { shareFamilies, shareVariants } from './family.ts';
import { supersededEvents } from './history.ts';
import { type SchemaContext, toSchema } from './schema.ts';
import { emptyShape, observe, type Shape } from './shape.ts';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export interface InferOptions {
  /** Preferred locales for `description`, best first; matched by language (`fr` matches `fr-FR`). */
  readonly locales: readonly string[];
  /** Trust the samples as the contract: a field present in every sample is required. Off by default. */
  readonly requiredFromSamples?: boolean;
  /** Also enforce `uuid` and `uri` formats from samples, as schema files written before evidence-based inference did. */
  readonly legacyFormats?: boolean;
  /** Take `integer` and `date-time` from samples alone, as schema files written before the current evidence rules did. */
  readonly legacyEvidence?: boolean;
}

/**
 * How a schema file's inference was configured, recorded in its `x-eventgen.inference` so the
 * next run can tell what it wrote from what a person changed. Files without it were written by
 * sample-trusting inference (required and uuid / uri formats from samples).
 */
export function inferenceMark(options: InferOptions): string {
  const rules = options.legacyEvidence ? 'evidence' : 'evidence 2';
  return options.requiredFromSamples ? `${rules}, required from samples` : rules;
}

export { DEFAULT_LOCALES } from './locales.ts';

/** `Contoso.Orders.Placed.schema.json`; a long event type is shortened with a hash (names.ts `fileName`). */
export function schemaFileName(eventType: string): string {
  return fileName(eventType.replace(/[^A-Za-z0-9._-]/g, '_'), '.schema.json');
}

/**
 * @param restore for each event type, a schema file whose recorded table facts replace the
 *   tables (used to recompute what eventgen wrote last time; see merge/previous.ts)
 */
export function infer(
  extraction: Extraction,
  options: InferOptions,
  restore?: ReadonlyMap<string, JsonSchema>,
): { schemas: SchemaSet; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byType = new Map<string, Sample[]>();
  for (const sample of extraction.samples) pushTo(byType, sample.eventType, sample);
  const listed = new Map(extraction.listedOnly.map((l) => [l.eventType, l]));
  const eventTypes = [...new Set([...byType.keys(), ...listed.keys()])].sort();
  const shapes = new Map<string, Shape>();
  for (const eventType of eventTypes) {
    const samples = byType.get(eventType);
    if (samples) shapes.set(eventType, shapeOf(samples, restore?.get(eventType)));
  }
  if (restore === undefined) attachAll(extraction, shapes, byType, options.locales);
  if (!options.legacyEvidence) {
    shareVariants(shapes);
    shareFamilies(shapes, diagnostics);
  }
  const context: SchemaContext = {
    options: {
      requiredFromSamples: options.requiredFromSamples === true,
      legacyFormats: options.legacyFormats === true,
      legacyEvidence: options.legacyEvidence === true,
    },
    diagnostics,
  };
  const data = eventTypes.map((eventType) => {
    const shape = shapes.get(eventType);
    return { eventType, schema: shape ? toSchema(shape, '', context) : {} };
  });
  const shared = hoistShared(data);
  const descriptions = new Map<string, Description[]>();
  for (const d of extraction.descriptions) pushTo(descriptions, d.eventType, d);
  const event: EventContext = { byType, listed, descriptions, superseded: supersededEvents(extraction), options };
  const events = data.map(({ eventType, schema }) => eventSchema(eventType, schema, event));
  return { schemas: { events, shared }, diagnostics };
}

/** Every sample of one event type observed, and the facts a schema file recorded restored. */
function shapeOf(samples: readonly Sample[], saved: JsonSchema | undefined): Shape {
  const shape = emptyShape();
  samples.forEach((sample, id) => {
    const pages = [...new Set(sample.sources.map((s) => s.file))];
    observe(shape, sample.data, { id, source: sample.sources[0] as never, pages, date: newestDate(sample.sources) });
  });
  if (saved) restoreFacts(shape, saved);
  return shape;
}

/** What an event's schema file records beside its data's schema, by event type. */
interface EventContext {
  readonly byType: ReadonlyMap<string, Sample[]>;
  readonly listed: ReadonlyMap<string, ListedEvent>;
  readonly descriptions: ReadonlyMap<string, Description[]>;
  readonly superseded: ReadonlyMap<string, Superseded>;
  readonly options: InferOptions;
}

/** The schema file of one event type: its data's schema, its examples and its record under `x-eventgen`. */
function eventSchema(eventType: string, schema: JsonSchema, context: EventContext): EventSchema {
  const { options } = context;
  const samples = context.byType.get(eventType) ?? [];
  const listedOnly = samples.length === 0 ? context.listed.get(eventType) : undefined;
  const descriptions = context.descriptions.get(eventType) ?? [];
  const preferred = pickDescription(descriptions, options.locales);
  const sources = samples.flatMap((s) => s.sources);
  const envelopes = [...new Set(sources.map((s) => s.envelope))].sort();
  const fileName = schemaFileName(eventType);
  const gone = context.superseded.get(eventType);
  const document: JsonSchema = {
    $schema: JSON_SCHEMA_DIALECT,
    $id: fileName,
    title: eventType,
    ...(preferred ? { description: preferred.text } : {}),
    ...(gone ? { deprecated: true } : {}),
    ...schema,
    examples: samples.map((s) => s.data),
    'x-eventgen': {
      ...schema['x-eventgen'],
      eventType,
      inference: inferenceMark(options),
      ...(gone ? { supersededBy: gone } : {}),
      ...(listedOnly
        ? { listed: { file: listedOnly.source.file, line: listedOnly.source.line, locale: listedOnly.locale } }
        : {}),
      envelopes,
      descriptions: Object.fromEntries(
        sortDescriptions(descriptions, options.locales).map((d) => [
          d.locale,
          { text: d.text, file: d.source.file, line: d.source.line },
        ]),
      ),
      sources: sources.map((s) => ({
        file: s.file,
        line: s.line,
        locale: s.locale,
        envelope: s.envelope,
        ...(s.date === undefined ? {} : { date: s.date }),
      })),
      attributes: firstAttributes(samples),
    },
  };
  return { eventType, fileName, schema: document };
}

/**
 * Attaches each property table to the event types of its page it describes: a page documenting
 * several events has tables per event ("the data object of SMSReceived has …"), so a table goes to
 * the events whose data it matches most, and to those whose every field it names (one table for
 * several events), never to an event it merely half matches. Tables come best first.
 */
function attachAll(
  extraction: Extraction,
  shapes: ReadonlyMap<string, Shape>,
  byType: ReadonlyMap<string, readonly Sample[]>,
  locales: readonly string[],
): void {
  const eventsByFile = new Map<string, string[]>();
  for (const [eventType, samples] of byType) {
    for (const file of new Set(samples.flatMap((s) => s.sources.map((p) => p.file)))) pushTo(eventsByFile, file, eventType);
  }
  for (const table of sortTables(extraction.propertyTables, locales)) {
    const events = eventsByFile.get(table.file) ?? [];
    if (table.kind === 'prose') attachProseTable(table, events, shapes);
    else attachPropertyTable(table, events, shapes);
  }
}

/** Prose values go to the field they name in the events of their heading (else of their page). */
function attachProseTable(table: PropertyTable, events: readonly string[], shapes: ReadonlyMap<string, Shape>): void {
  for (const row of table.rows) {
    for (const eventType of row.events ?? events) {
      const shape = shapes.get(eventType);
      if (shape) attachProse(shape, row, table);
    }
  }
}

/** A table goes to the events of its page whose data it matches most, and to those whose every field it names. */
function attachPropertyTable(table: PropertyTable, events: readonly string[], shapes: ReadonlyMap<string, Shape>): void {
  const scored = events.flatMap((eventType) => {
    const shape = shapes.get(eventType);
    const best = shape ? bestObject(shape, table) : undefined;
    return best ? [best] : [];
  });
  const top = Math.max(0, ...scored.map((s) => s.score));
  for (const best of scored) if (best.score === top || best.covers) attachTable(best.object, table);
}

/** The newest date of `sources`, or undefined when one of them is undated (its age is unknown). */
function newestDate(sources: readonly { date?: string }[]): string | undefined {
  let newest: string | undefined;
  for (const { date } of sources) {
    if (date === undefined) return undefined;
    if (newest === undefined || date > newest) newest = date;
  }
  return newest;
}

/** Tables best first: preferred locale, then the newest page, then document order. */
function sortTables(tables: readonly PropertyTable[], preferred: readonly string[]): PropertyTable[] {
  return [...tables].sort(
    (a, b) =>
      rank(a.locale, preferred) - rank(b.locale, preferred) ||
      (b.date ?? '').localeCompare(a.date ?? '') ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line),
  );
}

function rank(locale: string, preferred: readonly string[]): number {
  const lower = locale.toLowerCase();
  const i = preferred.findIndex((p) => lower === p.toLowerCase() || lower.startsWith(`${p.toLowerCase()}-`));
  return i < 0 ? preferred.length : i;
}

/** Descriptions ordered by preference, then by locale tag. */
export function sortDescriptions(descriptions: readonly Description[], preferred: readonly string[]): Description[] {
  return [...descriptions].sort(
    (a, b) => rank(a.locale, preferred) - rank(b.locale, preferred) || (a.locale < b.locale ? -1 : a.locale > b.locale ? 1 : 0),
  );
}

function pickDescription(descriptions: readonly Description[], preferred: readonly string[]): Description | undefined {
  return sortDescriptions(descriptions, preferred)[0];
}

/** Each envelope attribute from the first sample that has it. */
function firstAttributes(samples: readonly Sample[]): EnvelopeAttributes {
  const out: Record<string, string> = {};
  for (const key of ['subject', 'source', 'dataVersion'] as const) {
    const value = samples.find((s) => s.attributes[key] !== undefined)?.attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
