/**
 * What the catalog shows: one model of the contract, gathered here once, from which the package's
 * README catalog, the HTML catalog page (`catalog/index.html`) and the AsyncAPI document
 * (`asyncapi.json`) are all written, so the three never disagree.
 *
 * Per event: its names, provider and family, its descriptions (the preferred locale first), every
 * field with its type, known values, nullability, requiredness, deprecation and the evidence for
 * it (the doc table's file and line, the samples, a person's curation), a sample in each envelope
 * (the fixture model's data: the doc's first sample, placeholders made real), the fixture calls
 * that make one, the handler file, its deprecations and the changelog entries that touched it.
 * Plain data: the renderers quote every text for their own context.
 */
import type { Envelope, JsonSchema, JsonType, SchemaSet, XEventgen } from '../ir.ts';
import { fileName, splitEventType, words } from '../names.ts';
import { type SchemaPlace, typesOf, walk } from '../schema-walk.ts';
import type { FixtureModel } from './fixtures.ts';
import type { EventView, PackageView } from './view.ts';

export interface CatalogDescription {
  readonly locale: string;
  readonly text: string;
  /** `file:line` of the table row it comes from. */
  readonly source: string;
}

export interface CatalogField {
  /** Dotted path in the data (`memberAdded.displayName`, `recipients[].id`, `labels{}`). */
  readonly path: string;
  /** JSON pointer in the data (`/memberAdded/displayName`, `/recipients/0/id`, `/labels/*`). */
  readonly pointer: string;
  readonly depth: number;
  /** `string (date-time)`, `number | null`, `AcsProperties`, `array of object`, `map of string`. */
  readonly type: string;
  readonly knownValues: string[];
  readonly nullable: boolean;
  readonly required: boolean;
  readonly deprecated: boolean;
  readonly description: string;
  /** What supports this field, strongest first (`curated: format "uuid"`, `doc table docs/x.md:42 (type string)`, `3 samples on 2 pages`). */
  readonly evidence: string[];
}

export interface CatalogSample {
  readonly envelope: Envelope;
  readonly label: string;
  /** The event as JSON, two-space indented. */
  readonly json: string;
  readonly event: Record<string, unknown>;
}

export interface CatalogChangelogEntry {
  readonly version: string;
  readonly lines: string[];
}

export interface CatalogEvent {
  readonly eventType: string;
  readonly typeName: string;
  readonly baseName: string;
  readonly provider: string;
  readonly family: string;
  readonly schemaFile: string;
  readonly description: string;
  /** The locale of `description`; `curated` when a person wrote it in schemas/. */
  readonly descriptionLocale: string;
  readonly otherDescriptions: CatalogDescription[];
  readonly deprecated: boolean;
  /** Why the event or its fields are deprecated, and the renames the changelog reports. */
  readonly history: string[];
  readonly envelopes: Envelope[];
  readonly envelopeLabels: string;
  /** Top-level fields as markdown code spans, optional ones marked with `?` (the README's column). */
  readonly fieldList: string;
  readonly fields: CatalogField[];
  readonly samples: CatalogSample[];
  /** The doc's own samples of the data (schema `examples`). */
  readonly examples: unknown[];
  readonly fixtureCalls: string[];
  /** The handler skeleton's path, as the application's handlers folder holds it. */
  readonly handlerFile: string;
  /** `file:line` of the first documented sample (or of the table row listing it). */
  readonly source: string;
  readonly sources: string[];
  readonly changelog: CatalogChangelogEntry[];
  /** Lower-case text the search box matches: type, descriptions, field paths. */
  readonly searchText: string;
  readonly schema: JsonSchema;
}

export interface CatalogFamily {
  readonly family: string;
  readonly events: CatalogEvent[];
}

export interface CatalogProvider {
  readonly provider: string;
  readonly families: CatalogFamily[];
}

export interface CatalogModel {
  readonly packageName: string;
  readonly version: string;
  readonly events: CatalogEvent[];
  readonly providers: CatalogProvider[];
  readonly shared: Record<string, JsonSchema>;
}

