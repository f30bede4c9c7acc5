/** Version bumps and JSON pointers: the helpers the report and every stage share. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapePointer, joinPointer, splitPointer, unescapePointer, valueAt } from '../generator/pointer.ts';
import { nextVersion } from '../generator/report/index.ts';

describe('nextVersion', () => {
  it.each([
    ['1.2.3', 'major', '2.0.0'],
    ['1.2.3', 'minor', '1.3.0'],
    ['1.2.3', 'patch', '1.2.4'],
    ['1.0.0-beta.1', 'patch', '1.0.0'],
    ['1.0.0-beta.1', 'major', '1.0.0'],
    ['2.1.0-rc.2', 'minor', '2.1.0'],
    ['not a version', 'major', 'not a version'],
    ['1.2.3', undefined, '1.2.3'],
  ] as const)('%s + %s → %s', (version, bump, want) => {
    expect(nextVersion(version, bump)).toBe(want);
  });
});

describe('JSON pointers', () => {
  it('escape and unescape are inverse, and split undoes join, for any tokens', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (tokens) => {
        for (const t of tokens) expect(unescapePointer(escapePointer(t))).toBe(t);
        expect(splitPointer(joinPointer(tokens))).toEqual(tokens);
      }),
    );
  });

  it('follows own properties only', () => {
    const value = JSON.parse('{"a/b": {"~x": [1, {"__proto__": 2}]}}');
    expect(valueAt(value, '/a~1b/~0x/1/__proto__')).toBe(2);
    expect(valueAt(value, '')).toBe(value);
    expect(valueAt({}, '/toString')).toBeUndefined();
  });
});
