/**
 * Tolerant JSON for documentation samples. Uses Microsoft's jsonc-parser rather than
 * JSON.parse or json5 because it reports the offset of every problem and of every
 * node, so diagnostics and provenance can name the exact line of a repair, of a
 * syntax error, and of each event in a sample array.
 *
 * Real doc samples break JSON in a few recurring ways; each is repaired and listed
 * (with the offset in the original text) so the caller can warn about it:
 * trailing commas and comments (accepted by jsonc-parser), unquoted placeholders
 * (`"n": <sequence-number>`), unterminated placeholder strings (`"id": "<tenant-id>`),
 * a missing comma between two members, and a missing value (`"size": ,`, read as `null`
 * so the field is kept with no type). Anything else is an error.
 */
import { type Node, type ParseError, ParseErrorCode, parse, parseTree, printParseErrorCode } from 'jsonc-parser';
import { setOwn } from '../own.ts';

export type RepairKind =
  | 'trailing comma'
  | 'comment'
  | 'unquoted placeholder'
  | 'unterminated string'
  | 'missing comma'
  | 'missing value';

export interface Repair {
  readonly kind: RepairKind;
  /** Offset in the original text. */
  readonly offset: number;
}

export type JsonResult =
  | {
      readonly ok: true;
      readonly value: unknown;
      readonly elementOffsets: number[];
      readonly repairs: Repair[];
      /** Object keys that occur twice in one object, with the offset of the second occurrence. */
      readonly duplicateKeys: { key: string; offset: number }[];
    }
  | { readonly ok: false; readonly offset: number; readonly message: string };

const TOLERANT = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };
const STRICT = { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false };
/** Enough for every defect of a real page; a block needing more is not a sample with typos. */
const MAX_REPAIRS = 64;

/** Insertions made into a text, to map offsets of the repaired text back to the original. */
class Edits {
  private readonly inserts: { at: number; length: number }[] = [];
  insert(text: string, at: number, piece: string): string {
    for (const edit of this.inserts) if (edit.at >= at) edit.at += piece.length;
    this.inserts.push({ at, length: piece.length });
    return text.slice(0, at) + piece + text.slice(at);
  }
  original(offset: number): number {
    let shift = 0;
    for (const edit of this.inserts) if (edit.at < offset) shift += Math.min(edit.length, offset - edit.at);
    return offset - shift;
  }
}

/**
 * Parses `text`, repairing what real documentation gets wrong (see the module comment).
 * `elementOffsets` holds the offset of each element when the top level is an array,
 * or of the value itself otherwise; all offsets are in the original text.
 */
export function parseTolerant(text: string): JsonResult {
  const edits = new Edits();
  const repairs: Repair[] = [];
  let current = text;
  for (let round = 0; ; round++) {
    const errors: ParseError[] = [];
    const tree = parseTree(current, errors, TOLERANT);
    const first = errors[0];
    if (first === undefined && tree !== undefined) return parsed(current, tree, edits, repairs);
    const fixed = first && round < MAX_REPAIRS ? fix(current, first, errors[1]) : undefined;
    if (fixed === undefined) {
      const offset = edits.original(first?.offset ?? 0);
      return { ok: false, offset, message: first ? describe(first) : 'empty JSON block' };
    }
    repairs.push({ kind: fixed.kind, offset: edits.original(fixed.at) });
    current = edits.insert(current, fixed.insertAt, fixed.piece);
    if (fixed.closeAt !== undefined) current = edits.insert(current, fixed.closeAt + fixed.piece.length, fixed.piece);
  }
}

/**
 * The result of a text that parses tolerantly: its value, the offsets of its elements, and every
 * repair (the insertions made, and what the tolerant parser let pass: trailing commas, comments),
 * once each and in order, all offsets in the original text.
 */
function parsed(text: string, tree: Node, edits: Edits, inserted: readonly Repair[]): JsonResult {
  const strict: ParseError[] = [];
  parse(text, strict, STRICT);
  const tolerated = strict.map((error) => repairAt(text, error)).map((r) => ({ kind: r.kind, offset: edits.original(r.offset) }));
  const repairs = [...inserted, ...tolerated];
  const unique = [...new Map(repairs.map((r) => [`${r.offset}:${r.kind}`, r])).values()].sort((a, b) => a.offset - b.offset);
  const elementOffsets = (tree.type === 'array' ? (tree.children ?? []) : [tree]).map((c) => edits.original(c.offset));
  const duplicateKeys: { key: string; offset: number }[] = [];
  const value = toValue(tree, (key, offset) => duplicateKeys.push({ key, offset: edits.original(offset) }));
  return { ok: true, value, elementOffsets, repairs: unique, duplicateKeys };
}

