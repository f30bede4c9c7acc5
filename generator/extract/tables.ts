/**
 * Tables of Microsoft Learn event pages, in any locale, recognised by what their cells hold:
 *
 * - event lists: a column whose cells name event types (`Microsoft.Storage.BlobCreated`, with or
 *   without backticks, links or "(preview)", or spelled with a resource type as
 *   `Microsoft.Web/sites.BackupOperationStarted`), whatever the header says. Machine translation
 *   mangles names in these tables ("Microsoft Communication. UserDisconnected") while the JSON
 *   samples keep them right, so rows are matched to the event types found in samples by a loose
 *   key (letters and digits only, case-folded), a short name (`RouterJobReceived`) by the event
 *   part of the page's sampled types. A row that names a well-formed event type no sample shows is
 *   an event documented without a sample.
 * - property tables: a column whose cells name the keys of the page's samples (or `a.b` paths into
 *   them), whatever its header word ("Property", "Attribute", "속성", any other); the type column is
 *   the one whose cells are type words (`string`, `Dictionary<string, object>`, `Zeichenfolge`),
 *   a column of marks (✔️/❌, Yes/No) is required or nullable as its header says, and the description
 *   is the column of prose. Header words are the fallback for tables whose names were translated.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { Description, ListedEvent, PropertyRow, PropertyTable } from '../ir.ts';
import { statesType } from '../typewords.ts';
import { isEventType } from './envelope.ts';
import type { Paragraph, Table, TableRow } from './markdown.ts';

/** `Microsoft Communication. UserDisconnected*` → `microsoftcommunicationuserdisconnected` */
export function looseKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * What a table's name cell holds once footnote marks, code spans, a trailing "(preview)" and
 * spaces around dots are gone. Linear in the length of the cell, whatever it holds.
 */
