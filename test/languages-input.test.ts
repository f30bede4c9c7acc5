/**
 * The schemas as quicktype reads them for one language (generator/emit/languages/input.ts): which
 * properties are marked as allowing null for Rust, and that no other language sees a mark.
 */
import { describe, expect, it } from 'vitest';
import { allowsNull, quicktypeSchemas, readSchemas } from '../generator/emit/languages/input.ts';

describe('allowsNull', () => {
  it.for([
    ['a type list with null', { type: ['string', 'null'] }, true],
    ['the null type', { type: 'null' }, true],
    ['an anyOf with a null member', { anyOf: [{ type: 'number' }, { type: 'null' }] }, true],
    ['a oneOf with a nested null member', { oneOf: [{ type: 'string' }, { anyOf: [{ type: ['null'] }] }] }, true],
    ['an enum with null', { enum: ['a', null] }, true],
    ['const null', { const: null }, true],
    ['a string', { type: 'string' }, false],
    ['an enum without null', { enum: ['a', 'b'] }, false],
    ["any value (the language's JSON value holds null itself)", {}, false],
    ['a description only', { description: 'x' }, false],
  ] as const)('%s → %s', ([, schema, want]) => {
    expect(allowsNull(schema)).toBe(want);
  });
});

describe('null marks', () => {
  const schema = {
    title: 'Contoso.Null.Marks',
    'x-eventgen': { eventType: 'Contoso.Null.Marks' },
    type: 'object',
    properties: {
      maybe: { type: ['string', 'null'], description: 'Said.' },
      must: { type: ['number', 'null'] },
      plain: { type: 'string' },
      nested: { type: 'object', properties: { deep: { anyOf: [{ type: 'string' }, { type: 'null' }] } }, required: ['deep'] },
    },
    required: ['must'],
  };
  const input = readSchemas(new Map([['Contoso.Null.Marks.schema.json', JSON.stringify(schema)]]));
  const properties = (marks?: (required: boolean) => string) => {
    const copy = quicktypeSchemas(input, { comment: (t) => t, ...(marks ? { nullMark: marks } : {}) });
    const read = copy.files.get('Contoso.Null.Marks.schema.json') as { properties: Record<string, Record<string, unknown>> };
    return read.properties;
  };

  it('adds the mark of each nullable property, by whether it is required, after its description', () => {
    const marked = properties((required) => (required ? '<null>' : '<null or absent>'));
    expect(marked.maybe?.description).toBe('Said.\n<null or absent>');
    expect(marked.must?.description).toBe('<null>');
    expect(marked.plain?.description).toBeUndefined();
    const nested = marked.nested?.properties as Record<string, Record<string, unknown>>;
    expect(nested.deep?.description).toBe('<null>');
  });

  it('marks nothing for a language that asks for no mark', () => {
    const plain = properties();
    expect(plain.maybe?.description).toBe('Said.');
    expect(plain.must?.description).toBeUndefined();
  });
});
