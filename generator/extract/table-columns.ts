/**
 * Column recognition for the tables of Microsoft Learn pages, in any locale: what a header word
 * says a column holds (`Property`, `Eigenschaft`, `속성`, …), which column holds type words, which
 * holds prose, which holds marks (✔️/❌, Yes/No) and what a mark cell says. Event lists
 * (`event-lists.ts`) and property tables (`property-tables.ts`) are built on these.
 */
import { statesType } from '../typewords.ts';
import type { Table } from './markdown.ts';

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

export type Role = 'event' | 'name' | 'type' | 'description' | 'required' | 'optional' | 'nullable' | 'values';

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

/** The role a header cell names: a whole header word first, else one (longer than three letters) inside it. */
function roleOf(header: string): Role | undefined {
  const text = header.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  for (const [role, words] of ROLE_WORDS) if (words.some((w) => text === w)) return role;
  for (const [role, words] of ROLE_WORDS) if (words.some((w) => w.length > 3 && text.includes(w))) return role;
  return undefined;
}

/** The first column whose header names each role. */
export function headerRoles(table: Table): Partial<Record<Role, number>> {
  const out: Partial<Record<Role, number>> = {};
  table.header.forEach((cell, i) => {
    const role = roleOf(cell);
    if (role !== undefined && out[role] === undefined) out[role] = i;
  });
  return out;
}

/** The number of columns: the header's, or a longer row's. */
export function width(table: Table): number {
  return Math.max(table.header.length, ...table.rows.map((r) => r.cells.length));
}

/** The columns of `table` not in `used`, left to right. */
export function freeColumns(table: Table, used: readonly number[]): number[] {
  const out: number[] = [];
  for (let column = 0; column < width(table); column++) if (!used.includes(column)) out.push(column);
  return out;
}

/** The trimmed, non-empty cells of one column. */
export function filledCells(table: Table, column: number): string[] {
  return table.rows.map((row) => (row.cells[column] ?? '').trim()).filter((c) => c !== '');
}

/** The column (not in `used`) whose non-empty cells are mostly type words. */
export function typeColumn(table: Table, used: readonly number[]): number | undefined {
  let best: { column: number; count: number } | undefined;
  for (const column of freeColumns(table, used)) {
    const cells = filledCells(table, column);
    const count = cells.filter(statesType).length;
    if (count > 0 && count * 2 >= cells.length && count > (best?.count ?? 0)) best = { column, count };
  }
  return best?.column;
}

/** The column of prose: the header's, else the one (not in `used`) whose cells are longest on average. */
export function proseColumn(table: Table, used: readonly number[], byHeader: number | undefined): number | undefined {
  if (byHeader !== undefined && !used.includes(byHeader)) return byHeader;
  let best: { column: number; length: number } | undefined;
  for (const column of freeColumns(table, used)) {
    const length =
      table.rows.reduce((sum, row) => sum + (row.cells[column] ?? '').trim().length, 0) / Math.max(1, table.rows.length);
    if (length > 0 && length > (best?.length ?? 0)) best = { column, length };
  }
  return best?.column;
}

export type MarkMeaning = 'nullable' | 'required' | 'optional';

const MARK_HEADERS: readonly [MarkMeaning, RegExp][] = [
  ['nullable', /null/i],
  ['optional', /optional|facultatif|optionnel|省略可能|선택|可選|可选/i],
  ['required', /required|mandatory|erforderlich|obligatoire|requis|obligatorio|必須|필수|必要|必需|pflicht/i],
];

/** What a column of marks means, by its header; undefined when the header says neither. */
function markMeaning(header: string): MarkMeaning | undefined {
  const text = header.normalize('NFKC');
  return MARK_HEADERS.find(([, pattern]) => pattern.test(text))?.[0];
}

/** A column at least half of whose non-empty cells are marks (and one at least). */
function isMarkColumn(table: Table, column: number): boolean {
  const cells = filledCells(table, column);
  return cells.length > 0 && cells.filter((c) => flag(c) !== undefined).length * 2 >= cells.length;
}

/** The columns (not in `used`) of marks whose header says what they mean, left to right. */
export function markColumns(table: Table, used: readonly number[]): [MarkMeaning, number][] {
  const out: [MarkMeaning, number][] = [];
  for (const column of freeColumns(table, used)) {
    const meaning = markMeaning(table.header[column] ?? '');
    if (meaning !== undefined && isMarkColumn(table, column)) out.push([meaning, column]);
  }
  return out;
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

/** What a mark cell says: yes, no, or undefined when it is no mark. */
export function flag(cell: string | undefined): boolean | undefined {
  if (cell === undefined) return undefined;
  const text = cell.normalize('NFKC').toLowerCase().replace(/[.*`]/g, '').trim();
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  return undefined;
}
