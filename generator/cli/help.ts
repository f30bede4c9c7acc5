/**
 * The `--help` screens, laid out as yargs 18 laid them out when it parsed eventgen's command line (its
 * usage.js building rows for cliui 9, which wraps with wrap-ansi 9), so the text is the same, wrapped at
 * the same width: the terminal's, at most 80 columns, or none with YARGS_DISABLE_WRAP. The texts are
 * eventgen's own (ASCII and `→`, one column each), so widths are counted in code points and there are no
 * escape sequences to skip. test/cli-options.test.ts pins both screens at 80 columns and a narrow one.
 */
import { OPTIONS, type OptionSpec } from './options.ts';

const COMMANDS: readonly (readonly [string, string])[] = [
  ['eventgen generate', 'Read Event Grid docs, write JSON Schemas and the generated TypeScript package'],
  ['eventgen init', 'Set up a project: eventgen.config.json, docs/ and the generate scripts in package.json'],
];
const EXAMPLES: readonly (readonly [string, string])[] = [
  ['eventgen generate', 'docs/ → schemas/ and generated/'],
  ['eventgen generate docs/*.md -o /tmp/pkg', 'these pages, the package into /tmp/pkg'],
  ['eventgen generate --check', 'in CI: fail when schemas/ or generated/ are stale'],
  ['eventgen generate --lang csharp,python', 'also generated-csharp/ and generated-python/'],
];
const EPILOGUE =
  'Options a project always passes can live in eventgen.config.json (or the "eventgen" key of package.json); flags win.';

/** The width help is wrapped at: the terminal's up to 80 columns; null (no wrapping) with YARGS_DISABLE_WRAP. */
export function helpWidth(): number | null {
  if (process.env.YARGS_DISABLE_WRAP) return null;
  const columns = process.stdout.columns;
  return columns ? Math.min(80, columns) : 80;
}

/** `eventgen --help` (`top`), `eventgen generate --help` or `eventgen init --help`. */
export function helpText(screen: 'top' | 'generate' | 'init', wrap: number | null = helpWidth()): string {
  const ui = new Ui(wrap ?? (process.stdout.columns || 80), wrap !== null);
  const builtIn: Row[] = [
    { switches: '--help', indent: 0, describe: 'Show help', extra: '[boolean]' },
    { switches: '--version', indent: 0, describe: 'Show version number', extra: '[boolean]' },
  ];
  if (screen === 'top') {
    ui.div({ text: 'eventgen <command> [options]' });
    ui.div();
    ui.div('Commands:');
    const commandWidth = capped(Math.max(...COMMANDS.map(([c]) => width(c))), wrap) + 4;
    for (const [command, describe] of COMMANDS) {
      // As yargs: each command's row, closed by its (empty) column of hints.
      ui.span({ text: command, padding: [0, 2, 0, 2], width: commandWidth }, { text: describe });
      ui.div();
    }
    ui.div();
    options(ui, builtIn, wrap);
    return ui.toString().replace(/\s*$/, '');
  }
  if (screen === 'init') {
    ui.div({ text: 'eventgen init' });
    ui.div();
    ui.div(`${COMMANDS[1]?.[1] ?? ''}; never overwrites a file or a script`);
    ui.div();
    options(ui, builtIn, wrap);
    return ui.toString().replace(/\s*$/, '');
  }
  ui.div({ text: 'eventgen generate [docs..] [options]' });
  ui.div();
  // A short switch in the list indents the long-only ones by the width of `-x, `.
  const rows = [...builtIn, ...OPTIONS.filter((o) => !o.hidden).map(optionRow)].map((row) =>
    row.switches.startsWith('--') ? { ...row, indent: row.indent + 4 } : row,
  );
  options(ui, rows, wrap);
  ui.div('Examples:');
  const exampleWidth = capped(Math.max(...EXAMPLES.map(([example]) => width(example))), wrap) + 4;
  for (const [example, what] of EXAMPLES) ui.div({ text: example, padding: [0, 2, 0, 2], width: exampleWidth }, { text: what });
  ui.div();
  ui.div(`${EPILOGUE}\n`);
  return ui.toString().replace(/\s*$/, '');
}

interface Row {
  readonly switches: string;
  readonly indent: number;
  readonly describe: string;
  readonly extra: string;
}

function optionRow(o: OptionSpec): Row {
  const type = o.kind === 'switch' ? '[boolean]' : o.kind === 'list' ? '[array]' : '[string]';
  const extra = [
    type,
    o.choices ? `[choices: ${o.choices.map((c) => JSON.stringify(c)).join(', ')}]` : null,
    o.defaultDescription ? `[default: ${o.defaultDescription}]` : null,
  ];
  return {
    switches: o.alias ? `-${o.alias}, --${o.name}` : `--${o.name}`,
    indent: 0,
    describe: o.describe,
    extra: extra.filter(Boolean).join(' '),
  };
}