export function cleanName(cell: string): string {
  return cell
    .replace(/[*`†]/g, '')
    .replace(/\([^()]*\)\s*$/, '')
    .split('.')
    .map((part) => part.trim())
    .join('.')
    .trim();
}

type Role = 'event' | 'name' | 'type' | 'description' | 'required' | 'optional' | 'nullable' | 'values';

/** Header words per role, lower case, in the locales Microsoft Learn publishes (machine translations included). */
const ROLE_WORDS: readonly [Role, readonly string[]][] = [
  [
    'event',
    [
      'event type',
      'event name',
      "type d'événement",
      'type d’événement',
      "nom de l'événement",
      'ereignistyp',
      'ereignisname',
      'イベントの種類',
      'イベント名',
      'イベント タイプ',
      '이벤트 유형',
      '이벤트 이름',
      '事件類型',
      '事件类型',
      '事件名稱',
      '事件名称',
      'tipo de evento',
    ],
  ],
  ['nullable', ['nullable', 'null 허용', 'null 許容', 'null 許可', '可為 null', '可为 null']],
  ['required', ['required', 'erforderlich', 'obligatoire', 'requis', '必須', '필수', '必要', '必需', 'obligatorio']],
  ['values', ['possible values', 'valid values', 'values', 'valeurs', 'werte', '値', '값', '值']],
  ['description', ['description', 'beschreibung', '説明', '설명', '描述', '说明', '說明', 'descripción', 'descrição']],
  ['type', ['type', 'typ', 'datentyp', '型', 'データ型', '형식', '유형', '類型', '类型', 'tipo']],
  [
    'name',
    [
      'property',
      'properties',
      'name',
      'field',
      'key',
      'propriété',
      'nom',
      'champ',
      'eigenschaft',
      'feld',
      'プロパティ',
      '名前',
      'フィールド',
      '속성',
      '자산',
      '이름',
      '屬性',
      '属性',
      '名稱',
      '名称',
      'propiedad',
      'nombre',
    ],
  ],
];

function roleOf(header: string): Role | undefined {
  const text = header.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  for (const [role, words] of ROLE_WORDS) if (words.some((w) => text === w)) return role;
  for (const [role, words] of ROLE_WORDS) if (words.some((w) => w.length > 3 && text.includes(w))) return role;
  return undefined;
}

function columns(table: Table): Partial<Record<Role, number>> {
  const out: Partial<Record<Role, number>> = {};
  table.header.forEach((cell, i) => {
    const role = roleOf(cell);
    if (role !== undefined && out[role] === undefined) out[role] = i;
  });
  return out;
}

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

/** Reads every table of `docs`: descriptions of known event types, events listed without a sample, property tables. */
export function readTables(docs: readonly TableInput[], eventTypes: readonly string[]): TableFacts {
  const byKey = new Map(eventTypes.map((t) => [looseKey(t), t]));
  const descriptions = new Map<string, Description>();
  const listed = new Map<string, ListedEvent>();
  const propertyTables: PropertyTable[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of docs) {
    const shortNames = new Map(doc.sampled.map((t) => [looseKey(t.slice(t.lastIndexOf('.') + 1)), t]));
    const match = (name: string) =>
      byKey.get(looseKey(name)) ?? (name.includes('.') ? undefined : shortNames.get(looseKey(name)));
    for (const table of doc.tables) {
      const events = eventColumn(table, match);
      if (events === undefined) {
        const layout = propertyLayout(table, doc.keys ?? new Set());
        if (layout !== undefined) propertyTables.push(propertyTable(doc, table, layout));
        continue;
      }
      const descriptionCol = proseColumn(table, [events.column], columns(table).description);
      table.rows.forEach((row, i) => {
        const at = { file: doc.file, line: row.line };
        const named = events.names[i] as EventName;
        const eventType = named.eventType;
        if (eventType === undefined) {
          if (/^[A-Za-z][\w]*([. ]+[A-Za-z][\w]*)+$/.test(named.cell)) {
            diagnostics.push(diagnostic('W_TABLE_UNMATCHED', `table row "${named.cell}" is not an event type`, at));
          }
          return;
        }
        if (named.spelled !== undefined) {
          diagnostics.push(
            diagnostic(
              'I_LISTED_SPELLING',
              `the table lists "${named.spelled}"; ${named.sampled ? 'the samples spell it' : 'read as'} ${eventType}`,
              at,
            ),
          );
        }
        if (!named.sampled && !listed.has(eventType)) listed.set(eventType, { eventType, source: at, locale: doc.locale });
        const text = descriptionCol === undefined ? '' : (row.cells[descriptionCol] ?? '').replace(/\s+/g, ' ').trim();
        if (text !== '') describe(descriptions, { eventType, locale: doc.locale, text, source: at, ...dated(doc) }, diagnostics);
      });
    }
  }
  for (const doc of docs) {
    const shortNames = new Map(doc.sampled.map((t) => [looseKey(t.slice(t.lastIndexOf('.') + 1)), t]));
    const match = (name: string) =>
      byKey.get(looseKey(name)) ?? (name.includes('.') ? undefined : shortNames.get(looseKey(name)));
    const rows = proseValues(doc, match);
    if (rows.length > 0)
      propertyTables.push({ file: doc.file, line: rows[0]?.line ?? 1, locale: doc.locale, rows, ...dated(doc), kind: 'prose' });
  }
  for (const doc of docs) {
    for (const named of listedInProse(doc)) if (!listed.has(named.eventType)) listed.set(named.eventType, named);
  }
  for (const t of eventTypes) listed.delete(t);
  return { descriptions: [...descriptions.values()], listedOnly: [...listed.values()], propertyTables, diagnostics };
}

/**
 * Event types a page names as a heading or as a list item of their own (`### Microsoft.Storage.BlobTierChanged
 * event`, `- \`Microsoft.KeyVault.SecretExpired\`: …`): a reader takes them for events of the page
 * whether or not a table or a sample shows them.
 */
function listedInProse(doc: TableInput): ListedEvent[] {
  const out: ListedEvent[] = [];
  for (const paragraph of doc.prose ?? []) {
    if (paragraph.kind === 'paragraph') continue;
    const lead = paragraph.codes[0] ?? paragraph.text;
    const name = /^\s*([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*){2,})(?=$|[\s:(,–—-])/.exec(cleanName(lead))?.[1];
    if (name === undefined || !isEventType(name)) continue;
    if (paragraph.codes[0] !== undefined && !paragraph.text.trimStart().startsWith(paragraph.codes[0])) continue;
    out.push({ eventType: name, source: { file: doc.file, line: paragraph.line }, locale: doc.locale });
  }
  return out;
}

/** What one cell of a candidate event column names. */
interface EventName {
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

function eventName(raw: string, match: (name: string) => string | undefined): EventName {
  const cell = cleanName(raw);
  const direct = match(cell);
  if (direct !== undefined) return { cell, eventType: direct, sampled: true };
  const resource = RESOURCE_SEGMENT.exec(cell);
  if (resource) {
    const name = `${resource[1]}${resource[2]}`;
    const sampled = match(name);
    if (sampled !== undefined) return { cell, eventType: sampled, sampled: true, spelled: cell };
    if (isEventType(name) && LOOKS_LIKE_EVENT_TYPE.test(name)) return { cell, eventType: name, sampled: false, spelled: cell };
  }
  if (isEventType(cell) && LOOKS_LIKE_EVENT_TYPE.test(cell)) return { cell, eventType: cell, sampled: false };
  return { cell, sampled: false };
}

/**
 * The column of `table` whose cells name event types, with what each row names; undefined when no
 * column names an event type in at least half of its non-empty cells.
 */
function eventColumn(
  table: Table,
  match: (name: string) => string | undefined,
): { column: number; names: EventName[] } | undefined {
  let best: { column: number; names: EventName[]; count: number } | undefined;
  for (let column = 0; column < width(table); column++) {
    const names = table.rows.map((row) => eventName(row.cells[column] ?? '', match));
    const count = names.filter((n) => n.eventType !== undefined).length;
    const filled = table.rows.filter((row) => (row.cells[column] ?? '').trim() !== '').length;
    if (count > 0 && count * 2 >= filled && count > (best?.count ?? 0)) best = { column, names, count };
  }
  return best;
}

function width(table: Table): number {
  return Math.max(table.header.length, ...table.rows.map((r) => r.cells.length));
}

/** Columns and what each holds, for a property table. */
type Layout = Partial<Record<Role, number>> & {
  /** More columns of prose beside the description (a "Notes" column): their text follows it. */
  notes?: number[];
};

/**
 * How `table` reads as a property table, or undefined when it is none: the name column is the one
 * whose cells name keys of the page's samples (at least half of them, or three), else the one whose
 * header says so beside a type or description header (tables whose names were translated).
 */
function propertyLayout(table: Table, keys: ReadonlySet<string>): Layout | undefined {
  const header = columns(table);
  if (header.event !== undefined) return undefined;
  let name: number | undefined;
  let bestCount = 0;
  for (let column = 0; column < width(table); column++) {
    const cells = table.rows.map((row) => cleanName(row.cells[column] ?? '')).filter((c) => c !== '');
    const count = cells.filter((c) => keys.has(c.toLowerCase())).length;
    if (count > bestCount && (count * 2 >= cells.length || count >= 3)) {
      name = column;
      bestCount = count;
    }
  }
  if (name === undefined) {
    if (header.name === undefined || (header.type === undefined && header.description === undefined)) return undefined;
    name = header.name;
  }
  const used = [name];
  const type = typeColumn(table, used) ?? (header.type !== undefined && header.type !== name ? header.type : undefined);
  if (type !== undefined) used.push(type);
  const layout: Layout = { name, ...(type === undefined ? {} : { type }) };
  for (let column = 0; column < width(table); column++) {
    if (used.includes(column)) continue;
    const meaning = markMeaning(table.header[column] ?? '');
    if (meaning !== undefined && isMarkColumn(table, column)) {
      layout[meaning] ??= column;
      used.push(column);
    }
  }
  if (header.values !== undefined && !used.includes(header.values)) {
    layout.values = header.values;
    used.push(header.values);
  }
  const description = proseColumn(table, used, header.description);
  if (description !== undefined) {
    layout.description = description;
    used.push(description);
    const notes = [];
    for (let column = 0; column < width(table); column++) {
      if (!used.includes(column) && table.rows.some((row) => /\s/.test((row.cells[column] ?? '').trim()))) notes.push(column);
    }
    if (notes.length > 0) layout.notes = notes;
  }
  return layout;
}

/** The column (not in `used`) whose non-empty cells are mostly type words. */
function typeColumn(table: Table, used: readonly number[]): number | undefined {
  let best: { column: number; count: number } | undefined;
  for (let column = 0; column < width(table); column++) {
    if (used.includes(column)) continue;
    const cells = table.rows.map((row) => (row.cells[column] ?? '').trim()).filter((c) => c !== '');
    const count = cells.filter(statesType).length;
    if (count > 0 && count * 2 >= cells.length && count > (best?.count ?? 0)) best = { column, count };
  }
  return best?.column;
}

/** The column of prose: the header's, else the one (not in `used`) whose cells are longest on average. */
function proseColumn(table: Table, used: readonly number[], byHeader: number | undefined): number | undefined {
  if (byHeader !== undefined && !used.includes(byHeader)) return byHeader;
  let best: { column: number; length: number } | undefined;
  for (let column = 0; column < width(table); column++) {
    if (used.includes(column)) continue;
    const length =
      table.rows.reduce((sum, row) => sum + (row.cells[column] ?? '').trim().length, 0) / Math.max(1, table.rows.length);
    if (length > 0 && length > (best?.length ?? 0)) best = { column, length };
  }
  return best?.column;
}

const MARK_HEADERS: readonly [Role | 'optional', RegExp][] = [
  ['nullable', /null/i],
  ['optional', /optional|facultatif|optionnel|省略可能|선택|可選|可选/i],
  ['required', /required|mandatory|erforderlich|obligatoire|requis|obligatorio|必須|필수|必要|必需|pflicht/i],
];

/** What a column of marks means, by its header; undefined when the header says neither. */
function markMeaning(header: string): 'nullable' | 'required' | 'optional' | undefined {
  const text = header.normalize('NFKC');
  return MARK_HEADERS.find(([, pattern]) => pattern.test(text))?.[0] as 'nullable' | 'required' | 'optional' | undefined;
}

function isMarkColumn(table: Table, column: number): boolean {
  const cells = table.rows.map((row) => (row.cells[column] ?? '').trim()).filter((c) => c !== '');
  return cells.length > 0 && cells.filter((c) => flag(c) !== undefined).length * 2 >= cells.length;
}

const dated = (doc: TableInput) => (doc.date === undefined ? {} : { date: doc.date });

/** Keeps one description per event type and locale: the newest page's; a disagreement is reported. */
function describe(seen: Map<string, Description>, next: Description, diagnostics: Diagnostic[]): void {
  const key = `${next.eventType}\u0000${next.locale}`;
  const earlier = seen.get(key);
  if (earlier === undefined) {
    seen.set(key, next);
    return;
  }
  if (earlier.text === next.text) return;
  const newer = (next.date ?? '') > (earlier.date ?? '');
  const [kept, other] = newer ? [next, earlier] : [earlier, next];
  if (newer) seen.set(key, next);
  const when = (d: Description) => (d.date === undefined ? 'undated' : `of ${d.date}`);
  const why =
    kept.date !== undefined && kept.date !== other.date
      ? `the newer page (${when(kept)}) wins`
      : `${kept.source.file}:${kept.source.line} is used (same date; first by file path)`;
  diagnostics.push(
    diagnostic(
      'W_DESCRIPTION_CONFLICT',
      `${next.eventType} (${next.locale}) is described differently at ${other.source.file}:${other.source.line} (page ${when(other)}); ${why}`,
      next.source,
    ),
  );
}

/** Phrases that introduce the values a field can take, in the description of a property. */
const VALUES_PHRASE =
  /\b(valid|possible|allowed|supported|known) values?\b|\bone of (the )?(following )?values\b|\bcan be one of\b|\bvaleurs possibles\b|\bmögliche werte\b|\bgültige werte\b|有効な値|可能な値|가능한 값|可能的值|可能值/i;

function propertyTable(doc: TableInput, table: Table, cols: Layout): PropertyTable {
  const rows: PropertyRow[] = [];
  for (const row of table.rows) {
    const name = cleanName(row.cells[cols.name as number] ?? '');
    if (name === '') continue;
    const cell = (role: Role) => (cols[role] === undefined ? undefined : row.cells[cols[role] as number]?.trim() || undefined);
    const prose = [cols.description, ...(cols.notes ?? [])].map((c) => (c === undefined ? '' : (row.cells[c] ?? '').trim()));
    const description =
      prose
        .filter((t) => t !== '')
        .join(' ')
        .replace(/\s+/g, ' ') || undefined;
    const optional = flag(cell('optional'));
    const required = flag(cell('required')) ?? (optional === undefined ? undefined : !optional);
    const nullable = flag(cell('nullable'));
    rows.push({
      name,
      line: row.line,
      values: knownValues(row, cols),
      ...(cell('type') === undefined ? {} : { type: cell('type') as string }),
      ...(description === undefined ? {} : { description }),
      ...(required === undefined ? {} : { required }),
      ...(nullable === undefined ? {} : { nullable }),
    });
  }
  return { file: doc.file, line: table.line, locale: doc.locale, rows, ...dated(doc) };
}

/** "Possible values for `status` are `Delivered` and `Failed`": the field named after "for". */
const PROSE_VALUES = /\b(?:possible|valid|allowed|supported|known) values (?:for|of) (?:the )?([\w.$@-]+)/i;

/**
 * Values the page's prose gives for a field ("Possible values for `status` are `Delivered` and
 * `Failed`", or the list that follows "… are:"), each row naming the events its paragraph is about:
 * those its nearest heading names (none when no heading names one, so the page's events). Values
 * that are the page's own field names are not values.
 */
function proseValues(doc: TableInput, match: (name: string) => string | undefined): PropertyRow[] {
  const rows: PropertyRow[] = [];
  const prose = doc.prose ?? [];
  const keys = doc.keys ?? new Set<string>();
  let context: { level: number; events: string[] } | undefined;
  prose.forEach((paragraph, i) => {
    if (paragraph.kind === 'heading') {
      const events = eventsIn(paragraph.text, match);
      const level = paragraph.level ?? 1;
      if (events.length > 0) context = { level, events };
      else if (context !== undefined && level <= context.level) context = undefined;
      return;
    }
    const name = PROSE_VALUES.exec(paragraph.text.slice(0, 2000))?.[1]?.replace(/[.:]+$/, '');
    if (name === undefined) return;
    const isValue = (v: string) => v !== name && v.length <= 100 && !keys.has(v.toLowerCase());
    let values = paragraph.marked.filter(isValue);
    if (values.length === 0 && /:\s*$/.test(paragraph.text)) {
      values = [];
      for (const item of prose.slice(i + 1)) {
        if (item.kind !== 'item') break;
        const value = item.marked[0] ?? /^[^\s:–—-]+(?:\s[^\s:–—-]+)?/.exec(item.text)?.[0];
        if (value !== undefined && isValue(value)) values.push(value.trim());
      }
    }
    if (values.length > 0) {
      rows.push({
        name: cleanName(name),
        values: [...new Set(values)],
        line: paragraph.line,
        ...(context === undefined ? {} : { events: context.events }),
      });
    }
  });
  return rows;
}

/** The event types a heading names: in full (`Microsoft.Web.AppUpdated`) or by the page's short names. */
function eventsIn(text: string, match: (name: string) => string | undefined): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z][\w-]*(?:\s*\.\s*[A-Za-z][\w-]*)+|[A-Za-z][A-Za-z0-9]+/g)) {
    const named = match(cleanName(m[0]));
    if (named !== undefined) found.add(named);
  }
  return [...found];
}

