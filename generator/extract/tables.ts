/**
 * The tables and prose of Microsoft Learn event pages, in any locale, read into facts: descriptions
 * of event types, events listed without a sample, property tables. Each table is recognised by what
 * its cells hold (never by its header words alone):
 *
 * - an event list (`event-lists.ts`) has a column of event types; its prose column describes them;
 * - a property table (`property-tables.ts`) has a column of the keys of the page's samples;
 * - values in prose ("Possible values for `status` are …", `prose-values.ts`) become a property
 *   table of kind `prose`; headings and list items that name an event type list it.
 *
 * What a column holds (type words, prose, marks, header words per locale) is `table-columns.ts`.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { Description, ListedEvent, Location, PropertyTable } from '../ir.ts';
import {
  DOTTED_NAME,
  type EventColumn,
  type EventMatch,
  type EventName,
  eventColumn,
  eventMatcher,
  listedInProse,
  looseKey,
} from './event-lists.ts';
import type { Paragraph, Table, TableRow } from './markdown.ts';
import { propertyLayout, propertyRows } from './property-tables.ts';
import { proseValues } from './prose-values.ts';
import { headerRoles, proseColumn } from './table-columns.ts';

export interface TableInput {
  /** Keys of the page's samples' data at any depth, and `a.b` paths from the data, lower case. */
  readonly keys?: ReadonlySet<string>;
  readonly file: string;
  readonly locale: string;
  readonly date?: string;
  readonly tables: Table[];
  /** The page's prose, for sentences such as "Possible values for `status` are `A` and `B`". */
  readonly prose?: readonly Paragraph[];
  /** Event types the page's own samples show, for short names in its tables. */
  readonly sampled: readonly string[];
}

export interface TableFacts {
  readonly descriptions: Description[];
  readonly listedOnly: ListedEvent[];
  readonly propertyTables: PropertyTable[];
  readonly diagnostics: Diagnostic[];
}

/** The facts as they are gathered: one description per event type and locale, one listing per event type. */
interface Gathered {
  readonly descriptions: Map<string, Description>;
  readonly listed: Map<string, ListedEvent>;
  readonly propertyTables: PropertyTable[];
  readonly diagnostics: Diagnostic[];
}

const dated = (doc: TableInput) => (doc.date === undefined ? {} : { date: doc.date });

/**
 * Reads every table of `docs`: descriptions of known event types, events listed without a sample,
 * property tables; then the prose of every page: values for fields, events named by headings and
 * list items. `eventTypes` are the types the samples show.
 */
export function readTables(docs: readonly TableInput[], eventTypes: readonly string[]): TableFacts {
  const byKey = new Map(eventTypes.map((t) => [looseKey(t), t]));
  const facts: Gathered = { descriptions: new Map(), listed: new Map(), propertyTables: [], diagnostics: [] };
  for (const doc of docs) {
    const match = eventMatcher(byKey, doc.sampled);
    for (const table of doc.tables) {
      const events = eventColumn(table, match);
      if (events === undefined) readPropertyTable(doc, table, facts);
      else readEventList(doc, table, events, facts);
    }
  }
  for (const doc of docs) readProse(doc, eventMatcher(byKey, doc.sampled), facts);
  for (const t of eventTypes) facts.listed.delete(t);
  const { descriptions, listed, propertyTables, diagnostics } = facts;
  return { descriptions: [...descriptions.values()], listedOnly: [...listed.values()], propertyTables, diagnostics };
}

/** A page's prose: values for fields (a property table of kind `prose`), and the event types its headings and list items name. */
function readProse(doc: TableInput, match: EventMatch, facts: Gathered): void {
  const prose = doc.prose ?? [];
  const rows = proseValues(prose, doc.keys ?? new Set(), match);
  if (rows.length > 0) {
    const line = rows[0]?.line ?? 1;
    facts.propertyTables.push({ file: doc.file, line, locale: doc.locale, rows, ...dated(doc), kind: 'prose' });
  }
  for (const named of listedInProse(prose, doc.file, doc.locale)) {
    if (!facts.listed.has(named.eventType)) facts.listed.set(named.eventType, named);
  }
}

function readPropertyTable(doc: TableInput, table: Table, facts: Gathered): void {
  const layout = propertyLayout(table, doc.keys ?? new Set());
  if (layout === undefined) return;
  facts.propertyTables.push({
    file: doc.file,
    line: table.line,
    locale: doc.locale,
    rows: propertyRows(table, layout),
    ...dated(doc),
  });
}

/**
 * Each row of an event list: the event type it lists (noted when no sample shows it) and its
 * description, from the column of prose.
 */
function readEventList(doc: TableInput, table: Table, events: EventColumn, facts: Gathered): void {
  const descriptionColumn = proseColumn(table, [events.column], headerRoles(table).description);
  table.rows.forEach((row, i) => {
    const at = { file: doc.file, line: row.line };
    const named = events.names[i] as EventName;
    const eventType = listedType(named, at, facts);
    if (eventType === undefined) return;
    if (!named.sampled && !facts.listed.has(eventType)) {
      facts.listed.set(eventType, { eventType, source: at, locale: doc.locale });
    }
    const text = descriptionColumn === undefined ? '' : cellText(row, descriptionColumn);
    if (text !== '') describe(facts, { eventType, locale: doc.locale, text, source: at, ...dated(doc) });
  });
}

/** The event type a row lists; a spelling other than the type's is noted, and a dotted name that is no event type reported. */
function listedType(named: EventName, at: Location, facts: Gathered): string | undefined {
  const { eventType, spelled, sampled } = named;
  if (eventType === undefined) {
    if (DOTTED_NAME.test(named.cell)) {
      facts.diagnostics.push(diagnostic('W_TABLE_UNMATCHED', `table row "${named.cell}" is not an event type`, at));
    }
    return undefined;
  }
  if (spelled !== undefined) {
    const how = sampled ? 'the samples spell it' : 'read as';
    facts.diagnostics.push(diagnostic('I_LISTED_SPELLING', `the table lists "${spelled}"; ${how} ${eventType}`, at));
  }
  return eventType;
}

const cellText = (row: TableRow, column: number) => (row.cells[column] ?? '').replace(/\s+/g, ' ').trim();

/** Keeps one description per event type and locale: the newest page's; a disagreement is reported. */
function describe(facts: Gathered, next: Description): void {
  const key = `${next.eventType}\u0000${next.locale}`;
  const earlier = facts.descriptions.get(key);
  if (earlier === undefined) {
    facts.descriptions.set(key, next);
    return;
  }
  if (earlier.text === next.text) return;
  const newer = (next.date ?? '') > (earlier.date ?? '');
  const [kept, other] = newer ? [next, earlier] : [earlier, next];
  if (newer) facts.descriptions.set(key, next);
  const when = (d: Description) => (d.date === undefined ? 'undated' : `of ${d.date}`);
  const why =
    kept.date !== undefined && kept.date !== other.date
      ? `the newer page (${when(kept)}) wins`
      : `${kept.source.file}:${kept.source.line} is used (same date; first by file path)`;
  const where = `${other.source.file}:${other.source.line} (page ${when(other)})`;
  facts.diagnostics.push(
    diagnostic(
      'W_DESCRIPTION_CONFLICT',
      `${next.eventType} (${next.locale}) is described differently at ${where}; ${why}`,
      next.source,
    ),
  );
}
