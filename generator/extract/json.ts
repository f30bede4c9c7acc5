/**
 * Tolerant JSON for documentation samples. Uses Microsoft's jsonc-parser rather than
 * JSON.parse or json5 because it reports the offset of every problem and of every
 * node, so diagnostics and provenance can name the exact line of a repaired trailing
 * comma, of a syntax error, and of each event in a sample array.
 */
import { type Node, type ParseError, parse, parseTree, printParseErrorCode } from 'jsonc-parser';
import { setOwn } from '../own.ts';

export interface Repair {
  readonly kind: 'trailing comma' | 'comment';
  readonly offset: number;
}

export type JsonResult =
  | { readonly ok: true; readonly value: unknown; readonly elementOffsets: number[]; readonly repairs: Repair[] }
  | { readonly ok: false; readonly offset: number; readonly message: string };

const TOLERANT = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };
const STRICT = { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false };

/**
 * Parses `text`, accepting trailing commas and comments (listed as repairs).
 * `elementOffsets` holds the offset of each element when the top level is an array,
 * or of the value itself otherwise.
 */
export function parseTolerant(text: string): JsonResult {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, TOLERANT);
  const first = errors[0];
  if (first !== undefined || tree === undefined) {
    return {
      ok: false,
      offset: first?.offset ?? 0,
      message: first ? describe(first) : 'empty JSON block',
    };
  }
  const strict: ParseError[] = [];
  parse(text, strict, STRICT);
  // One trailing comma can raise two strict errors; report each repair once.
  const repairs = [...new Map(strict.map((e) => repairAt(text, e)).map((r) => [r.offset, r])).values()];
  const elementOffsets = tree.type === 'array' ? (tree.children ?? []).map((child) => child.offset) : [tree.offset];
  return { ok: true, value: toValue(tree), elementOffsets, repairs };
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
 */
function toValue(node: Node): unknown {
  switch (node.type) {
    case 'array':
      return (node.children ?? []).map(toValue);
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (keyNode === undefined) continue;
        setOwn(result, String(keyNode.value), valueNode === undefined ? null : toValue(valueNode));
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