function options(ui: Ui, rows: readonly Row[], wrap: number | null): void {
  ui.div('Options:');
  const switchWidth = capped(Math.max(...rows.map((r) => width(r.switches) + r.indent)), wrap) + 4;
  for (const row of rows) {
    ui.span({ text: row.switches, padding: [0, 2, 0, 2 + row.indent], width: switchWidth }, row.describe);
    ui.div({ text: row.extra, padding: [0, 0, 0, 2], align: 'right' });
  }
  ui.div();
}

/** yargs' maxWidth: a first column takes at most half the width. */
function capped(w: number, wrap: number | null): number {
  return wrap ? Math.min(w, Math.trunc(wrap * 0.5)) : w;
}

/** Columns a text takes: one per code point (the help texts are ASCII and `→`). */
function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

type Padding = [number, number, number, number];
interface Column {
  text: string;
  padding?: Padding;
  width?: number;
  align?: 'right';
}
type Cells = Column[] & { span?: boolean };
interface Line {
  text: string;
  span?: boolean;
  hidden?: boolean;
}

const TOP = 0;
const RIGHT = 1;
const BOTTOM = 2;
const LEFT = 3;

/** cliui 9's layout (rows of columns, a span row continued on the same line when the next fits), as yargs used it. */
class Ui {
  private readonly rows: Cells[] = [];
  constructor(
    private readonly width: number,
    private readonly wrap: boolean,
  ) {}

  span(...columns: (Column | string)[]): void {
    this.div(...columns).span = true;
  }

  div(...columns: (Column | string)[]): Cells {
    if (columns.length === 0) this.div('');
    if (this.wrap && columns.length === 1 && typeof columns[0] === 'string' && /[\t\n]/.test(columns[0])) {
      return this.layoutDsl(columns[0]);
    }
    const cells: Cells = columns.map((c) => (typeof c === 'string' ? { text: c, padding: measurePadding(c) } : c));
    this.rows.push(cells);
    return cells;
  }

  private layoutDsl(text: string): Cells {
    const rows = text.split('\n').map((row) => row.split('\t'));
    let leftWidth = 0;
    for (const cells of rows) {
      if (cells.length > 1 && width(cells[0] ?? '') > leftWidth)
        leftWidth = Math.min(Math.floor(this.width * 0.5), width(cells[0] ?? ''));
    }
    for (const cells of rows) {
      this.div(
        ...cells.map((r, i) => {
          const cell: Column = { text: r.trim(), padding: measurePadding(r) };
          if (i === 0 && cells.length > 1) cell.width = leftWidth;
          return cell;
        }),
      );
    }
    return this.rows[this.rows.length - 1] as Cells;
  }

  toString(): string {
    const lines: Line[] = [];
    for (const row of this.rows) this.rowToString(row, lines);
    return lines
      .filter((line) => !line.hidden)
      .map((line) => line.text)
      .join('\n');
  }

  private rowToString(row: Cells, lines: Line[]): void {
    for (const [r, rrow] of this.rasterize(row).entries()) {
      let str = '';
      for (const [c, col] of rrow.entries()) {
        const cell = row[c] as Column;
        const wrapWidth = negatePadding(cell);
        let ts = col;
        if (wrapWidth > width(col)) ts += ' '.repeat(wrapWidth - width(col));
        if (cell.align === 'right' && this.wrap) {
          ts = alignRight(ts, wrapWidth);
          if (width(ts) < wrapWidth) ts += ' '.repeat(Math.max(0, (cell.width || 0) - width(ts) - 1));
        }
        const padding = cell.padding ?? [0, 0, 0, 0];
        if (padding[LEFT]) str += ' '.repeat(padding[LEFT]);
        str += ts;
        if (padding[RIGHT]) str += ' '.repeat(padding[RIGHT]);
        if (r === 0 && lines.length > 0) str = this.renderInline(str, lines[lines.length - 1] as Line);
      }
      lines.push({ text: str.replace(/ +$/, ''), ...(row.span ? { span: true } : {}) });
    }
  }

  private renderInline(source: string, previous: Line): string {
    const leading = /^ */.exec(source)?.[0].length ?? 0;
    const target = previous.text;
    const targetWidth = width(target.trimEnd());
    if (!previous.span) return source;
    if (!this.wrap) {
      previous.hidden = true;
      return target + source;
    }
    if (leading < targetWidth) return source;
    previous.hidden = true;
    return target.trimEnd() + ' '.repeat(leading - targetWidth) + source.trimStart();
  }

