/**
 * Rewrites of a markdown page that keep what it documents and change how it says it, as other
 * pages do: table header words, column order, fence labels, samples written as JavaScript object
 * literals, tables moved. A page and its variants must give the same schemas.
 */

export interface VariantOptions {
  /** Header words by column, replacing the page's (cycled). */
  readonly headers?: readonly string[];
  /** Reverse the columns of every table. */
  readonly reverseColumns?: boolean;
  /** The label every JSON fence gets instead (`js`, `javascript`, `jsonc`, ``). */
  readonly fenceLabel?: string;
  /** Write samples that are valid JSON as JavaScript object literals (unquoted keys, single quotes). */
  readonly literals?: boolean;
  /** Drop the comma after the first member of each literal (a missing comma, as real pages have). */
  readonly dropComma?: boolean;
  /** Move every table to the end of the page. */
  readonly moveTables?: boolean;
}

interface Block {
  readonly kind: 'table' | 'fence' | 'text';
  lines: string[];
}

function blocks(text: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      const end = lines.findIndex((l, j) => j > i && new RegExp(`^\\s*${fence[1]}\\s*$`).test(l));
      const stop = end < 0 ? lines.length : end + 1;
      out.push({ kind: 'fence', lines: lines.slice(i, stop) });
      i = stop;
    } else if (/^\s*\|/.test(line) && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1] ?? '')) {
      let stop = i + 2;
      while (stop < lines.length && /^\s*\|/.test(lines[stop] as string)) stop++;
      out.push({ kind: 'table', lines: lines.slice(i, stop) });
      i = stop;
    } else {
      out.push({ kind: 'text', lines: [line] });
      i++;
    }
  }
  return out;
}

function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/);
}

function rewriteTable(lines: string[], options: VariantOptions): string[] {
  return lines.map((line, index) => {
    let row = cells(line);
    if (index === 0 && options.headers && options.headers.length > 0) {
      row = row.map((_, i) => ` ${options.headers?.[i % (options.headers?.length ?? 1)]} `);
    }
    if (options.reverseColumns) row = [...row].reverse();
    return `|${row.join('|')}|`;
  });
}

/** A JSON value printed as a JavaScript literal, one member per line. */
function literal(value: unknown, indent: string, dropComma: boolean): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${indent}  ${literal(v, `${indent}  `, dropComma)}`).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const members = entries.map(([k, v]) => {
      const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
      return `${indent}  ${key}: ${literal(v, `${indent}  `, dropComma)}`;
    });
    const joined = members.map((m, i) =>
      i === members.length - 1 ? m : i === 0 && dropComma && members.length > 2 ? m : `${m},`,
    );
    return `{\n${joined.join('\n')}\n${indent}}`;
  }
  return typeof value === 'string' ? quote(value) : JSON.stringify(value);
}

function quote(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function rewriteFence(lines: string[], options: VariantOptions): string[] {
  const open = lines[0] as string;
  const label = /^\s*(?:```|~~~)\s*(\w*)/.exec(open)?.[1]?.toLowerCase() ?? '';
  if (label !== 'json') return lines;
  const body = lines.slice(1, -1);
  const close = lines[lines.length - 1] as string;
  const marker = /^\s*(```|~~~)/.exec(open)?.[1] ?? '```';
  const head = `${marker}${options.fenceLabel ?? 'json'}`;
  if (!options.literals) return [head, ...body, close];
  let value: unknown;
  try {
    value = JSON.parse(body.join('\n'));
  } catch {
    return [head, ...body, close];
  }
  return [head, ...literal(value, '', options.dropComma === true).split('\n'), close];
}

/** `text` rewritten as `options` say. */
export function variant(text: string, options: VariantOptions): string {
  const parts = blocks(text);
  const rewritten = parts.map((b) =>
    b.kind === 'table'
      ? { ...b, lines: rewriteTable(b.lines, options) }
      : b.kind === 'fence'
        ? { ...b, lines: rewriteFence(b.lines, options) }
        : b,
  );
  const ordered = options.moveTables
    ? [
        ...rewritten.filter((b) => b.kind !== 'table'),
        ...rewritten.filter((b) => b.kind === 'table').flatMap((b) => [{ kind: 'text' as const, lines: [''] }, b]),
      ]
    : rewritten;
  return ordered.flatMap((b) => b.lines).join('\n');
}
