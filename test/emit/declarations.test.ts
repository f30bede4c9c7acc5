/**
 * emit/declarations.ts prints data.ts as json-schema-to-typescript and prettier make it, without them:
 * on the golden schemas of docs/ and of the public corpus (whose data.ts the libraries printed), and on
 * generated schemas (every keyword it knows, names and texts that are hard to quote or long enough to
 * break lines, nesting), its file is the libraries' byte for byte whenever it prints one. A schema it
 * does not know is left to the libraries.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../generator/diagnostics.ts';
import { MAX_DEPTH, printDeclarations } from '../../generator/emit/declarations.ts';
import { dataDeclarations, dataModuleByLibraries, dataText, forJstt, KeyTokens } from '../../generator/emit/typescript.ts';
import { packageView } from '../../generator/emit/view.ts';
import type { JsonSchema, SchemaSet } from '../../generator/ir.ts';
import { existingSet, parseExisting } from '../../generator/merge/index.ts';
import { ROOT } from '../helpers.ts';

function schemaSet(dir: string): SchemaSet {
  const files = new Map(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
  return existingSet(parseExisting(files, 'schemas').schemas);
}

describe('data.ts without the libraries', () => {
  it.each([
    ['docs/', 'test/__golden__'],
    ['the public corpus', 'test/__golden__/corpus'],
  ])('%s: printed here, and as the libraries printed it', async (_, golden) => {
    const set = schemaSet(path.join(ROOT, golden, 'schemas'));
    const { view } = packageView(set);
    const tokens = new KeyTokens();
    const declarations = dataDeclarations(set, view, tokens);
    const printed = printDeclarations(declarations, tokens);
    expect(printed).toBeDefined();
    const expected = readFileSync(path.join(ROOT, golden, 'generated/src/data.ts'), 'utf8');
    expect(dataText(printed ?? [])).toBe(expected);
    expect(await dataModuleByLibraries(declarations, tokens, [])).toBe(expected);
  });

  it('is the libraries’ output on generated schemas', { timeout: 120_000 }, async () => {
    let printedHere = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(declarationsArbitrary(), async ({ shared, events }: Generated) => {
        runs++;
        const tokens = new KeyTokens();
        const sharedNames = new Map(Object.keys(shared).map((k, i) => [k, `Shared${i}`]));
        const declarations = [
          ...Object.entries(shared).map(([key, schema]) => ({
            name: sharedNames.get(key) as string,
            file: 'schemas/shared.defs.json',
            schema: forJstt(schema, shared, sharedNames, tokens),
            doc: `A shape shared by several event types (${key}).`,
          })),
          ...events.map((e, i) => ({
            name: `${e.name}${i}`,
            file: 'schemas/x.schema.json',
            schema: forJstt(e.schema, shared, sharedNames, tokens),
            doc: e.doc,
          })),
        ];
        const printed = printDeclarations(declarations, tokens);
        const diagnostics: Diagnostic[] = [];
        const libraries = await dataModuleByLibraries(declarations, tokens, diagnostics);
        if (printed === undefined) return;
        printedHere++;
        expect(diagnostics).toEqual([]);
        expect(dataText(printed)).toBe(libraries);
      }),
      { numRuns: 250, seed: 20261123 },
    );
    // Most generated schemas use only what it knows: the comparison is not vacuous.
    expect(printedHere).toBeGreaterThan(runs * 0.6);
  });

  it.each([
    ['a keyword it does not know', { type: 'string', minLength: 1 }],
    ['a name that is not ASCII', { type: 'object', properties: { clé: { type: 'string' } } }],
    ['a non-integer in an enum', { enum: [1.5] }],
    ['a comment with a carriage return', { type: 'string', description: 'a\rb' }],
    ['nesting deeper than MAX_DEPTH', nested(MAX_DEPTH + 1)],
  ] as const)('leaves %s to the libraries', (_, schema) => {
    const tokens = new KeyTokens();
    const declarations = [
      {
        name: 'Data',
        file: 'schemas/x.schema.json',
        schema: forJstt({ type: 'object', properties: { x: schema as JsonSchema } }, {}, new Map(), tokens),
        doc: 'x',
      },
    ];
    expect(printDeclarations(declarations, tokens)).toBeUndefined();
  });
});

function nested(depth: number): JsonSchema {
  let schema: JsonSchema = { type: 'string' };
  for (let i = 0; i < depth; i++) schema = { type: 'object', properties: { a: schema } };
  return schema;
}

// ── generated schemas ──────────────────────────────────────────────────────────────────────────

const TEXT = fc.oneof(
  fc.constantFrom(
    'A value.',
    'The **time** */ of the event.',
    'Line one\n\nLine two',
    '  indented',
    'two spaces after  ',
    'trailing   \nnext',
    '@deprecated use the other',
    'Items are * stars',
    '/* inner',
    'back\\slash',
    'x'.repeat(130),
  ),
  fc.string({ unit: fc.constantFrom('a', 'b', ' ', '*', '/', '\n', "'", '"', '@', '\\'), maxLength: 40 }),
);
const WORD = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzX'), minLength: 1, maxLength: 70 });
const KEY = fc.oneof(
  WORD,
  fc.constantFrom('id', 'eventTime', 'a-b', '@odata.type', "it's", 'a"b', '__proto__', 'class', '1', '', ' ', 'a\\b', "a'b\"c'"),
);
const VALUE = fc.oneof(WORD, fc.constantFrom("it's", 'a"b', '', 'back\\slash', "mixed'\"'", 'line\nbreak'));

