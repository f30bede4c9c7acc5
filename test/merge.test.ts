import { describe, expect, it } from 'vitest';
import type { JsonSchema, SchemaSet } from '../generator/ir.ts';
import { merge, parseExisting } from '../generator/merge/index.ts';
import { egEvent, fence, run as generateFrom, page } from './helpers.ts';

const set = (schema: JsonSchema, eventType = 'A.B.C'): SchemaSet => ({
  events: [{ eventType, fileName: `${eventType}.schema.json`, schema: { title: eventType, ...schema } }],
  shared: {},
});
const obj = (properties: Record<string, JsonSchema>, required?: string[]): JsonSchema => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
});

/** merge(E, P, N) for one event: E what the file holds, P what was inferred last time, N what the docs give now. */
function run(e: JsonSchema, p: JsonSchema, n: JsonSchema) {
  const { schemas, changes } = merge(set(e), set(p), set(n));
  const { title: _, ...schema } = schemas.events[0]?.schema ?? {};
  return { schema, changes: changes.map((c) => `${c.kind} ${c.field ?? ''}`.trim()) };
}

describe('merge', () => {
  const v1 = obj({ s: { type: 'string' }, n: { type: 'integer' } }, ['s', 'n']);

  it.each([
    ['nothing new', v1, v1, v1, v1, []],
    [
      'a new field comes in optional',
      v1,
      v1,
      obj({ s: { type: 'string' }, n: { type: 'integer' }, x: { type: 'string' } }, ['s', 'n', 'x']),
      obj({ s: { type: 'string' }, n: { type: 'integer' }, x: { type: 'string' } }, ['s', 'n']),
      ['field-added /x'],
    ],
    [
      'types are joined, never narrowed',
      v1,
      v1,
      obj({ s: { type: 'integer' }, n: { type: 'number' } }, ['s', 'n']),
      obj({ s: { type: ['string', 'integer'] }, n: { type: 'number' } }, ['s', 'n']),
      ['type-widened /s', 'type-widened /n'],
    ],
    [
      'a field missing from a sample stops being required; a field in every sample is only a candidate',
      obj({ s: { type: 'string' }, n: { type: 'integer' } }, ['s']),
      obj({ s: { type: 'string' }, n: { type: 'integer' } }, ['s']),
      obj({ s: { type: 'string' }, n: { type: 'integer', 'x-eventgen': { inEverySample: true } } }),
      obj({ s: { type: 'string' }, n: { type: 'integer', 'x-eventgen': { inEverySample: true } } }),
      ['field-required-candidate /n', 'field-no-longer-required /s'],
    ],
    [
      'a field no longer seen is kept; a case-only twin is a likely rename',
      obj({ MessageId: { type: 'string' } }),
      obj({ MessageId: { type: 'string' } }),
      obj({ messageId: { type: 'string' } }),
      obj({ MessageId: { type: 'string' }, messageId: { type: 'string' } }),
      ['field-no-longer-seen /MessageId', 'field-added /messageId', 'likely-rename /messageId'],
    ],
    [
      'a format a sample breaks is dropped; a new format is never added',
      obj({ t: { type: 'string', format: 'date-time' }, u: { type: 'string' } }),
      obj({ t: { type: 'string', format: 'date-time' }, u: { type: 'string' } }),
      obj({ t: { type: 'string' }, u: { type: 'string', format: 'uuid' } }),
      obj({ t: { type: 'string' }, u: { type: 'string' } }),
      ['type-widened /t'],
    ],
    [
      'curated keywords win: an enum, a description, a required field, a narrower format',
      obj({ s: { type: 'string', enum: ['A'], description: 'status', format: 'uuid' }, n: { type: 'integer' } }, ['s', 'n']),
      obj({ s: { type: 'string' }, n: { type: 'integer' } }, ['s']),
      obj({ s: { type: 'string' }, n: { type: 'integer' } }, ['s']),
      obj({ s: { type: 'string', enum: ['A'], description: 'status', format: 'uuid' }, n: { type: 'integer' } }, ['s', 'n']),
      [],
    ],
  ] as const)('%s', (_, e, p, n, want, changes) => {
    const result = run(e, p, n);
    expect(result.schema).toEqual(want);
    expect(result.changes).toEqual(changes);
  });

  it('keeps the schema of an event no doc shows any more, and reports it once', () => {
    const gone: JsonSchema = {
      ...obj({ x: { type: 'string' } }),
      examples: [{ x: 'a' }],
      'x-eventgen': { eventType: 'Gone.Event', sources: [{ file: 'a.md', line: 1, locale: 'en-US', envelope: 'eventgrid' }] },
    };
    const first = merge(set(gone, 'Gone.Event'), set(gone, 'Gone.Event'), { events: [], shared: {} });
    expect(first.changes.map((c) => c.kind)).toEqual(['event-undocumented']);
    const kept = first.schemas.events[0]?.schema as JsonSchema;
    expect(kept.properties).toEqual({ x: { type: 'string' } });
    const again = merge(set(kept, 'Gone.Event'), set(kept, 'Gone.Event'), { events: [], shared: {} });
    expect(again.changes).toEqual([]);
  });

  it('reports an unreadable schema file with its line', () => {
    const { diagnostics } = parseExisting(new Map([['A.schema.json', '{\n  "type": "object",\n  oops\n}']]), 'schemas');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'E_SCHEMA_READ', file: 'schemas/A.schema.json', line: 3 });
  });

  it('leaves out what a schema file holds under x-eventgen that eventgen does not write there, each at its line', () => {
    const file = {
      type: 'object',
      properties: {
        a: { type: 'string', 'x-eventgen': { samples: 2, documented: 'a table', knownValues: ['A', 1] } },
        b: { type: 'array', items: { type: 'string', 'x-eventgen': 'hints' } },
      },
      'x-eventgen': {
        eventType: 'A.B.C',
        sources: [{ file: 'a.md', line: '9', locale: 'en-US', envelope: 'eventgrid' }],
        envelopes: ['eventgrid'],
        future: { kept: true },
      },
    };
    const text = JSON.stringify(file, null, 2);
    const { schemas, diagnostics } = parseExisting(new Map([['A.schema.json', text]]), 'schemas');
    expect(schemas.get('A.schema.json')).toEqual({
      type: 'object',
      properties: { a: { type: 'string', 'x-eventgen': { samples: 2 } }, b: { type: 'array', items: { type: 'string' } } },
      'x-eventgen': { eventType: 'A.B.C', envelopes: ['eventgrid'], future: { kept: true } },
    });
    const lines = text.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(diagnostics.map((d) => [d.code, d.line, d.pointer, d.message])).toEqual([
      [
        'W_X_EVENTGEN',
        lineOf('"sources"'),
        '/x-eventgen/sources',
        'x-eventgen.sources is not a list of places: file, line, locale, envelope (and date); left out',
      ],
      [
        'W_X_EVENTGEN',
        lineOf('"documented"'),
        '/properties/a/x-eventgen/documented',
        'x-eventgen.documented is not a table row: file, line, name (and what it states); left out',
      ],
      [
        'W_X_EVENTGEN',
        lineOf('"knownValues"'),
        '/properties/a/x-eventgen/knownValues',
        'x-eventgen.knownValues is not a list of strings; left out',
      ],
      ['W_X_EVENTGEN', lineOf('"hints"'), '/properties/b/items/x-eventgen', 'x-eventgen is not an object; left out'],
    ]);
  });
});