export interface CatalogInput {
  readonly packageName: string;
  /** Preferred description locales, best first. */
  readonly locales: readonly string[];
  /** Curated keywords, `eventType pointer keyword value` (merge's list). */
  readonly curated: readonly string[];
  /** The application's handlers folder as shown to people (`handlers`). */
  readonly handlersDir: string;
  readonly fixtures: ReadonlyMap<string, FixtureModel>;
  /** The package's version, and its CHANGELOG.md (read for the entries of each event), once the release step decided them. */
  readonly version?: string;
  readonly changelog?: string;
}

const ENVELOPE_LABELS: Record<Envelope, string> = { eventgrid: 'Event Grid', cloudevents: 'CloudEvents 1.0' };
/** The fixed id and time of the catalog's samples (the fixtures vary them by seed). */
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';
const SAMPLE_TIME = '2024-01-01T00:00:00Z';

export function catalogModel(view: PackageView, set: SchemaSet, input: CatalogInput): CatalogModel {
  const events = view.events.map((e) => catalogEvent(e, input));
  return released(grouped(events, input.packageName, set.shared), input);
}

/**
 * The model once the release step decided the version and wrote the CHANGELOG: each event with the
 * entries that touched it, and the renames and deprecations they report. Cheap: the rest is shared.
 */
export function released(model: CatalogModel, release: Pick<CatalogInput, 'version' | 'changelog'>): CatalogModel {
  const changelog = changelogByEvent(release.changelog ?? '');
  const events = model.events.map((event) => {
    const entries = changelog.get(event.eventType) ?? [];
    const reported = entries.flatMap((entry) =>
      entry.lines.filter((line) => HISTORY.test(line)).map((line) => `${entry.version}: ${line}`),
    );
    return { ...event, changelog: entries, history: [...event.history, ...reported] };
  });
  return grouped(events, model.packageName, model.shared, release.version ?? '');
}

/** Changelog lines about renames and deprecations. */
const HISTORY = /^(likely rename|likely renamed|field deprecated|event deprecated)/i;

function grouped(events: CatalogEvent[], packageName: string, shared: Record<string, JsonSchema>, version = ''): CatalogModel {
  const providers: CatalogProvider[] = [];
  for (const event of [...events].sort((a, b) => compare(a.provider, b.provider) || compare(a.family, b.family))) {
    let provider = providers.at(-1);
    if (provider?.provider !== event.provider) {
      provider = { provider: event.provider, families: [] };
      providers.push(provider);
    }
    let family = provider.families.at(-1);
    if (family?.family !== event.family) {
      family = { family: event.family, events: [] };
      provider.families.push(family);
    }
    family.events.push(event);
  }
  for (const p of providers) for (const f of p.families) f.events.sort((a, b) => compare(a.eventType, b.eventType));
  return { packageName, version, events, providers, shared };
}