interface Fix {
  readonly kind: RepairKind;
  /** Where the defect is (repaired-text offset), for the warning. */
  readonly at: number;
  readonly insertAt: number;
  readonly piece: string;
  /** For quoting: where the closing piece goes (before the first insertion is made). */
  readonly closeAt?: number;
}

const VALUE_END = /[,}\]\r\n]/;

type Fixer = (text: string, error: ParseError, next: ParseError | undefined) => Fix | undefined;

/** A bare word or `<placeholder>` where a value belongs: quote it up to the end of the value. */
const quotePlaceholder: Fixer = (text, error, next) => {
  const at = error.offset;
  if (next?.error !== ParseErrorCode.ValueExpected && next !== undefined && next.offset !== at + error.length) return undefined;
  let end = at;
  while (end < text.length && !VALUE_END.test(text[end] as string)) end++;
  while (end > at && /\s/.test(text[end - 1] as string)) end--;
  if (end === at || text.slice(at, end).includes('"')) return undefined;
  return { kind: 'unquoted placeholder', at, insertAt: at, piece: '"', closeAt: end };
};

/** No value before a `,`, `}` or `]`: `null`, so the field is kept with no type. */
const nullValue: Fixer = (text, { offset: at }) => {
  const here = text[at];
  return here === ',' || here === '}' || here === ']' ? { kind: 'missing value', at, insertAt: at, piece: 'null' } : undefined;
};

/** A string that runs to the end of its line: close it there, before trailing spaces. */
const closeString: Fixer = (text, { offset: at, length }) => {
  let end = at + length;
  while (end > at + 1 && /[ \t]/.test(text[end - 1] as string)) end--;
  if (!/^[\r\n]/.test(text.slice(at + length, at + length + 1))) return undefined;
  return { kind: 'unterminated string', at, insertAt: end, piece: '"' };
};

/** Two members or elements without a comma between them: one after the first, before any space. */
const insertComma: Fixer = (text, { offset: at }) => {
  let end = at;
  while (end > 0 && /\s/.test(text[end - 1] as string)) end--;
  return { kind: 'missing comma', at: end, insertAt: end, piece: ',' };
};

/** The parse errors eventgen repairs, each by one insertion. */
const FIXERS = new Map<ParseErrorCode, Fixer>([
  [ParseErrorCode.InvalidSymbol, quotePlaceholder],
  [ParseErrorCode.ValueExpected, nullValue],
  [ParseErrorCode.UnexpectedEndOfString, closeString],
  [ParseErrorCode.CommaExpected, insertComma],
]);

/** The one insertion that repairs `error`, or undefined when it is not a defect eventgen repairs. */
function fix(text: string, error: ParseError, next: ParseError | undefined): Fix | undefined {
  return FIXERS.get(error.error)?.(text, error, next);
}

function describe(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  // "PropertyNameExpected" → "property name expected"
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function repairAt(text: string, error: ParseError): Repair {
  const here = text.slice(error.offset, error.offset + 2);
  if (here === '//' || here === '/*') return { kind: 'comment', offset: error.offset };
  // A trailing comma is reported at the closing bracket; point at the comma itself.
  let i = error.offset - 1;
  while (i >= 0 && /\s/.test(text[i] ?? '')) i--;
  return { kind: 'trailing comma', offset: text[i] === ',' ? i : error.offset };
}

/**
 * Converts a parse tree to a value. Written here instead of jsonc-parser's
 * getNodeValue because that assigns keys with `obj[key] = …`, which turns a
 * `"__proto__"` key into a prototype change; defineProperty keeps it an own property.
 * A key repeated in one object keeps its last value, as JSON.parse does, and is reported.
 */
function toValue(node: Node, duplicate: (key: string, offset: number) => void): unknown {
  switch (node.type) {
    case 'array':
      return (node.children ?? []).map((child) => toValue(child, duplicate));
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (keyNode === undefined) continue;
        const key = String(keyNode.value);
        if (Object.hasOwn(result, key)) duplicate(key, keyNode.offset);
        setOwn(result, key, valueNode === undefined ? null : toValue(valueNode, duplicate));
      }
      return result;
    }
    default:
      return node.value;
  }
}

/** Maps offsets in a text to 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}
