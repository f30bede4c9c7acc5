/**
 * Markdown reading: the one place that knows CommonMark. Parses a page with
 * mdast-util-from-markdown (CommonMark, plus GFM tables and YAML front matter) and
 * returns what later steps need: the page locale, its JSON code blocks with the line
 * their content starts on, and its tables as rows of plain-text cells.
 *
 * Handles fences of any style (``` or ~~~, any length, info string in any case),
 * CRLF line endings and front matter, as CommonMark defines them:
 * https://spec.commonmark.org/0.31.2/#fenced-code-blocks
 */
import type { Code, Root, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { toString as mdastToString } from 'mdast-util-to-string';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmTable } from 'micromark-extension-gfm-table';
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
  const tree: Root = fromMarkdown(text, {
    extensions: [frontmatter(['yaml']), gfmTable()],
    mdastExtensions: [frontmatterFromMarkdown(['yaml']), gfmTableFromMarkdown()],
  });
  let locale = DEFAULT_LOCALE;
  let frontMatterError: ParsedDoc['frontMatterError'];
  const jsonBlocks: CodeBlock[] = [];
  const tables: TableRow[][] = [];
  for (const node of tree.children) visit(node);

  function visit(node: Root['children'][number]): void {
    if (node.type === 'yaml') {
      try {
        const meta: unknown = parseYaml(node.value);
        const found = localeOf(meta);
        if (found !== undefined) locale = found;
      } catch (error) {
        frontMatterError = { line: node.position?.start.line ?? 1, message: String(error) };
      }
    } else if (node.type === 'code') {
      const block = jsonBlock(node, text);
      if (block !== undefined) jsonBlocks.push(block);
    } else if (node.type === 'table') {
      tables.push(tableRows(node));
    } else if ('children' in node) {
      for (const child of node.children) visit(child as Root['children'][number]);
    }
  }
  return { locale, jsonBlocks, tables, ...(frontMatterError ? { frontMatterError } : {}) };
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

function jsonBlock(node: Code, source: string): CodeBlock | undefined {
  if (!node.lang || !JSON_LANGS.has(node.lang.toLowerCase())) return undefined;
  const start = node.position?.start;
  if (!start) return undefined;
  // A fenced block's content starts on the line after its opening fence.
  const fenced = /^[ \t]*(`{3,}|~{3,})/.test(source.slice(start.offset ?? 0, (start.offset ?? 0) + 40));
  return { text: node.value, line: start.line + (fenced ? 1 : 0), column: start.column };
}

function tableRows(node: Table): TableRow[] {
  return node.children.slice(1).map((row) => ({
    cells: row.children.map((cell) => mdastToString(cell).trim()),
    line: row.position?.start.line ?? 0,
  }));
}