function catalogEvent(e: EventView, input: CatalogInput): CatalogEvent {
  const meta = e.schema['x-eventgen'] ?? {};
  const { provider, event } = splitEventType(e.eventType);
  const descriptions = Object.entries(meta.descriptions ?? {})
    .map(([locale, d]) => ({ locale, text: d.text, source: `${d.file}:${d.line}` }))
    .sort((a, b) => rank(a.locale, input.locales) - rank(b.locale, input.locales) || compare(a.locale, b.locale));
  const shown = descriptions.find((d) => d.text === e.description);
  const curated = input.curated.filter((c) => c.startsWith(`${e.eventType} `)).map((c) => c.slice(e.eventType.length + 1));
  const fields = fieldRows(e.schema, curated);
  const fixture = input.fixtures.get(e.eventType);
  const samples = fixture === undefined ? [] : e.envelopes.map((envelope) => sampleOf(envelope, e.eventType, fixture));
  const history: string[] = [];
  if (e.schema.deprecated === true) {
    const gone = meta.supersededBy;
    history.push(
      gone
        ? `Deprecated: last documented on a page of ${gone.lastDocumented}; ${gone.file} (${gone.date}) documents its family without it.`
        : 'Deprecated in schemas/.',
    );
  }
  for (const f of fields.filter((f) => f.deprecated)) history.push(`Field ${f.path} deprecated: no newer page documents it.`);
  const sources = (meta.sources ?? []).map((s) => `${s.file}:${s.line}`);
  return {
    eventType: e.eventType,
    typeName: e.typeName,
    baseName: e.baseName,
    provider: provider || '(no provider)',
    family: words(event)[0] ?? event,
    schemaFile: e.schemaFile,
    description: e.description,
    descriptionLocale: shown?.locale ?? (e.description === '' ? '' : 'curated'),
    otherDescriptions: descriptions.filter((d) => d !== shown),
    deprecated: e.schema.deprecated === true,
    history,
    envelopes: e.envelopes,
    envelopeLabels: e.envelopeLabels,
    fieldList: e.fields,
    fields,
    samples,
    examples: Array.isArray(e.schema.examples) ? e.schema.examples : [],
    fixtureCalls: [
      `make${e.typeName}({}, { seed: 1 })`,
      ...e.envelopes.map((env) => `make${e.baseName}${env === 'eventgrid' ? 'EventGridEvent' : 'CloudEvent'}({}, { seed: 1 })`),
    ],
    handlerFile: `${input.handlersDir}/${fileName(e.baseName, '.ts')}`,
    source: e.source,
    sources: sources.length > 0 ? sources : [e.source],
    changelog: [],
    searchText: [...new Set([e.eventType, e.description, ...descriptions.map((d) => d.text), ...fields.map((f) => f.path)])]
      .join(' ')
      .toLowerCase(),
    schema: e.schema,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function rank(locale: string, preferred: readonly string[]): number {
  const lower = locale.toLowerCase();
  const i = preferred.findIndex((p) => lower === p.toLowerCase() || lower.startsWith(`${p.toLowerCase()}-`));
  return i < 0 ? preferred.length : i;
}

function sampleOf(envelope: Envelope, eventType: string, m: FixtureModel): CatalogSample {
  const event: Record<string, unknown> =
    envelope === 'eventgrid'
      ? {
          id: SAMPLE_ID,
          topic: m.source,
          subject: m.subject,
          eventType,
          eventTime: SAMPLE_TIME,
          data: m.data,
          dataVersion: m.dataVersion,
          metadataVersion: '1',
        }
      : {
          specversion: '1.0',
          id: SAMPLE_ID,
          source: m.source,
          type: eventType,
          subject: m.subject,
          time: SAMPLE_TIME,
          datacontenttype: 'application/json',
          data: m.data,
        };
  return { envelope, label: ENVELOPE_LABELS[envelope], json: JSON.stringify(event, null, 2), event };
}

/** How deep the catalog lists fields: objects nested deeper than this list no fields of their own. */
const MAX_FIELD_DEPTH = 12;

/** A field's dotted path (`a.b`, `list[]` for items, `map{}` for a map's entries) and the depth the catalog nests it at. */
function fieldPath(place: SchemaPlace): { path: string; depth: number } {
  if (place.parent === undefined) return { path: '', depth: 0 };
  const { path, depth } = fieldPath(place.parent);
  if (place.keyword === 'items') return { path: `${path}[]`, depth };
  if (place.keyword === 'additionalProperties') return { path: `${path}{}`, depth: depth + 1 };
  return { path: path === '' ? (place.key as string) : `${path}.${place.key}`, depth: depth + 1 };
}

/** Every field of an event's data, depth first in documented order. */
export function fieldRows(schema: JsonSchema, curated: readonly string[]): CatalogField[] {
  const rows: CatalogField[] = [];
  const enter = (place: SchemaPlace): boolean => {
    const { schema: node, keyword, parent } = place;
    // A map (its keys are data) has one row for its entries; one that allows anything has none.
    if (keyword === 'additionalProperties' && Object.keys(node).length === 0) return false;
    const { path, depth } = fieldPath(place);
    if (parent !== undefined && keyword !== 'items') {
      const required =
        keyword === 'properties' && Array.isArray(parent.schema.required) && parent.schema.required.includes(place.key as string);
      rows.push(fieldRow(node, place.at, path, depth - 1, required, curated));
    }
    return depth <= MAX_FIELD_DEPTH;
  };
  walk(schema, enter, { keywords: ['properties', 'items', 'additionalProperties'] });
  return rows;
}

function fieldRow(
  node: JsonSchema,
  pointer: string,
  path: string,
  depth: number,
  required: boolean,
  curated: readonly string[],
): CatalogField {
  const meta = node['x-eventgen'] ?? {};
  const types = typesOf(node);
  const documented = meta.documented;
  const evidence = [...curatedHere(curated, pointer), ...evidenceLines(meta)];
  const known = [...(Array.isArray(node.enum) ? node.enum : []), ...(meta.knownValues ?? [])].map(String);
  return {
    path,
    pointer,
    depth,
    type: typeText(node, types),
    knownValues: [...new Set(known)],
    nullable: types.includes('null') || documented?.nullable === true,
    required,
    deprecated: node.deprecated === true,
    description: typeof node.description === 'string' ? node.description : (documented?.description ?? ''),
    evidence,
  };
}

/** What a person curated at `pointer` (curated entries are `pointer keyword value`). */
function curatedHere(curated: readonly string[], pointer: string): string[] {
  return curated.flatMap((c) => {
    const [at, keyword, ...value] = c.split(' ');
    return at === pointer && keyword !== undefined ? [`curated in schemas/: ${keyword} ${value.join(' ')}`] : [];
  });
}

/** What the evidence recorded for a field says, one line each. */
function evidenceLines(meta: XEventgen): string[] {
  const { documented, samples, pages } = meta;
  const lines: string[] = [];
  if (documented)
    lines.push(`doc table ${documented.file}:${documented.line}${documented.type ? ` (type ${documented.type})` : ''}`);
  if (samples !== undefined)
    lines.push(`${samples} sample${samples === 1 ? '' : 's'} on ${pages ?? 1} page${pages === 1 ? '' : 's'}`);
  if (meta.observed?.undocumented) lines.push('observed, undocumented: events the webhook recorded have it');
  if (meta.observedTypes !== undefined) lines.push(`observed as ${meta.observedTypes.join(', ')} in recorded events`);
  if (meta.observedFormatBroken !== undefined)
    lines.push(`format ${meta.observedFormatBroken} not enforced: recorded values break it`);
  if (meta.observedMissing) lines.push('optional: recorded events lack it');
  return lines;
}

function typeText(node: JsonSchema, types: JsonType[]): string {
  if (typeof node.$ref === 'string') return node.$ref.slice(node.$ref.lastIndexOf('/') + 1);
  const named = types.map((t) => {
    if (t === 'string' && typeof node.format === 'string') return `string (${node.format})`;
    if (t === 'array' && node.items && typeof node.items === 'object' && !Array.isArray(node.items)) {
      return `array of ${typeText(node.items, typesOf(node.items)) || 'any'}`;
    }
    if (t === 'object' && !node.properties && node.additionalProperties && typeof node.additionalProperties === 'object') {
      return `map of ${typeText(node.additionalProperties, typesOf(node.additionalProperties)) || 'any'}`;
    }
    return t;
  });
  return named.join(' | ') || 'any';
}

/**
 * The CHANGELOG.md the release step writes, read back per event: `## <version>` headings, a
 * `` - `<event type>` `` line per event, its changes indented beneath.
 */
export function changelogByEvent(changelog: string): Map<string, CatalogChangelogEntry[]> {
  const out = new Map<string, CatalogChangelogEntry[]>();
  let version = '';
  let current: CatalogChangelogEntry | undefined;
  for (const line of changelog.split('\n')) {
    const heading = /^## (\S+)/.exec(line);
    if (heading) {
      version = heading[1] as string;
      current = undefined;
      continue;
    }
    const event = /^- `([^`]+)`$/.exec(line);
    if (event) {
      current = { version, lines: [] };
      const list = out.get(event[1] as string) ?? [];
      list.push(current);
      out.set(event[1] as string, list);
      continue;
    }
    const item = /^ {2}- (.*)$/.exec(line);
    if (item && current) current.lines.push(item[1] as string);
    else if (!item) current = undefined;
  }
  for (const list of out.values()) list.reverse();
  return out;
}
