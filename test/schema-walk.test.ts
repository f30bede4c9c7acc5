import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../generator/ir.ts';
import { valueAt } from '../generator/pointer.ts';
import {
  dataPlace,
  mapSubschemas,
  rebuild,
  rootPlace,
  type SchemaPlace,
  SUBSCHEMA_KEYWORDS,
  typesOf,
  walk,
} from '../generator/schema-walk.ts';

/** Every place a walk enters, as `pointer at keyword key`. */
function places(schema: JsonSchema, keywords?: readonly string[]): string[] {
  const out: string[] = [];
  walk(schema, (p) => out.push(`${p.pointer} ${p.at} ${p.keyword} ${p.key}`), keywords ? { keywords } : {});
  return out;
}

/** A schema holding one marked subschema under every keyword of the table, in the form that keyword takes. */
function everyKeyword(): JsonSchema {
  const schema: JsonSchema = {};
  for (const [keyword, kind] of SUBSCHEMA_KEYWORDS) {
    const marked = { description: keyword };
    schema[keyword] = kind === 'schema' ? marked : kind === 'list' ? [marked] : { k: marked };
  }
  return schema;
}

describe('walk', () => {
  it('reaches a subschema under every keyword that holds one, with its pointer in the schema', () => {
    const reached: string[] = [];
    walk(everyKeyword(), ({ schema, pointer }) => {
      if (schema.description !== undefined) reached.push(`${schema.description} ${pointer}`);
    });
    const want = [...SUBSCHEMA_KEYWORDS].map(([keyword, kind]) =>
      kind === 'schema' ? `${keyword} /${keyword}` : kind === 'list' ? `${keyword} /${keyword}/0` : `${keyword} /${keyword}/k`,
    );
    expect(reached).toEqual(want);
    expect(reached).toHaveLength(20);
  });

  it.each<[string, { given: JsonSchema; want: string[] }]>([
    [
      'properties, items and maps: the place in the data each describes',
      {
        given: {
          type: 'object',
          properties: { a: { type: 'array', items: { type: 'object', additionalProperties: { type: 'string' } } } },
        },
        want: [
          '  undefined undefined',
          '/properties/a /a properties a',
          '/properties/a/items /a/0 items undefined',
          '/properties/a/items/additionalProperties /a/0/* additionalProperties undefined',
        ],
      },
    ],
    [
      'names with `/` and `~` escaped in both pointers',
      {
        given: { properties: { 'a/b~c': { properties: { '~1': {} } } } },
        want: [
          '  undefined undefined',
          '/properties/a~1b~0c /a~1b~0c properties a/b~c',
          '/properties/a~1b~0c/properties/~01 /a~1b~0c/~01 properties ~1',
        ],
      },
    ],
    [
      "applicators describe their parent's place; a definition its own; list members are keyed by index",
      {
        given: {
          properties: { x: { anyOf: [{ type: 'string' }, { not: { type: 'null' } }] } },
          $defs: { D: { type: 'number' } },
        },
        want: [
          '  undefined undefined',
          '/properties/x /x properties x',
          '/properties/x/anyOf/0 /x anyOf 0',
          '/properties/x/anyOf/1 /x anyOf 1',
          '/properties/x/anyOf/1/not /x not undefined',
          '/$defs/D  $defs D',
        ],
      },
    ],
    [
      'boolean schemas, malformed values and data keywords are not walked',
      {
        given: {
          properties: { a: true, b: false, c: 'text' } as unknown as Record<string, JsonSchema>,
          items: [{ type: 'string' }] as unknown as JsonSchema,
          additionalProperties: false,
          const: { type: 'string' },
          enum: [{ type: 'string' }],
          examples: [{ properties: { x: {} } }],
        },
        want: ['  undefined undefined'],
      },
    ],
  ])('%s', (_, { given, want }) => {
    expect(places(given)).toEqual(want);
  });

  it('follows only the keywords asked for, in the table order whatever the order asked', () => {
    const schema: JsonSchema = { additionalProperties: {}, items: {}, properties: { p: {} }, anyOf: [{}] };
    expect(places(schema, ['additionalProperties', 'properties']).map((p) => p.split(' ')[0])).toEqual([
      '',
      '/properties/p',
      '/additionalProperties',
    ]);
  });

  it('skips what is under a schema whose visit returns false, and leaves each after its subschemas', () => {
    const schema: JsonSchema = { properties: { a: { properties: { deep: {} } }, b: { items: {} } } };
    const order: string[] = [];
    walk(
      schema,
      ({ pointer }) => {
        order.push(`enter ${pointer}`);
        return pointer !== '/properties/a';
      },
      { leave: ({ pointer }) => order.push(`leave ${pointer}`) },
    );
    expect(order).toEqual([
      'enter ',
      'enter /properties/a',
      'enter /properties/b',
      'enter /properties/b/items',
      'leave /properties/b/items',
      'leave /properties/b',
      'leave ',
    ]);
  });

  it('visits the schema `resolve` gives in place of the one reached, and walks under it', () => {
    const shared: JsonSchema = { properties: { inner: { type: 'string' } } };
    const schema: JsonSchema = { properties: { a: { $ref: 'shared' } } };
    const seen: string[] = [];
    walk(schema, ({ pointer, schema: s }) => seen.push(`${pointer} ${s.type ?? ''}`), {
      resolve: (s) => (s.$ref === 'shared' ? shared : s),
    });
    expect(seen).toEqual([' ', '/properties/a ', '/properties/a/properties/inner string']);
  });

  it('walks a property named __proto__ as an own member, and the parent chain names where each sits', () => {
    const schema = JSON.parse('{"properties":{"__proto__":{"properties":{"constructor":{"type":"string"}}}}}') as JsonSchema;
    const found: SchemaPlace[] = [];
    walk(schema, (place) => found.push(place));
    expect(found.map((p) => p.at)).toEqual(['', '/__proto__', '/__proto__/constructor']);
    const leaf = found[2] as SchemaPlace;
    expect([leaf.depth, leaf.parent?.key, leaf.parent?.parent?.keyword]).toEqual([2, '__proto__', undefined]);
    expect(valueAt(schema, leaf.pointer)).toBe(leaf.schema);
    expect(Object.getPrototypeOf(schema.properties)).toBe(Object.prototype);
  });
});

