/**
 * Recognition by content, proven on pages nobody wrote for it: every corpus page, rewritten the
 * ways other pages differ (header words in other languages or none a reader would expect, columns
 * in another order, other fence labels, samples as JavaScript object literals with a missing comma,
 * tables moved), must give the same schemas as the page itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extract } from '../../generator/extract/index.ts';
import { infer } from '../../generator/infer/index.ts';
import type { DocFile } from '../../generator/ir.ts';
import { corpusDocs } from '../helpers.ts';
import { type VariantOptions, variant } from './variants.ts';

/** The schemas of one page, without the lines and columns that say where each fact stood. */
function schemasOf(doc: DocFile): string {
  const { extraction } = extract([doc]);
  const { schemas } = infer(extraction, { locales: ['en'] });
  return JSON.stringify(schemas, (key, value) => (key === 'line' || key === 'column' ? undefined : value));
}

/**
 * Pages whose tables keep the property names of the samples. Machine-translated pages translate
 * the names too (`topic` → 主題), so their tables are found only by their header words.
 */
const pages = corpusDocs().filter((d) => !/\/(zh-tw|ko-kr)\//.test(d.path));

const HEADER_WORDS = [
  'Attribute',
  'Name',
  'Field',
  'Eigenschaft',
  '속성',
  'プロパティ',
  'Champ',
  'Wert',
  'Details',
  'Info',
  'Column',
];

const options: fc.Arbitrary<VariantOptions> = fc.record(
  {
    headers: fc.array(fc.oneof(fc.constantFrom(...HEADER_WORDS), fc.stringMatching(/^[A-Z][a-z]{2,9}$/)), {
      minLength: 1,
      maxLength: 4,
    }),
    reverseColumns: fc.boolean(),
    fenceLabel: fc.constantFrom('json', 'JSON', 'jsonc', 'js', 'javascript', ''),
    literals: fc.boolean(),
    dropComma: fc.boolean(),
    moveTables: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe('recognition by content', () => {
  const originals = new Map(pages.map((p) => [p.path, schemasOf(p)]));

  it('gives every corpus page and its rewrites the same schemas', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pages), options, (page, opts) => {
        const rewritten = { path: page.path, text: variant(page.text, opts) };
        expect(schemasOf(rewritten)).toBe(originals.get(page.path));
      }),
      { numRuns: 60, seed: 20261208 },
    );
  });

  it('rewrites really change the pages (the harness is not a no-op)', () => {
    const page = pages.find((p) => p.path.endsWith('en-us/event-schema-azure-signalr.md')) as DocFile;
    const text = variant(page.text, { headers: ['Zzz'], literals: true, fenceLabel: 'js', reverseColumns: true });
    expect(text).not.toBe(page.text);
    expect(text).toContain('```js\n');
    expect(text).not.toContain('| Property');
    expect(text).toMatch(/\n\s+id: '/);
  });
});