  private rasterize(row: Cells): string[][] {
    const rrows: string[][] = [];
    const widths = this.columnWidths(row);
    for (const [c, col] of row.entries()) {
      col.width = widths[c];
      const wrapped = this.wrap ? wrapText(col.text, negatePadding(col)).split('\n') : col.text.split('\n');
      if (col.padding) {
        wrapped.unshift(...new Array<string>(col.padding[TOP] || 0).fill(''));
        wrapped.push(...new Array<string>(col.padding[BOTTOM] || 0).fill(''));
      }
      for (const [r, str] of wrapped.entries()) {
        if (!rrows[r]) rrows.push([]);
        const rrow = rrows[r] as string[];
        for (let i = 0; i < c; i++) if (rrow[i] === undefined) rrow.push('');
        rrow.push(str);
      }
    }
    return rrows;
  }

  private columnWidths(row: Cells): number[] {
    if (!this.wrap) return row.map((col) => col.width || width(col.text));
    let unset = row.length;
    let remaining = this.width;
    const widths = row.map((col) => {
      if (col.width) {
        unset--;
        remaining -= col.width;
        return col.width;
      }
      return undefined;
    });
    const unsetWidth = unset ? Math.floor(remaining / unset) : 0;
    return widths.map((w, i) => w ?? Math.max(unsetWidth, minWidth(row[i] as Column)));
  }
}

function measurePadding(text: string): Padding {
  return [0, /\s*$/.exec(text)?.[0].length ?? 0, 0, /^\s*/.exec(text)?.[0].length ?? 0];
}

function negatePadding(col: Column): number {
  let w = col.width || 0;
  if (col.padding) w -= (col.padding[LEFT] || 0) + (col.padding[RIGHT] || 0);
  return w;
}

function minWidth(col: Column): number {
  const padding = col.padding ?? [0, 0, 0, 0];
  return 1 + (padding[LEFT] || 0) + (padding[RIGHT] || 0);
}

function alignRight(text: string, w: number): string {
  const trimmed = text.trim();
  const tw = width(trimmed);
  return tw < w ? ' '.repeat(w - tw) + trimmed : trimmed;
}

/** wrap-ansi 9 with `{ hard: true }` (words wrapped at spaces, longer words broken), for text without escapes. */
function wrapText(text: string, columns: number): string {
  return String(text)
    .normalize()
    .replaceAll('\r\n', '\n')
    .split('\n')
    .map((line) => wrapLine(line, columns))
    .join('\n');
}

function wrapLine(line: string, columns: number): string {
  if (line.trim() === '') return '';
  const words = line.split(' ');
  const lengths = words.map(width);
  let rows = [''];
  const last = () => rows[rows.length - 1] as string;
  for (const [index, word] of words.entries()) {
    rows[rows.length - 1] = last().trimStart();
    let rowLength = width(last());
    if (index !== 0 && rowLength > 0) {
      rows[rows.length - 1] += ' ';
      rowLength++;
    }
    const length = lengths[index] as number;
    if (length > columns) {
      const remaining = columns - rowLength;
      const breaksStartingThisLine = 1 + Math.floor((length - remaining - 1) / columns);
      const breaksStartingNextLine = Math.floor((length - 1) / columns);
      if (breaksStartingNextLine < breaksStartingThisLine) rows.push('');
      wrapWord(rows, word, columns);
      continue;
    }
    if (rowLength + length > columns && rowLength > 0 && length > 0) rows.push('');
    rows[rows.length - 1] += word;
  }
  rows = rows.map(trimSpacesRight);
  return rows.join('\n');
}

function wrapWord(rows: string[], word: string, columns: number): void {
  const characters = [...word];
  let visible = width(rows[rows.length - 1] as string);
  for (const [index, character] of characters.entries()) {
    if (visible + 1 <= columns) rows[rows.length - 1] += character;
    else {
      rows.push(character);
      visible = 0;
    }
    visible += 1;
    if (visible === columns && index < characters.length - 1) {
      rows.push('');
      visible = 0;
    }
  }
  if (!visible && (rows[rows.length - 1] as string).length > 0 && rows.length > 1) {
    const tail = rows.pop() as string;
    rows[rows.length - 1] += tail;
  }
}

function trimSpacesRight(text: string): string {
  const words = text.split(' ');
  let last = words.length;
  while (last > 0 && width(words[last - 1] as string) === 0) last--;
  if (last === words.length) return text;
  return words.slice(0, last).join(' ') + words.slice(last).join('');
}