describe('rebuild and mapSubschemas', () => {
  it('rebuilds bottom-up: each replace sees its subschemas already replaced and the original at its place', () => {
    const schema: JsonSchema = { properties: { a: { type: 'string' }, b: { items: { type: 'number' } } } };
    const before = JSON.stringify(schema);
    const seen: string[] = [];
    const out = rebuild(schema, (rebuilt, place) => {
      seen.push(place.pointer);
      return place.parent === undefined ? rebuilt : { ...rebuilt, title: `${JSON.stringify(place.schema.type ?? null)}` };
    });
    expect(seen).toEqual(['/properties/a', '/properties/b/items', '/properties/b', '']);
    expect(out).toEqual({
      properties: {
        a: { type: 'string', title: '"string"' },
        b: { items: { type: 'number', title: '"number"' }, title: 'null' },
      },
    });
    expect(JSON.stringify(schema)).toBe(before);
  });

  it('gives new containers for the keywords it follows, so the copy changes without changing the original', () => {
    const schema: JsonSchema = { properties: {}, allOf: [], items: { type: 'string' }, anyOf: [{}] };
    const copy = mapSubschemas(rootPlace(schema), (child) => ({ ...child.schema, title: 'x' }), ['properties', 'allOf', 'items']);
    expect(copy).toEqual({ properties: {}, allOf: [], items: { type: 'string', title: 'x' }, anyOf: [{}] });
    expect(copy.properties).not.toBe(schema.properties);
    expect(copy.allOf).not.toBe(schema.allOf);
    expect(copy.anyOf).toBe(schema.anyOf);
  });

  it('keeps a subschema named __proto__ an own member of the copy, the prototype untouched', () => {
    const schema = JSON.parse('{"properties":{"__proto__":{"type":"string"},"a":{"type":"number"}}}') as JsonSchema;
    const out = rebuild(schema, (rebuilt) => ({ ...rebuilt, description: 'd' }));
    const properties = out.properties as Record<string, JsonSchema>;
    expect(Object.keys(properties)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(properties, '__proto__')?.value).toEqual({ type: 'string', description: 'd' });
  });
});

describe('dataPlace', () => {
  it.each<[string, string, string | undefined, string]>([
    ['/a', 'properties', 'b/c~', '/a/b~1c~0'],
    ['/a', 'items', undefined, '/a/0'],
    ['/a', 'prefixItems', '2', '/a/2'],
    ['/a', 'additionalProperties', undefined, '/a/*'],
    ['/a', 'anyOf', '0', '/a'],
    ['/a', '$defs', 'X', ''],
  ])('under %s, %s %s: %s', (at, keyword, key, want) => {
    expect(dataPlace(at, keyword, key)).toBe(want);
  });
});

describe('typesOf', () => {
  it.each<[string, { given: JsonSchema | undefined; want: string[] }]>([
    ['one type', { given: { type: 'string' }, want: ['string'] }],
    ['a list, in its order', { given: { type: ['null', 'string'] }, want: ['null', 'string'] }],
    ['no type', { given: {}, want: [] }],
    ['no schema', { given: undefined, want: [] }],
  ])('%s', (_, { given, want }) => {
    expect(typesOf(given)).toEqual(want);
  });
});