describe('merge over several runs', () => {
  const docsWith = (...data: Record<string, unknown>[]) => [
    { path: 'a.md', text: page(fence(data.map((d) => egEvent('A.B.C', d)))) },
  ];

  it('keeps widening what it widened before: its own decisions are never mistaken for curation', async () => {
    const first = await generateFrom(docsWith({ s: 'x', n: 1 }));
    const second = await generateFrom(docsWith({ s: 1, n: 1, extra: 'e' }), first.schemas);
    expect(second.changes.map((c) => `${c.kind} ${c.field}`)).toEqual(['type-widened /s', 'field-added /extra']);
    const third = await generateFrom(docsWith({ s: true, extra: 'e' }), second.schemas);
    expect(third.changes.map((c) => `${c.kind} ${c.field}`)).toEqual(['type-widened /s', 'field-no-longer-seen /n']);
    const schema = JSON.parse(third.schemas.get('A.B.C.schema.json') ?? '{}');
    expect(schema.properties.s.type).toEqual(['string', 'number', 'boolean']);
    expect(schema.required).toBeUndefined();
  });

  it('keeps a curated required and enum, enforced by the validators, across runs', async () => {
    const first = await generateFrom(docsWith({ s: 'x', n: 1 }));
    const file = JSON.parse(first.schemas.get('A.B.C.schema.json') ?? '{}');
    file.required = ['s'];
    file.properties.s.enum = ['x', 'y'];
    const curated = new Map(first.schemas).set('A.B.C.schema.json', JSON.stringify(file, null, 2));
    const second = await generateFrom(docsWith({ s: 'x', n: 1 }), curated);
    const schema = JSON.parse(second.schemas.get('A.B.C.schema.json') ?? '{}');
    expect(schema.required).toEqual(['s']);
    expect(schema.properties.s.enum).toEqual(['x', 'y']);
    const data = second.generated.get('src/data.ts') ?? '';
    expect(data).toMatch(/\bs: 'x' \| 'y';/);
  });

  it('migrates schema files written by sample-trusting inference: sample-made required, uuid and integer are dropped and reported', async () => {
    const legacy = {
      title: 'A.B.C',
      type: 'object',
      properties: { id: { type: 'string', format: 'uuid' }, n: { type: 'integer' } },
      required: ['id', 'n'],
      examples: [{ id: '8f60490d-0719-4d9d-a1a6-835362fb752e', n: 1 }],
      'x-eventgen': { eventType: 'A.B.C', sources: [{ file: 'a.md', line: 9, locale: 'en-US', envelope: 'eventgrid' }] },
    };
    const result = await generateFrom(
      docsWith({ id: '8f60490d-0719-4d9d-a1a6-835362fb752e', n: 1 }),
      new Map([['A.B.C.schema.json', JSON.stringify(legacy)]]),
    );
    const schema = JSON.parse(result.schemas.get('A.B.C.schema.json') ?? '{}');
    expect(schema.required).toBeUndefined();
    expect(schema.properties.id.format).toBeUndefined();
    expect(schema.properties.n.type).toBe('number');
    expect(result.changes.map((c) => `${c.kind} ${c.field}`)).toEqual([
      'type-widened /id',
      'type-widened /n',
      'field-no-longer-required /id',
      'field-no-longer-required /n',
    ]);
  });

  it('with --required-from-samples, a field in every sample is required, recorded so later runs keep it apart from curation', async () => {
    const first = await generateFrom(docsWith({ s: 'x', n: 1 }, { s: 'y' }), new Map(), new Map(), { requiredFromSamples: true });
    const schema = JSON.parse(first.schemas.get('A.B.C.schema.json') ?? '{}');
    expect(schema.required).toEqual(['s']);
    expect(schema['x-eventgen'].inference).toBe('evidence 2, required from samples');
    // A sample without `s` loosens it like any inferred keyword: not mistaken for a person's curation.
    const second = await generateFrom(docsWith({ n: 2 }, { s: 'y' }), first.schemas, new Map(), { requiredFromSamples: true });
    expect(JSON.parse(second.schemas.get('A.B.C.schema.json') ?? '{}').required).toBeUndefined();
    expect(second.changes.map((c) => `${c.kind} ${c.field}`)).toContain('field-no-longer-required /s');
  });
});
