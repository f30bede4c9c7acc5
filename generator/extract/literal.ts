/**
 * JavaScript object literals as documentation writes event samples in ```js fences
 * (App Service's page: `{ id:'7c5d…', data: { siteName:'<site-name>' } topic:'/subscriptions/…' }`):
 * unquoted keys, single-quoted and template strings, comments, `undefined`. `toJsonText`
 * rewrites such a literal into JSON text that `parseTolerant` (json.ts) reads, repairing the
 * rest (a missing comma, a trailing comma) with its usual warnings.
 *
 * The rewrite never adds or removes a line break, so a line in the rewritten text is the same
 * line in the page. It is linear in the length of the text.
 *
 * `regions` finds the bracketed values of a code block that holds more than a literal
 * (`var event = [{ … }];`, a handler function around a sample), so each can be tried on its own.
 */

export interface LiteralText {
  /** JSON text (comments kept: json.ts accepts them). */
  readonly text: string;
  /** What the rewrite changed, one phrase each, for the warning; empty when the input was JSON already. */
  readonly changes: string[];
}

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$]/;

/** Rewrites a JavaScript object or array literal as JSON text (see the module comment). */
export function toJsonText(source: string): LiteralText {
  const out: string[] = [];
  const changes = new Set<string>();
  let i = 0;
  while (i < source.length) {
    const piece = pieceAt(source, i);
    out.push(piece.json);
    for (const change of piece.changes ?? []) changes.add(change);
    i = piece.end;
  }
  return { text: out.join(''), changes: [...changes] };
}

/** One piece of a literal as JSON text: where it ends in the source, and what rewriting it changed. */
interface Piece {
  readonly json: string;
  readonly end: number;
  readonly changes?: readonly string[];
}

/** The piece that starts at `i`: a comment or a JSON string as it is, another string or a word rewritten, else plain text. */
function pieceAt(source: string, i: number): Piece {
  const c = source[i] as string;
  const comment = commentEnd(source, i);
  if (comment !== undefined) return { json: source.slice(i, comment), end: comment };
  if (c === '"') {
    const end = stringEnd(source, i, '"');
    return { json: source.slice(i, end), end };
  }
  if (c === "'" || c === '`') {
    const { json, end, unterminated } = quoted(source, i, c);
    const kind = c === "'" ? 'single-quoted strings' : 'template strings';
    return { json, end, changes: unterminated ? [kind, 'an unterminated string'] : [kind] };
  }
  if (startsWord(source, i)) return word(source, i);
  let end = i + 1;
  while (end < source.length && !startsPiece(source, end)) end++;
  return { json: source.slice(i, end), end };
}

/** Whether a piece other than plain text may start at `i`. */
function startsPiece(source: string, i: number): boolean {
  const c = source[i];
  return c === '/' || c === '"' || c === "'" || c === '`' || startsWord(source, i);
}

/** Whether an identifier starts at `i` (and not inside another word, as in `2xx`). */
function startsWord(source: string, i: number): boolean {
  return IDENT_START.test(source[i] as string) && !IDENT_PART.test(source[i - 1] ?? ' ');
}

/** An identifier: a key (quoted), `undefined` (`null`), or any other word as it is (`true`, `null`). */
function word(source: string, i: number): Piece {
  let end = i + 1;
  while (end < source.length && IDENT_PART.test(source[end] as string)) end++;
  const text = source.slice(i, end);
  if (isKeyPosition(source, end)) return { json: JSON.stringify(text), end, changes: ['unquoted keys'] };
  if (text === 'undefined') return { json: 'null', end, changes: ['undefined as null'] };
  return { json: text, end };
}

/** The offset after a comment starting at `at`, or undefined when none starts there. */
function commentEnd(text: string, at: number): number | undefined {
  if (text[at] !== '/') return undefined;
  if (text[at + 1] === '/') return lineEnd(text, at);
  if (text[at + 1] !== '*') return undefined;
  const close = text.indexOf('*/', at + 2);
  return close < 0 ? text.length : close + 2;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** The offset after a double-quoted string starting at `start` (or the end of its line when unterminated). */
function stringEnd(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else if (c === '\n' || c === '\r') return i;
    else i++;
  }
  return text.length;
}

/**
 * A single-quoted or template string as a JSON string. One that runs to the end of its line is
 * closed there, before a trailing comma (`eventType:'Microsoft.Web.RestoreOperationStarted,`).
 */
function quoted(text: string, start: number, quote: string): { json: string; end: number; unterminated: boolean } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      const { char, length } = escapedChar(text, i + 1);
      value += char;
      i += 1 + length;
      continue;
    }
    if (c === quote) return { json: JSON.stringify(value), end: i + 1, unterminated: false };
    if (c === '\n' || c === '\r') break;
    value += c;
    i++;
  }
  const trimmed = value.replace(/\s+$/, '');
  const comma = trimmed.endsWith(',');
  const json = JSON.stringify(comma ? trimmed.slice(0, -1) : trimmed);
  // Keep what followed the value on its line (spaces) so offsets stay on the same line.
  return { json: comma ? `${json},` : json, end: i, unterminated: true };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

/** A JavaScript escape after its backslash: the character it stands for and how many characters it spans. */
function escapedChar(text: string, at: number): { char: string; length: number } {
  const c = text[at] as string;
  const hex =
    c === 'u'
      ? /^[0-9a-fA-F]{4}/.exec(text.slice(at + 1, at + 5))
      : c === 'x'
        ? /^[0-9a-fA-F]{2}/.exec(text.slice(at + 1, at + 3))
        : null;
  if (hex) return { char: String.fromCharCode(Number.parseInt(hex[0], 16)), length: 1 + hex[0].length };
  return { char: ESCAPES[c] ?? c, length: 1 };
}

/** Whether the identifier ending at `end` is a property name: followed by `:` (not `::`). */
function isKeyPosition(text: string, end: number): boolean {
  let i = end;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text[i] === ':' && text[i + 1] !== ':';
}

/**
 * Each outermost `{…}` or `[…]` of a code block, by offset, skipping brackets inside strings and
 * comments. An unbalanced block yields what it closes.
 */
export function regions(text: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const skip = skippedEnd(text, i);
    if (skip !== undefined) {
      i = skip;
      continue;
    }
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if ((c === '}' || c === ']') && depth > 0) {
      depth--;
      if (depth === 0) found.push({ start, end: i + 1 });
    }
    i++;
  }
  if (depth > 0) found.push({ start, end: text.length });
  return found;
}

/** The offset after a comment or a string (of any quote) starting at `i`, where brackets do not count; undefined when none starts there. */
function skippedEnd(text: string, i: number): number | undefined {
  const c = text[i] as string;
  return commentEnd(text, i) ?? (c === '"' || c === "'" || c === '`' ? stringEnd(text, i, c) : undefined);
}
