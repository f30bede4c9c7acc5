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

export interface CodeBlock {
  readonly text: string;
  /** Line of the block's first content line (1-based). */
  readonly line: number;
  /** Column the content starts at in the file (1-based). */
  readonly column: number;
}

export interface TableRow {
  readonly cells: string[];
  readonly line: number;
}

export interface ParsedDoc {
  readonly locale: string;
  readonly jsonBlocks: CodeBlock[];
  /** Body rows of every table (header rows left out), one array per table. */
  readonly tables: TableRow[][];
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
  const lines = text.split(/\r\n|\r|\n/);
  const jsonBlocks: CodeBlock[] = [];
  const tables: TableRow[][] = [];
  let table: TableRow[] | undefined;
  let row: TableRow | undefined;
  let inHeader = false;
  for (const token of tokens) {
    switch (token.type) {
      case 'fence': {
        const lang = token.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
        const start = token.map?.[0];
        if (!JSON_LANGS.has(lang) || start === undefined) break;
        const indent = /^[ \t]*/.exec(lines[start] ?? '')?.[0].length ?? 0;
        jsonBlocks.push({ text: token.content, line: start + 2, column: indent + 1 });
        break;
      }
      case 'table_open':
        table = [];
        tables.push(table);
        break;
      case 'thead_open':
        inHeader = true;
        break;
      case 'thead_close':
        inHeader = false;
        break;
      case 'tr_open':
        row = { cells: [], line: (token.map?.[0] ?? 0) + 1 };
        if (!inHeader) table?.push(row);
        break;
      case 'inline':
        if (row && table) row.cells.push(inlineText(token));
        break;
      case 'tr_close':
        row = undefined;
        break;
      case 'table_close':
        table = undefined;
        break;
    }
  }
  let locale = DEFAULT_LOCALE;
  let frontMatterError: ParsedDoc['frontMatterError'];
  if (yaml !== undefined) {
    try {
      locale = localeOf(parseYaml(yaml)) ?? DEFAULT_LOCALE;
    } catch (error) {
      // The YAML starts on the line after the opening ---.
      const line = (error as { linePos?: [{ line: number }] }).linePos?.[0].line ?? 1;
      frontMatterError = { line: line + 1, message: (error as Error).message.split('\n')[0] ?? String(error) };
    }
  }
  return { locale, jsonBlocks, tables, ...(frontMatterError ? { frontMatterError } : {}) };
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

function localeOf(meta: unknown): string | undefined {
  if (typeof meta !== 'object' || meta === null) return undefined;
  const record = meta as Record<string, unknown>;
  for (const key of ['ms.contentlocale', 'locale', 'lang']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}
