/**
 * Tables of Microsoft Learn event pages, in any locale:
 *
 * - event-type tables ("| Event type | Description |", "| 이벤트 유형 | 설명 |"): each row names
 *   an event type and describes it. Machine translation mangles names in these tables
 *   ("Microsoft Communication. UserDisconnected") while the JSON samples keep them right, so
 *   rows are matched to the event types found in samples by a loose key (letters and digits
 *   only, case-folded), a short name (`RouterJobReceived`) by the event part of the page's
 *   sampled types. A row that names a well-formed event type no sample shows is an event
 *   documented without a sample.
 * - property tables ("| Property | Type | Description |", "| Eigenschaft | type | BESCHREIBUNG |"):
 *   what the docs state about each field (type, description, required / nullable, known values).
 *
 * Columns are found by what their header means, never by position.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { Description, ListedEvent, PropertyRow, PropertyTable } from '../ir.ts';
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

type Role = 'event' | 'name' | 'type' | 'description' | 'required' | 'nullable' | 'values';

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
      const cols = columns(table);
      if (cols.name !== undefined && (cols.type !== undefined || cols.description !== undefined) && cols.event === undefined) {
        propertyTables.push(propertyTable(doc, table, cols));
        continue;
      }
      const nameCol = cols.event ?? 0;
      const names = table.rows.map((row) => cleanName(row.cells[nameCol] ?? ''));
      const matches = names.map(match);
      if (cols.event === undefined && !matches.some((m) => m !== undefined)) continue;
      const descriptionCol = cols.description ?? (nameCol === 0 ? 1 : 0);
      table.rows.forEach((row, i) => {
        const at = { file: doc.file, line: row.line };
        const name = names[i] as string;
        const eventType = matches[i] ?? (isEventType(name) && name.includes('.') ? name : undefined);
        if (eventType === undefined) {
          if (/^[A-Za-z][\w]*([. ]+[A-Za-z][\w]*)+$/.test(name)) {
            diagnostics.push(diagnostic('W_TABLE_UNMATCHED', `table row "${name}" is not an event type`, at));
          }
          return;
        }
        if (matches[i] === undefined && !listed.has(eventType))
          listed.set(eventType, { eventType, source: at, locale: doc.locale });
        const text = (row.cells[descriptionCol] ?? '').replace(/\s+/g, ' ').trim();
        if (text !== '') describe(descriptions, { eventType, locale: doc.locale, text, source: at, ...dated(doc) }, diagnostics);
      });
    }
  }
  for (const doc of docs) {
    const rows = (doc.prose ?? []).flatMap(proseValues);
    if (rows.length > 0)
      propertyTables.push({ file: doc.file, line: rows[0]?.line ?? 1, locale: doc.locale, rows, ...dated(doc) });
  }
  for (const t of eventTypes) listed.delete(t);
  return { descriptions: [...descriptions.values()], listedOnly: [...listed.values()], propertyTables, diagnostics };
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

function propertyTable(doc: TableInput, table: Table, cols: Partial<Record<Role, number>>): PropertyTable {
  const rows: PropertyRow[] = [];
  for (const row of table.rows) {
    const name = cleanName(row.cells[cols.name as number] ?? '');
    if (name === '') continue;
    const cell = (role: Role) => (cols[role] === undefined ? undefined : row.cells[cols[role] as number]?.trim() || undefined);
    const description = cell('description')?.replace(/\s+/g, ' ');
    const required = flag(cell('required'));
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

/** "Possible values for `status` are `Delivered` and `Failed`": the field named after "for" and the values the sentence marks. */
const PROSE_VALUES = /\b(?:possible|valid|allowed|supported|known) values (?:for|of) (?:the )?([\w.$@-]+)/i;

function proseValues(paragraph: Paragraph): PropertyRow[] {
  const name = PROSE_VALUES.exec(paragraph.text.slice(0, 2000))?.[1];
  if (name === undefined) return [];
  const values = paragraph.marked.filter((v) => v !== name && v.length <= 100);
  return values.length === 0 ? [] : [{ name: cleanName(name), values: [...new Set(values)], line: paragraph.line }];
}

function knownValues(row: TableRow, cols: Partial<Record<Role, number>>): string[] {
  const raw: string[] = [];
  if (cols.values !== undefined) {
    const cell = row.marked[cols.values] ?? [];
    raw.push(...(cell.length > 0 ? cell : (row.cells[cols.values] ?? '').split(/,|\bor\b|\band\b/)));
  }
  if (cols.description !== undefined && VALUES_PHRASE.test(row.cells[cols.description] ?? '')) {
    raw.push(...(row.marked[cols.description] ?? []));
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
const NO = new Set(['no', 'false', 'optional', 'n', '-', '—', 'nein', 'non', 'いいえ', '아니요', '否', '省略可能', '선택']);

function flag(cell: string | undefined): boolean | undefined {
  if (cell === undefined) return undefined;
  const text = cell.normalize('NFKC').toLowerCase().replace(/[.*`]/g, '').trim();
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  return undefined;
}
