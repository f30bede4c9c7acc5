/**
 * Markdown reading: the one place that knows CommonMark. Parses a page with markdown-it
 * (its CommonMark preset plus GFM tables) and markdown-it-front-matter, and returns what
 * later steps need: the page locale, its JSON code blocks with the line their content
 * starts on, and its tables as rows of plain-text cells.
 *
 * Handles fences of any style (``` or ~~~, any length, info string in any case), CRLF line
 * endings and YAML front matter, as CommonMark defines them:
 * https://spec.commonmark.org/0.31.2/#fenced-code-blocks
 *
 * markdown-it rather than mdast-util-from-markdown (micromark): both follow CommonMark, and
 * markdown-it gives the line of every block too, but it parsed the 1000-event benchmark
 * corpus (2.5 MB) in 0.15 s where micromark took 3.3 s; see bench/ and the README.
 */

import type { Token } from 'markdown-it';
import MarkdownIt from 'markdown-it';
import frontMatter from 'markdown-it-front-matter';
import { parse as parseYaml } from 'yaml';

/** The locale of a page whose front matter names none: Microsoft Learn's source language. */
export const DEFAULT_LOCALE = 'en-US';

/** Info strings that mark a fence as JSON (compared case-insensitively). */
const JSON_LANGS = new Set(['json', 'jsonc', 'json5']);

/**
 * What a code block says it holds: `json` (a JSON fence: a sample that does not parse is an error),
 * or `code` (any other fence, an unlabelled one, an indented block: samples are taken from it when
 * it holds event-shaped values, and anything else in it is skipped silently).
 */
export type CodeKind = 'json' | 'code';

export interface CodeBlock {
  readonly kind: CodeKind;
  /** The fence's info string's first word, lower case (`js`, `csharp`); empty for unlabelled and indented blocks. */
  readonly lang: string;
  readonly text: string;
  /** Line of the block's first content line (1-based). */
  readonly line: number;
  /** Column the content starts at in the file (1-based). */
  readonly column: number;
}

export interface TableRow {
  readonly cells: string[];
  /** Per cell, the literal values it marks: code spans, emphasis, and "quoted" words. */
  readonly marked: string[][];
  readonly line: number;
}

export interface Paragraph {
  /** A heading (with its level), a list item, or any other paragraph. */
  readonly kind: 'heading' | 'item' | 'paragraph';
  readonly level?: number;
  readonly text: string;
  /** Values it marks: code spans, emphasis, "quoted" words. */
  readonly marked: string[];
  /** Its code spans alone. */
  readonly codes: string[];
  readonly line: number;
}

export interface Table {
  /** The header row's cells (plain text). */
  readonly header: string[];
  readonly rows: TableRow[];
  readonly line: number;
}

export interface ParsedDoc {
  readonly locale: string;
  /** Every code block of the page, in order. */
  readonly codeBlocks: CodeBlock[];
  readonly tables: Table[];
  /** Paragraphs, list items and headings outside tables, as plain text with the values they mark. */
  readonly prose: Paragraph[];
  /** The page's `ms.date` as YYYY-MM-DD, when its front matter has a readable one. */
  readonly date?: string;
  /** Set when the front matter is not valid YAML; the locale then falls back to the default. */
  readonly frontMatterError?: { line: number; message: string };
}

export function parseMarkdown(text: string): ParsedDoc {
  let yaml: string | undefined;
  // One parser per call: the front-matter callback is per document.
  const md = new MarkdownIt('commonmark').enable('table').use(frontMatter, (raw: string) => {
    yaml = raw;
  });
  const tokens = md.parse(text, {});
  const walk = newWalk(text.split(/\r\n|\r|\n/));
  for (const token of tokens) ON_TOKEN.get(token.type)?.(walk, token);
  const { locale, ...meta } = frontMatterOf(yaml);
  return { locale, codeBlocks: walk.codeBlocks, tables: walk.tables, prose: walk.prose, ...meta };
}

/** The walk over a page's tokens: what it has read, and what it is inside of. */
interface Walk {
  readonly lines: readonly string[];
  readonly codeBlocks: CodeBlock[];
  readonly tables: Table[];
  readonly prose: Paragraph[];
  table: Table | undefined;
  row: TableRow | undefined;
  inHeader: boolean;
  /** The level of the heading the walk is in. */
  heading: number | undefined;
  /** How many list items the walk is in. */
  items: number;
}

function newWalk(lines: readonly string[]): Walk {
  return {
    lines,
    codeBlocks: [],
    tables: [],
    prose: [],
    table: undefined,
    row: undefined,
    inHeader: false,
    heading: undefined,
    items: 0,
  };
}

/** What each markdown-it token does to the walk; tokens not named here are passed over. */
const ON_TOKEN = new Map<string, (walk: Walk, token: Token) => void>([
  ['fence', codeBlock],
  ['code_block', codeBlock],
  ['heading_open', (walk, token) => (walk.heading = Number(token.tag.slice(1)))],
  ['heading_close', (walk) => (walk.heading = undefined)],
  ['list_item_open', (walk) => walk.items++],
  ['list_item_close', (walk) => walk.items--],
  ['table_open', tableOpen],
  ['thead_open', (walk) => (walk.inHeader = true)],
  ['thead_close', (walk) => (walk.inHeader = false)],
  ['tr_open', rowOpen],
  ['inline', inline],
  ['tr_close', (walk) => (walk.row = undefined)],
  ['table_close', (walk) => (walk.table = undefined)],
]);

