/**
 * What eventgen inferred last time, recomputed from the schema files themselves: their
 * `examples` are the samples of the last run and `x-eventgen` keeps their descriptions and
 * sources. Running inference on them again gives, keyword by keyword, what the generator
 * wrote; where the file differs, a person changed it. So curation is recognised without
 * any extra bookkeeping in the files under review.
 */
import type { Description, Extraction, JsonSchema, Provenance, Sample } from '../ir.ts';

interface Meta {
  eventType?: unknown;
  sources?: Provenance[];
  attributes?: Sample['attributes'];
  descriptions?: Record<string, { text: string; file: string; line: number }>;
}

export function previousExtraction(existing: ReadonlyMap<string, JsonSchema>): Extraction {
  const samples: Sample[] = [];
  const descriptions: Description[] = [];
  for (const schema of existing.values()) {
    const meta = (schema['x-eventgen'] ?? {}) as Meta;
    if (typeof meta.eventType !== 'string') continue;
    const eventType = meta.eventType;
    const source = meta.sources?.[0] ?? { file: 'schemas', line: 1, locale: 'en-US', envelope: 'eventgrid' as const };
    for (const data of Array.isArray(schema.examples) ? schema.examples : []) {
      samples.push({ eventType, data, sources: [source], attributes: meta.attributes ?? {} });
    }
    for (const [locale, d] of Object.entries(meta.descriptions ?? {})) {
      descriptions.push({ eventType, locale, text: d.text, source: { file: d.file, line: d.line } });
    }
  }
  return { samples, rawSampleCount: samples.length, descriptions, docsRead: 0 };
}
