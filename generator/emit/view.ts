/**
 * View-models for the templates: every name, ordering and text the templates print
 * is computed here, so templates hold no logic (STYLE.md, "Emitting code").
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { Envelope, EventSchema, JsonSchema, ObservedMark, SchemaSet } from '../ir.ts';
import { typeName as declaredName, eventDataTypeName, isStableTypeName } from '../names.ts';

export interface Source {
  readonly file: string;
  readonly line: number;
  readonly locale?: string;
}

export interface EventView {
  readonly eventType: string;
  readonly typeName: string;
  /** The type name without its `EventData` suffix, for fixture names (`makeAcsSmsReceivedCloudEvent`). */
  readonly baseName: string;
  readonly schemaFile: string;
  readonly description: string;
  readonly envelopes: Envelope[];
  readonly envelopeLabels: string;
  /** Top-level fields as markdown code spans, optional ones marked with `?`. */
  readonly fields: string;
  readonly source: string;
  readonly schema: JsonSchema;
}

export interface SharedView {
  readonly key: string;
  readonly typeName: string;
  readonly schema: JsonSchema;
}

export interface PackageView {
  readonly events: EventView[];
  readonly shared: SharedView[];
  readonly sharedNames: Map<string, string>;
}

/** `observed in production: 12 events, first seen …, last seen …`, for an event type no doc lists. */
function observedSource(observed: ObservedMark | undefined): string | undefined {
  if (observed?.source !== 'observed') return undefined;
  const span = [
    observed.firstSeen === undefined ? '' : `, first seen ${observed.firstSeen}`,
    observed.lastSeen === undefined ? '' : `, last seen ${observed.lastSeen}`,
  ].join('');
  return `observed in production (no doc lists it): ${observed.count ?? 0} recorded${span}`;
}

const ENVELOPE_LABELS: Record<Envelope, string> = { eventgrid: 'Event Grid', cloudevents: 'CloudEvents 1.0' };

export function packageView(set: SchemaSet): { view: PackageView; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const owners = new Map<string, string>();
  const claim = (name: string, owner: string, at: Source): boolean => {
    const other = owners.get(name);
    if (other !== undefined) {
      diagnostics.push(diagnostic('E_NAME_COLLISION', `${owner} and ${other} both map to the TypeScript name ${name}`, at));
      return false;
    }
    owners.set(name, owner);
    return true;
  };

  // Files are named after event types and type names: two that differ only in case would be one file on a
  // case-insensitive file system (macOS, Windows), so the second is refused.
  const foldedTypes = new Map<string, string>();
  const foldedNames = new Map<string, { name: string; eventType: string }>();
  const events: EventView[] = [];
  for (const event of set.events) {
    const meta = event.schema['x-eventgen'] ?? {};
    const first = meta.sources?.[0] ?? meta.listed ?? { file: `schemas/${event.fileName}`, line: 1 };
    const sameType = foldedTypes.get(event.eventType.toLowerCase());
    if (sameType !== undefined) {
      const message = `${event.eventType} and ${sameType} differ only in case, and so would the names of their schema files`;
      diagnostics.push(diagnostic('E_CASE_COLLISION', message, first));
      continue;
    }
    foldedTypes.set(event.eventType.toLowerCase(), event.eventType);
    const typeName = typeNameOf(event, diagnostics);
    if (typeName === undefined || !claim(typeName, event.eventType, first)) continue;
    const sameName = foldedNames.get(typeName.toLowerCase());
    if (sameName !== undefined) {
      const message = `${event.eventType} and ${sameName.eventType} map to TypeScript names that differ only in case, ${typeName} and ${sameName.name}, and so would the names of their handler files`;
      diagnostics.push(diagnostic('E_CASE_COLLISION', message, first));
      continue;
    }
    foldedNames.set(typeName.toLowerCase(), { name: typeName, eventType: event.eventType });
    const envelopes = meta.envelopes ?? [];
    events.push({
      eventType: event.eventType,
      typeName,
      baseName: typeName.replace(/EventData$/, '') || typeName,
      schemaFile: event.fileName,
      description: event.schema.description ?? '',
      envelopes,
      envelopeLabels: envelopes.map((e) => ENVELOPE_LABELS[e]).join(', '),
      fields: fieldList(event.schema),
      source: observedSource(meta.observed) ?? `${first.file}:${first.line}`,
      schema: event.schema,
    });
  }
  const shared: SharedView[] = [];
  const sharedNames = new Map<string, string>();
  for (const [key, schema] of Object.entries(set.shared)) {
    const typeName = declaredName(key);
    if (!claim(typeName, `shared definition ${key}`, { file: 'schemas/shared.defs.json', line: 1 })) continue;
    shared.push({ key, typeName, schema });
    sharedNames.set(key, typeName);
  }
  return { view: { events, shared, sharedNames }, diagnostics };
}

function typeNameOf(event: EventSchema, diagnostics: Diagnostic[]): string | undefined {
  const curated = event.schema['x-eventgen-typeName'];
  if (curated === undefined) return eventDataTypeName(event.eventType);
  if (typeof curated === 'string' && isStableTypeName(curated)) return curated;
  const usable = typeof curated === 'string' && curated !== '' ? `; such as ${declaredName(curated)}` : '';
  diagnostics.push(
    diagnostic(
      'E_INVALID_TYPE_NAME',
      `x-eventgen-typeName ${JSON.stringify(curated)} of ${event.eventType} is not usable${usable}`,
      {
        file: `schemas/${event.fileName}`,
        line: 1,
      },
    ),
  );
  return undefined;
}

function fieldList(schema: JsonSchema): string {
  const required = new Set(schema.required ?? []);
  return Object.keys(schema.properties ?? {})
    .map((key) => {
      const child = schema.properties?.[key];
      const observed = child?.['x-eventgen']?.observed?.undocumented;
      return `\`${key.replace(/`/g, "'")}${required.has(key) ? '' : '?'}\`${observed ? ' (observed, undocumented)' : ''}`;
    })
    .join(', ');
}

/** JSDoc text for an event's data interface: description, event type, where it is documented. */
export function eventDoc(event: EventView): string {
  const where = event.source.startsWith('observed') ? `Source: ${event.source}.` : `Documented at ${event.source}.`;
  const lines = [event.description, `Data of \`${event.eventType}\` events.`, where];
  return lines.filter((l) => l !== '').join('\n\n');
}
