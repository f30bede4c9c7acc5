/**
 * The JavaScript-literal reader against JSON as the oracle: any JSON value, printed as a JavaScript
 * object literal (unquoted keys, single quotes, comments), reads back as the same value, line for
 * line; and any text at all is read without a throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTolerant } from '../../generator/extract/json.ts';
import { regions, toJsonText } from '../../generator/extract/literal.ts';

/** `value` as a JavaScript literal, one member per line, with a comment before the first member. */
function literal(value: unknown, indent = ''): string {
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, indent)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value).map(([k, v], i) => {
      const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
      return `${i === 0 ? `${indent}  // first\n` : ''}${indent}  ${key}: ${literal(v, `${indent}  `)}`;
    });
    return members.length === 0 ? '{}' : `{\n${members.join(',\n')}\n${indent}}`;
  }
  if (typeof value === 'string') {
    return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
  }
  return JSON.stringify(value);
}

const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

describe('JavaScript object literals', () => {
  it('read back as the JSON value they print, with the same lines', () => {
    fc.assert(
      fc.property(json, (value) => {
        const source = literal(value);
        const { text } = toJsonText(source);
        expect(text.split('\n').length).toBe(source.split('\n').length);
        const parsed = parseTolerant(text);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.value).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('reads any text without throwing, and finds bracketed regions within it', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('{', '}', '[', ']', "'", '"', '`', '/', '*', '\\', '\n', 'a', ':', ' ', ',') }),
        (text) => {
          toJsonText(text);
          for (const { start, end } of regions(text)) expect(start < end && end <= text.length).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
