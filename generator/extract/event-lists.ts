/**
 * Event lists: the tables, headings and list items of a page that name event types.
 *
 * A table is an event list when one of its columns names event types (`Microsoft.Storage.BlobCreated`,
 * with or without backticks, links or "(preview)", or spelled with a resource type as
 * `Microsoft.Web/sites.BackupOperationStarted`), whatever the header says. Machine translation
 * mangles names in these tables ("Microsoft Communication. UserDisconnected") while the JSON samples
 * keep them right, so cells are matched to the event types found in samples by a loose key (letters
 * and digits only, case-folded), a short name (`RouterJobReceived`) by the event part of the page's
 * sampled types. A cell that names a well-formed event type no sample shows is an event documented
 * without a sample.
 */
import type { ListedEvent } from '../ir.ts';
import { isEventType } from './envelope.ts';
import type { Paragraph, Table } from './markdown.ts';
import { cleanName, width } from './table-columns.ts';

/** The sampled event type a table's spelling names, if any. */
export type EventMatch = (name: string) => string | undefined;

/** `Microsoft Communication. UserDisconnected*` → `microsoftcommunicationuserdisconnected` */
export function looseKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Matches a spelling to a sampled event type: by its loose key among `byKey` (every sampled type of
 * the doc set), else, when it has no dot, as a short name of the types the page's own samples show.
 */
export function eventMatcher(byKey: ReadonlyMap<string, string>, pageSampled: readonly string[]): EventMatch {
  const shortNames = new Map(pageSampled.map((t) => [looseKey(t.slice(t.lastIndexOf('.') + 1)), t]));
  return (name) => byKey.get(looseKey(name)) ?? (name.includes('.') ? undefined : shortNames.get(looseKey(name)));
}

/** What one cell of a candidate event column names. */
export interface EventName {
  /** The cell, cleaned. */
  readonly cell: string;
  /** The event type it names, if any. */
  readonly eventType?: string;
  /** Whether a sample of the doc set shows that event type. */
  readonly sampled: boolean;
  /** The spelling of the table, when it is not the event type's (a resource type inside the name). */
  readonly spelled?: string;
}

/** `Microsoft.Web/sites.BackupOperationStarted` → `Microsoft.Web.BackupOperationStarted`: event types carry no resource type. */
const RESOURCE_SEGMENT = /^([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*)\/[A-Za-z][\w/-]*?((?:\.[A-Za-z][\w-]*)+)$/;

/** A cell that looks like an event type even when no sample shows it: three or more dotted segments of a name. */
const LOOKS_LIKE_EVENT_TYPE = /^[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*){2,}$/;

const unsampledType = (name: string) => isEventType(name) && LOOKS_LIKE_EVENT_TYPE.test(name);

/** What a cell names: a sampled type as spelled, else without a resource type, else a well-formed type no sample shows. */
function eventName(raw: string, match: EventMatch): EventName {
  const cell = cleanName(raw);
  const direct = match(cell);
  if (direct !== undefined) return { cell, eventType: direct, sampled: true };
  const resource = RESOURCE_SEGMENT.exec(cell);
  if (resource) {
    const name = `${resource[1]}${resource[2]}`;
    const sampled = match(name);
    if (sampled !== undefined) return { cell, eventType: sampled, sampled: true, spelled: cell };
    if (unsampledType(name)) return { cell, eventType: name, sampled: false, spelled: cell };
  }
  if (unsampledType(cell)) return { cell, eventType: cell, sampled: false };
  return { cell, sampled: false };
}

export interface EventColumn {
  readonly column: number;
  /** What the column's cell names, row by row. */
  readonly names: EventName[];
}

/**
 * The column of `table` whose cells name event types, with what each row names; undefined when no
 * column names an event type in at least half of its non-empty cells.
 */
export function eventColumn(table: Table, match: EventMatch): EventColumn | undefined {
  let best: { column: number; names: EventName[]; count: number } | undefined;
  for (let column = 0; column < width(table); column++) {
    const names = table.rows.map((row) => eventName(row.cells[column] ?? '', match));
    const count = names.filter((n) => n.eventType !== undefined).length;
    const filled = table.rows.filter((row) => (row.cells[column] ?? '').trim() !== '').length;
    if (count > 0 && count * 2 >= filled && count > (best?.count ?? 0)) best = { column, names, count };
  }
  return best;
}

/** A cell that reads as a dotted name (`Microsoft.Foo Bar`): worth a warning when it names no event type. */
export const DOTTED_NAME = /^[A-Za-z][\w]*([. ]+[A-Za-z][\w]*)+$/;

/** A dotted name of three or more segments leading a heading or list item. */
const LEADING_EVENT_TYPE = /^\s*([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*){2,})(?=$|[\s:(,–—-])/;

/**
 * Event types a page names as a heading or as a list item of their own (`### Microsoft.Storage.BlobTierChanged
 * event`, `- \`Microsoft.KeyVault.SecretExpired\`: …`): a reader takes them for events of the page
 * whether or not a table or a sample shows them.
 */
export function listedInProse(prose: readonly Paragraph[], file: string, locale: string): ListedEvent[] {
  const out: ListedEvent[] = [];
  for (const paragraph of prose) {
    const eventType = leadingEventType(paragraph);
    if (eventType !== undefined) out.push({ eventType, source: { file, line: paragraph.line }, locale });
  }
  return out;
}

/** The event type a heading or list item starts with (its first code span, when it starts with that). */
function leadingEventType(paragraph: Paragraph): string | undefined {
  if (paragraph.kind === 'paragraph') return undefined;
  const code = paragraph.codes[0];
  const name = LEADING_EVENT_TYPE.exec(cleanName(code ?? paragraph.text))?.[1];
  if (name === undefined || !isEventType(name)) return undefined;
  if (code !== undefined && !paragraph.text.trimStart().startsWith(code)) return undefined;
  return name;
}