/** A fenced or indented code block: its language, text, and where its content starts. */
function codeBlock(walk: Walk, token: Token): void {
  const start = token.map?.[0];
  if (start === undefined) return;
  const fenced = token.type === 'fence';
  const lang = fenced ? (token.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '') : '';
  const indent = /^[ \t]*/.exec(walk.lines[start] ?? '')?.[0].length ?? 0;
  walk.codeBlocks.push({
    kind: JSON_LANGS.has(lang) ? 'json' : 'code',
    lang,
    text: token.content,
    line: start + (fenced ? 2 : 1),
    column: fenced ? indent + 1 : 1,
  });
}

function tableOpen(walk: Walk, token: Token): void {
  walk.table = { header: [], rows: [], line: (token.map?.[0] ?? 0) + 1 };
  walk.tables.push(walk.table);
}

function rowOpen(walk: Walk, token: Token): void {
  walk.row = { cells: [], marked: [], line: (token.map?.[0] ?? 0) + 1 };
  if (!walk.inHeader) walk.table?.rows.push(walk.row);
}

/** Inline text: a header cell, a body cell, or else (outside tables) a heading, list item or paragraph. */
function inline(walk: Walk, token: Token): void {
  const { row, table } = walk;
  if (row && table) {
    const text = inlineText(token);
    if (walk.inHeader) table.header.push(text);
    else {
      row.cells.push(text);
      row.marked.push(markedValues(token));
    }
  } else if (token.map) {
    const { heading } = walk;
    walk.prose.push({
      kind: heading !== undefined ? 'heading' : walk.items > 0 ? 'item' : 'paragraph',
      ...(heading === undefined ? {} : { level: heading }),
      text: inlineText(token),
      marked: markedValues(token),
      codes: codeSpans(token),
      line: token.map[0] + 1,
    });
  }
}

/** The page's locale and date from its front matter, or the default locale and why the front matter could not be read. */
function frontMatterOf(yaml: string | undefined): Pick<ParsedDoc, 'locale' | 'date' | 'frontMatterError'> {
  if (yaml === undefined) return { locale: DEFAULT_LOCALE };
  try {
    const meta: unknown = parseYaml(yaml);
    const date = dateOf(meta);
    return { locale: localeOf(meta) ?? DEFAULT_LOCALE, ...(date === undefined ? {} : { date }) };
  } catch (error) {
    // The YAML starts on the line after the opening ---.
    const line = (error as { linePos?: [{ line: number }] }).linePos?.[0].line ?? 1;
    return {
      locale: DEFAULT_LOCALE,
      frontMatterError: { line: line + 1, message: (error as Error).message.split('\n')[0] ?? String(error) },
    };
  }
}

/** The plain text of a table cell: text and code spans, without markup (like mdast's toString). */
function inlineText(token: Token): string {
  return (token.children ?? [])
    .map((child) =>
      child.type === 'text' || child.type === 'code_inline' ? child.content : child.type === 'softbreak' ? ' ' : '',
    )
    .join('')
    .trim();
}

/** Literal values a cell marks as such: `code`, *emphasis*, **strong**, and "quoted" or “quoted” words. */
function markedValues(token: Token): string[] {
  const out: string[] = [];
  let emphasis = '';
  let depth = 0;
  for (const child of token.children ?? []) {
    switch (child.type) {
      case 'code_inline':
        out.push(child.content);
        break;
      case 'em_open':
      case 'strong_open':
        depth++;
        break;
      case 'em_close':
      case 'strong_close':
        depth--;
        if (depth === 0 && emphasis.trim() !== '') out.push(emphasis.trim());
        emphasis = '';
        break;
      case 'text':
        if (depth > 0) emphasis += child.content;
        out.push(...quotedWords(child.content));
        break;
    }
  }
  return out;
}

/** "quoted" or “quoted” words of up to 80 characters on one line. */
function quotedWords(text: string): string[] {
  return [...text.matchAll(/["“„]([^"“”„\n]{1,80})["”“]/g)].map((m) => (m[1] as string).trim());
}

function codeSpans(token: Token): string[] {
  return (token.children ?? []).filter((c) => c.type === 'code_inline').map((c) => c.content);
}

/** `ms.date` (Microsoft Learn writes MM/DD/YYYY; ISO dates are accepted too) as YYYY-MM-DD. */
function dateOf(meta: unknown): string | undefined {
  if (typeof meta !== 'object' || meta === null) return undefined;
  const value = (meta as Record<string, unknown>)['ms.date'];
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const us = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(value);
  if (us) return `${us[3]}-${(us[1] as string).padStart(2, '0')}-${(us[2] as string).padStart(2, '0')}`;
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : undefined;
}

function localeOf(meta: unknown): string | undefined {
  if (typeof meta !== 'object' || meta === null) return undefined;
  const record = meta as Record<string, unknown>;
  for (const key of ['ms.contentlocale', 'locale', 'lang']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}
