/**
 * Stage 2, infer: the samples of each event type → one JSON Schema 2020-12 for that
 * event's `data`, plus shared `$defs`. Schemas are per event type: two events that
 * look alike are never merged into one type.
 *
 * Written here rather than with quicktype-core: see generator/ARCHITECTURE.md
 * ("Why inference is our own").
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { Description, Envelope, EnvelopeAttributes, EventSchema, Extraction, JsonSchema, SchemaSet } from '../ir.ts';
import { pushTo } from '../own.ts';
import { hoistShared } from './defs.ts';
import { emptyShape, observe, toSchema } from './shape.ts';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export interface InferOptions {
  /** Preferred locales for `description`, best first; matched by language (`fr` matches `fr-FR`). */
  readonly locales: readonly string[];
}

export const DEFAULT_LOCALES = ['en', 'fr', 'ko'] as const;

export function schemaFileName(eventType: string): string {
  return `${eventType.replace(/[^A-Za-z0-9._-]/g, '_')}.schema.json`;
}

export function infer(extraction: Extraction, options: InferOptions): { schemas: SchemaSet; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byType = new Map<string, Extraction['samples']>();
  for (const sample of extraction.samples) {
    pushTo(byType, sample.eventType, sample);
  }
  const descriptionsByType = new Map<string, Description[]>();
  for (const d of extraction.descriptions) pushTo(descriptionsByType, d.eventType, d);
  const eventTypes = [...byType.keys()].sort();
  const data = eventTypes.map((eventType) => {
    const shape = emptyShape();
    for (const sample of byType.get(eventType) ?? []) observe(shape, sample.data, sample.sources[0] as never);
    return { eventType, schema: toSchema(shape, '', diagnostics) };
  });
  const shared = hoistShared(data);

  const events: EventSchema[] = data.map(({ eventType, schema }) => {
    const samples = byType.get(eventType) ?? [];
    const descriptions = descriptionsByType.get(eventType) ?? [];
    const preferred = pickDescription(descriptions, options.locales);
    const sources = samples.flatMap((s) => s.sources);
    const envelopes = [...new Set(sources.map((s) => s.envelope))].sort() as Envelope[];
    const fileName = schemaFileName(eventType);
    const document: JsonSchema = {
      $schema: JSON_SCHEMA_DIALECT,
      $id: fileName,
      title: eventType,
      ...(preferred ? { description: preferred.text } : {}),
      ...schema,
      examples: samples.map((s) => s.data),
      'x-eventgen': {
        eventType,
        envelopes,
        descriptions: Object.fromEntries(
          sortDescriptions(descriptions, options.locales).map((d) => [
            d.locale,
            { text: d.text, file: d.source.file, line: d.source.line },
          ]),
        ),
        sources: sources.map((s) => ({ file: s.file, line: s.line, locale: s.locale, envelope: s.envelope })),
        attributes: firstAttributes(samples),
      },
    };
    return { eventType, fileName, schema: document };
  });
  return { schemas: { events, shared }, diagnostics };
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
function firstAttributes(samples: Extraction['samples']): EnvelopeAttributes {
  const out: Record<string, string> = {};
  for (const key of ['subject', 'source', 'dataVersion'] as const) {
    const value = samples.find((s) => s.attributes[key] !== undefined)?.attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