const evidence = fc.record(
  {
    inEverySample: fc.constant(true),
    knownValues: fc.array(VALUE, { minLength: 1, maxLength: 12 }),
    looksLike: fc.constant(['uuid']),
    onlyNull: fc.constant(true),
    map: fc.constant('keys are ids'),
    documented: fc.record({ file: fc.constant('docs/x.md'), line: fc.integer({ min: 1, max: 400 }) }),
  },
  { requiredKeys: [] },
);

const annotations = fc.record(
  { description: TEXT, deprecated: fc.constant(true), 'x-eventgen': evidence, format: fc.constant('date-time') },
  { requiredKeys: [] },
);

function schemaArbitrary(sharedKeys: readonly string[]) {
  const leafType = fc.constantFrom('string', 'number', 'integer', 'boolean', 'null');
  return fc.letrec<{ node: Record<string, unknown> }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(leafType, annotations).map(([type, a]) => ({ ...a, type })),
      fc
        .tuple(
          fc.uniqueArray(fc.constantFrom('string', 'number', 'integer', 'boolean', 'null'), { minLength: 2, maxLength: 3 }),
          annotations,
        )
        .map(([type, a]) => ({ ...a, type })),
      fc
        .tuple(
          fc.array(fc.oneof(VALUE, fc.integer({ min: -5, max: 5 }), fc.boolean(), fc.constant(null)), {
            minLength: 1,
            maxLength: 10,
          }),
          annotations,
        )
        .map(([values, a]) => {
          const { format: _, ...rest } = a;
          return { ...rest, enum: values };
        }),
      fc.record({}).map(() => ({})),
      ...(sharedKeys.length > 0 ? [fc.constantFrom(...sharedKeys).map((k) => ({ $ref: `shared.defs.json#/$defs/${k}` }))] : []),
      fc
        .tuple(
          fc.dictionary(KEY, tie('node'), { maxKeys: 4 }),
          fc.option(fc.constantFrom(true, false)),
          annotations,
          fc.boolean(),
        )
        .map(([properties, additional, a, nullable]) => ({
          ...a,
          type: nullable ? ['object', 'null'] : 'object',
          properties,
          ...(additional === null ? {} : { additionalProperties: additional }),
          required: Object.keys(properties).filter((_, i) => i % 2 === 0),
        })),
      fc.tuple(tie('node'), annotations).map(([values, a]) => ({ ...a, type: 'object', additionalProperties: values })),
      fc.tuple(fc.option(tie('node')), annotations, fc.boolean()).map(([items, a, nullable]) => ({
        ...a,
        type: nullable ? ['array', 'null'] : 'array',
        ...(items === null ? {} : { items }),
      })),
    ),
  })).node;
}

interface Generated {
  readonly shared: Record<string, JsonSchema>;
  readonly events: readonly { name: string; doc: string; schema: JsonSchema }[];
}

function declarationsArbitrary(): fc.Arbitrary<Generated> {
  return fc.uniqueArray(fc.constantFrom('Def0', 'Def1'), { maxLength: 2 }).chain((sharedKeys) =>
    fc.record({
      shared: fc
        .tuple(...sharedKeys.map(() => schemaArbitrary([])))
        .map((schemas) => Object.fromEntries(schemas.map((s, i) => [sharedKeys[i], s as JsonSchema]))),
      events: fc.array(
        fc.record({
          name: fc.constantFrom('Foo', 'BarEventData', 'X', 'LongName'.repeat(6)),
          doc: TEXT,
          schema: fc.oneof(
            fc
              .dictionary(KEY, schemaArbitrary(sharedKeys), { maxKeys: 6 })
              .map((properties) => ({ type: 'object', properties }) as JsonSchema),
            schemaArbitrary(sharedKeys) as fc.Arbitrary<JsonSchema>,
          ),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  );
}

describe('documented values in an array', () => {
  it('type the items, not the last member: (… | (string & {}))[]', async () => {
    const tokens = new KeyTokens();
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        channels: { type: 'array', items: { type: 'string', 'x-eventgen': { knownValues: ['Sms', 'Email'] } } },
        grid: {
          type: 'array',
          items: { type: 'array', items: { type: ['string', 'null'], 'x-eventgen': { knownValues: ['A'] } } },
        },
      },
    };
    const declarations = [
      { name: 'Contact', file: 'schemas/x.schema.json', schema: forJstt(schema, {}, new Map(), tokens), doc: 'A contact.' },
    ];
    const printed = printDeclarations(declarations, tokens);
    expect(printed).toBeDefined();
    const text = dataText(printed ?? []);
    expect(text).toContain("channels?: ('Sms' | 'Email' | (string & {}))[];");
    expect(text).toContain("grid?: ('A' | (string & {}) | null)[][];");
    expect(await dataModuleByLibraries(declarations, tokens, [])).toBe(text);
  });
});