/** "PendingClassification, Queued or Assigned." after a values phrase: single words up to the sentence's end. */
function plainValues(text: string): string[] {
  const sentence = (/^[^.;]*/.exec(text.replace(/^\s*(?:are|is|include|:)\s*:?/i, ''))?.[0] ?? '').trim();
  const words = sentence.split(/,|\bor\b|\band\b/).map((w) => w.trim());
  return words.every((w) => /^[A-Za-z][\w-]*$/.test(w)) ? words : [];
}

function knownValues(row: TableRow, cols: Layout): string[] {
  const raw: string[] = [];
  if (cols.values !== undefined) {
    const cell = row.marked[cols.values] ?? [];
    raw.push(...(cell.length > 0 ? cell : (row.cells[cols.values] ?? '').split(/,|\bor\b|\band\b/)));
  }
  for (const column of [cols.description, ...(cols.notes ?? [])]) {
    if (column === undefined) continue;
    const text = row.cells[column] ?? '';
    const phrase = VALUES_PHRASE.exec(text);
    if (phrase === null) continue;
    const marked = row.marked[column] ?? [];
    if (marked.length > 0) raw.push(...marked);
    else raw.push(...plainValues(text.slice(phrase.index + phrase[0].length)));
  }
  const values = raw.map((v) => v.trim()).filter((v) => v !== '' && v.length <= 100 && !/\s{2,}/.test(v));
  return [...new Set(values)];
}

const YES = new Set([
  'yes',
  'true',
  'required',
  'y',
  'x',
  '✓',
  '✔',
  '✔️',
  '✅',
  '☑',
  '☑️',
  'ja',
  'oui',
  'sí',
  'si',
  'はい',
  '예',
  '是',
  '必須',
  '필수',
]);
const NO = new Set([
  'no',
  'false',
  'optional',
  'n',
  '-',
  '—',
  '❌',
  '✖',
  '✖️',
  '✗',
  '✘',
  '✕',
  'nein',
  'non',
  'いいえ',
  '아니요',
  '否',
  '省略可能',
  '선택',
]);

function flag(cell: string | undefined): boolean | undefined {
  if (cell === undefined) return undefined;
  const text = cell.normalize('NFKC').toLowerCase().replace(/[.*`]/g, '').trim();
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  return undefined;
}
