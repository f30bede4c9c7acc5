/**
 * What eventgen inferred last time, recomputed from the schema files themselves: their
 * `examples` are the samples of the last run, `x-eventgen` keeps their descriptions, sources
 * and what the property tables stated about each field (`x-eventgen.documented`), and
 * `x-eventgen.inference` says how inference was configured. Running inference on them again
 * gives, keyword by keyword, what the generator wrote; where the file differs, a person
 * changed it. So curation is recognised without any extra bookkeeping in the files under review.
 */
import { type InferOptions, infer, inferenceMark } from '../infer/index.ts';
import {
  type Description,
  type Extraction,
  type JsonSchema,
  type ListedEvent,
  type Sample,
  type SchemaSet,
  SHARED_DEFS_FILE,
} from '../ir.ts';
import { inline } from './inline.ts';

function extraction(existing: Iterable<JsonSchema>): Extraction {
  const samples: Sample[] = [];
  const descriptions: Description[] = [];
  const listedOnly: ListedEvent[] = [];
  for (const schema of existing) {
    const meta = schema['x-eventgen'] ?? {};
    const eventType = meta.eventType;
    if (eventType === undefined) continue;
    const source = meta.sources?.[0] ?? { file: 'schemas', line: 1, locale: 'en-US', envelope: 'eventgrid' as const };
    const examples = Array.isArray(schema.examples) ? schema.examples : [];
    for (const data of examples) {
      samples.push({ eventType, data, sources: [source], attributes: meta.attributes ?? {} });
    }
    if (examples.length === 0 && meta.listed) {
      listedOnly.push({ eventType, source: { file: meta.listed.file, line: meta.listed.line }, locale: meta.listed.locale });
    }
    for (const [locale, d] of Object.entries(meta.descriptions ?? {})) {
      descriptions.push({ eventType, locale, text: d.text, source: { file: d.file, line: d.line } });
    }
  }
  return { samples, rawSampleCount: samples.length, descriptions, propertyTables: [], listedOnly, docsRead: 0 };
}

/**
 * Inference over the existing files' own examples and recorded facts, each file with the
 * settings it was written with (files without `x-eventgen.inference` predate evidence-based
 * inference: their `required` and `uuid` / `uri` formats came from the samples).
 */
export function previousInference(existing: ReadonlyMap<string, JsonSchema>, options: InferOptions): SchemaSet {
  const groups = new Map<string, { options: InferOptions; schemas: JsonSchema[] }>();
  const byType = new Map<string, JsonSchema>();
  const defs = (existing.get(SHARED_DEFS_FILE)?.$defs ?? {}) as Record<string, JsonSchema>;
  for (const [file, schema] of existing) {
    if (file === SHARED_DEFS_FILE) continue;
    const meta = schema['x-eventgen'] ?? {};
    if (meta.eventType === undefined) continue;
    byType.set(meta.eventType, inline(schema, defs));
    const legacyEvidence =
      meta.inference === undefined ||
      !meta.inference.startsWith(inferenceMark({ ...options, legacyEvidence: false, requiredFromSamples: false }));
    const settings: InferOptions =
      meta.inference === undefined
        ? { ...options, requiredFromSamples: true, legacyFormats: true, legacyEvidence }
        : {
            ...options,
            legacyEvidence,
            requiredFromSamples: meta.inference === inferenceMark({ ...options, legacyEvidence, requiredFromSamples: true }),
          };
    const key = `${settings.requiredFromSamples}/${settings.legacyFormats}/${settings.legacyEvidence}`;
    const group = groups.get(key) ?? { options: settings, schemas: [] };
    group.schemas.push(schema);
    groups.set(key, group);
  }
  const events: SchemaSet['events'] = [];
  const shared: SchemaSet['shared'] = {};
  for (const group of groups.values()) {
    const inferred = infer(extraction(group.schemas), group.options, byType).schemas;
    events.push(...inferred.events);
    Object.assign(shared, inferred.shared);
  }
  return { events, shared };
}
