/**
 * Property tables: a table whose name column holds the keys of the page's samples (or `a.b` paths
 * into them), whatever its header word ("Property", "Attribute", "속성", any other). The type column
 * is the one whose cells are type words (`string`, `Dictionary<string, object>`, `Zeichenfolge`), a
 * column of marks (✔️/❌, Yes/No) is required, optional or nullable as its header says, and the
 * description is the column of prose. Header words are the fallback for tables whose names were
 * translated.
 */
import type { PropertyRow } from '../ir.ts';
import type { Table, TableRow } from './markdown.ts';
import {
  cleanName,
  flag,
  freeColumns,
  headerRoles,
  markColumns,
  proseColumn,
  type Role,
  typeColumn,
  width,
} from './table-columns.ts';

/** Columns and what each holds, for a property table. */
export type Layout = Partial<Record<Role, number>> & {
  readonly name: number;
  /** More columns of prose beside the description (a "Notes" column): their text follows it. */
  notes?: number[];
};

/**
 * How `table` reads as a property table, or undefined when it is none: the name column is the one
 * whose cells name keys of the page's samples (at least half of them, or three), else the one whose
 * header says so beside a type or description header (tables whose names were translated).
 */
export function propertyLayout(table: Table, keys: ReadonlySet<string>): Layout | undefined {
  const header = headerRoles(table);
  if (header.event !== undefined) return undefined;
  const name = keyColumn(table, keys) ?? namedByHeader(header);
  if (name === undefined) return undefined;
  const layout: Layout = { name };
  const used = [name];
  const take = (role: Role, column: number) => {
    layout[role as Exclude<Role, 'name'>] ??= column;
    used.push(column);
  };
  const type = typeColumn(table, used) ?? (header.type !== name ? header.type : undefined);
  if (type !== undefined) take('type', type);
  for (const [meaning, column] of markColumns(table, used)) take(meaning, column);
  if (header.values !== undefined && !used.includes(header.values)) take('values', header.values);
  const description = proseColumn(table, used, header.description);
  if (description === undefined) return layout;
  take('description', description);
  const notes = freeColumns(table, used).filter((column) =>
    table.rows.some((row) => /\s/.test((row.cells[column] ?? '').trim())),
  );
  if (notes.length > 0) layout.notes = notes;
  return layout;
}

/** The column whose cells name the most keys of the samples, when they are at least half of its cells, or three. */
function keyColumn(table: Table, keys: ReadonlySet<string>): number | undefined {
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
  return name;
}

/** The column a name header marks, when a type or description header stands beside it. */
function namedByHeader(header: Partial<Record<Role, number>>): number | undefined {
  if (header.type === undefined && header.description === undefined) return undefined;
  return header.name;
}

/** The rows of a property table: each non-empty name with what its row states. */
export function propertyRows(table: Table, layout: Layout): PropertyRow[] {
  const rows: PropertyRow[] = [];
  for (const row of table.rows) {
    const name = cleanName(row.cells[layout.name] ?? '');
    if (name !== '') rows.push({ name, line: row.line, values: knownValues(row, layout), ...statements(row, layout) });
  }
  return rows;
}

type Statements = Pick<PropertyRow, 'type' | 'description' | 'required' | 'nullable'>;

/** What a row states beside its name and values: its type, description, and marks (optional is required's opposite). */
function statements(row: TableRow, layout: Layout): Statements {
  const cell = (role: Role) => {
    const column = layout[role];
    return column === undefined ? undefined : row.cells[column]?.trim() || undefined;
  };
  const type = cell('type');
  const description = prose(row, layout);
  const optional = flag(cell('optional'));
  const required = flag(cell('required')) ?? (optional === undefined ? undefined : !optional);
  const nullable = flag(cell('nullable'));
  return {
    ...(type === undefined ? {} : { type }),
    ...(description === undefined ? {} : { description }),
    ...(required === undefined ? {} : { required }),
    ...(nullable === undefined ? {} : { nullable }),
  };
}

/** The columns of prose: the description, then the notes. */
const proseColumns = (layout: Layout) => [layout.description, ...(layout.notes ?? [])];

/** The row's description and notes as one text, spaces collapsed; undefined when they are empty. */
function prose(row: TableRow, layout: Layout): string | undefined {
  const texts = proseColumns(layout).map((c) => (c === undefined ? '' : (row.cells[c] ?? '').trim()));
  return (
    texts
      .filter((t) => t !== '')
      .join(' ')
      .replace(/\s+/g, ' ') || undefined
  );
}

/** Phrases that introduce the values a field can take, in the description of a property. */
const VALUES_PHRASE =
  /\b(valid|possible|allowed|supported|known) values?\b|\bone of (the )?(following )?values\b|\bcan be one of\b|\bvaleurs possibles\b|\bmögliche werte\b|\bgültige werte\b|有効な値|可能な値|가능한 값|可能的值|可能值/i;

/** "PendingClassification, Queued or Assigned." after a values phrase: single words up to the sentence's end. */
function plainValues(text: string): string[] {
  const sentence = (/^[^.;]*/.exec(text.replace(/^\s*(?:are|is|include|:)\s*:?/i, ''))?.[0] ?? '').trim();
  const words = sentence.split(/,|\bor\b|\band\b/).map((w) => w.trim());
  return words.every((w) => /^[A-Za-z][\w-]*$/.test(w)) ? words : [];
}

/** The values of a values column: its marked values, else its text split at commas, "or" and "and". */
function valuesCell(row: TableRow, column: number): string[] {
  const marked = row.marked[column] ?? [];
  return marked.length > 0 ? marked : (row.cells[column] ?? '').split(/,|\bor\b|\band\b/);
}

/** The values a prose cell gives after a values phrase: its marked values, else the plain words that follow. */
function valuesInProse(row: TableRow, column: number): string[] {
  const text = row.cells[column] ?? '';
  const phrase = VALUES_PHRASE.exec(text);
  if (phrase === null) return [];
  const marked = row.marked[column] ?? [];
  return marked.length > 0 ? marked : plainValues(text.slice(phrase.index + phrase[0].length));
}

/** The values a row gives for its field: a values column, then values phrases in its prose; distinct, short, one-spaced. */
function knownValues(row: TableRow, layout: Layout): string[] {
  const raw = [
    ...(layout.values === undefined ? [] : valuesCell(row, layout.values)),
    ...proseColumns(layout).flatMap((column) => (column === undefined ? [] : valuesInProse(row, column))),
  ];
  const values = raw.map((v) => v.trim()).filter((v) => v !== '' && v.length <= 100 && !/\s{2,}/.test(v));
  return [...new Set(values)];
}
