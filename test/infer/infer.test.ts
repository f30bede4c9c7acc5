import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../generator/diagnostics.ts';
import { isDateTime, isPlaceholder, isUri, isUuid } from '../../generator/infer/formats.ts';
import { infer } from '../../generator/infer/index.ts';
import { toSchema } from '../../generator/infer/schema.ts';
import { emptyShape, observe } from '../../generator/infer/shape.ts';
import type { Extraction, JsonSchema, PropertyTable, Provenance } from '../../generator/ir.ts';

const at = (line: number): Provenance => ({ file: 'a.md', line, locale: 'en-US', envelope: 'eventgrid' });

function inferValues(
  values: unknown[],
  requiredFromSamples = false,
): { schema: JsonSchema; full: JsonSchema; diagnostics: Diagnostic[] } {
  const shape = emptyShape();
  for (const [i, v] of values.entries()) observe(shape, v, { id: i, source: at(i + 1), pages: ['a.md'], date: undefined });
  const diagnostics: Diagnostic[] = [];
  const full = toSchema(shape, '', { options: { requiredFromSamples }, diagnostics });
  return { schema: withoutEvidence(full) as JsonSchema, full, diagnostics };
}

/** The schema without the evidence records under `x-eventgen`, to compare structure. */
function withoutEvidence(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEvidence);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'x-eventgen')
      .map(([k, v]) => [k, withoutEvidence(v)]),
  );
}

describe('infer a data schema from samples', () => {
  const cases: [string, { given: unknown[]; want: JsonSchema }][] = [
    ['string', { given: ['a'], want: { type: 'string' } }],
    ['a whole number is evidence of a number, not of an integer', { given: [1, 2], want: { type: 'number' } }],
    ['integer and number widen to number', { given: [1, 2.5], want: { type: 'number' } }],
    ['string and number give both', { given: ['a', 1], want: { type: ['string', 'number'] } }],
    ['null joins the type', { given: ['a', null], want: { type: ['string', 'null'] } }],
    [
      'a date-time from samples alone is a hint, not a format',
      { given: ['2020-09-18T00:22:20.2855749Z'], want: { type: 'string' } },
    ],
    ['a GUID never makes a uuid format', { given: ['8f60490d-0719-4d9d-a1a6-835362fb752e'], want: { type: 'string' } }],
    ['a URL never makes a uri format', { given: ['https://storage.example.com/v1/objects/x'], want: { type: 'string' } }],
    ['a field seen only as null has no type', { given: [null, null], want: {} }],
    [
      'an object whose keys are URLs is a map',
      {
        given: [{ 'http://schemas.microsoft.com/claims/a': 'x', aud: 'y' }],
        want: { type: 'object', additionalProperties: { type: 'string' } },
      },
    ],
    [
      'an object whose keys are placeholders is a map of the merged values',
      {
        given: [{ '{rule-name}': { n: 1 } }, { '{rule-name}': { m: 'x' } }],
        want: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { n: { type: 'number' }, m: { type: 'string' } } },
        },
      },
    ],
    [
      'an object whose samples show different members (an identifier union) has them optional',
      {
        given: [
          { rawId: 'a', communicationUser: { id: 'x' } },
          { rawId: 'b', phoneNumber: { value: '+1555' } },
        ],
        want: {
          type: 'object',
          properties: {
            rawId: { type: 'string' },
            communicationUser: { type: 'object', properties: { id: { type: 'string' } } },
            phoneNumber: { type: 'object', properties: { value: { type: 'string' } } },
          },
        },
      },
    ],
    ['a format needs every value', { given: ['2020-09-18T00:22:20Z', 'yesterday'], want: { type: 'string' } }],
    ['placeholders are ignored for format hints', { given: ['{thread-id}', '2020-09-18T00:22:20Z'], want: { type: 'string' } }],
    ['placeholders alone never make a format', { given: ['{rawId}'], want: { type: 'string' } }],
    ['a single value never makes an enum or const', { given: ['Delivered'], want: { type: 'string' } }],
    [
      'properties in document order; none required from samples',
      {
        given: [
          { b: 1, a: 'x' },
          { b: 2, c: true },
        ],
        want: {
          type: 'object',
          properties: { b: { type: 'number' }, a: { type: 'string' }, c: { type: 'boolean' } },
        },
      },
    ],
    [
      'array items are merged',
      {
        given: [[{ x: 1 }, { x: 2, y: 'a' }], []],
        want: {
          type: 'array',
          items: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'string' } } },
        },
      },
    ],
    ['an empty array gives unconstrained items', { given: [[]], want: { type: 'array', items: {} } }],
  ];
  it.each(cases)('%s', (_, { given, want }) => {
    expect(inferValues(given).schema).toEqual(want);
  });

  it('records the evidence of each field: samples, pages, in every sample, looks-like hints', () => {
    const { full } = inferValues([
      { id: '8f60490d-0719-4d9d-a1a6-835362fb752e', n: 1 },
      { id: '7283825e-f8f1-4c61-a9ea-752c56890500' },
    ]);
    expect(full.properties?.id?.['x-eventgen']).toEqual({ samples: 2, pages: 1, looksLike: ['uuid'], inEverySample: true });
    expect(full.properties?.n?.['x-eventgen']).toEqual({ samples: 1, pages: 1 });
  });

  it('with requiredFromSamples, a field in every sample is required (the samples are trusted)', () => {
    expect(inferValues([{ b: 1, a: 'x' }, { b: 2 }], true).schema.required).toEqual(['b']);
  });

  it('never sets additionalProperties: false', () => {
    expect(JSON.stringify(inferValues([{ a: { b: [{ c: 1 }] } }]).schema)).not.toContain('additionalProperties');
  });

  it('warns on mixed types with both sources and the schema pointer', () => {
    const { diagnostics } = inferValues([{ n: 'a' }, { n: 1 }]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'W_TYPE_MIXED', file: 'a.md', line: 1, pointer: '/properties/n' });
    expect(diagnostics[0]?.message).toContain('number at a.md:2');
  });
});

describe('formats', () => {
  it.each([
    [isDateTime, '2021-08-10T20:25:38Z', true],
    [isDateTime, '2021-08-10T20:25:38.123+02:00', true],
    [isDateTime, '2021-02-30T00:00:00Z', false],
    [isDateTime, '2021-08-10T20:25:38', false],
    [isUuid, '7283825e-f8f1-4c61-a9ea-752c56890500', true],
    [isUuid, 'Outgoing_202009180022138813a09b-0cbf-4304-9b03-1546683bb910', false],
    [isUri, 'https://storage.asm.skype.com/v1/objects/0-eus/content/video', true],
    [isUri, '8:acs:3d703c91-9657-4b3f-b19c-ef9d53f99710_0000000b', false],
    [isUri, '19:46df844a4c064bfaa2b3b30e385d1018@thread.v2', false],
    [isPlaceholder, 'thread/{thread-id}/sender', true],
    [isPlaceholder, '/resourcegroups/}{group-name}/providers', true],
    [isPlaceholder, '/subscriptions/<subscription ID>/resourceGroups', true],
    [isPlaceholder, 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', true],
    [isPlaceholder, '{ID}', true],
    [isPlaceholder, 'Welcome to Azure', false],
  ] as const)('%o(%s) is %s', (test, value, want) => {
    expect(test(value)).toBe(want);
  });
});

describe('infer per event type', () => {
  const sample = (eventType: string, data: unknown, line: number) => ({
    eventType,
    data,
    sources: [{ file: 'a.md', line, locale: 'fr-FR', envelope: 'eventgrid' as const }],
    attributes: { subject: 'thing/1' },
  });
  const extraction = (samples: Extraction['samples']): Extraction => ({
    samples,
    rawSampleCount: samples.length,
    descriptions: [
      { eventType: 'A.B.Deleted', locale: 'ko-KR', text: '삭제됨', source: { file: 'k.md', line: 3 } },
      { eventType: 'A.B.Deleted', locale: 'fr-FR', text: 'Supprimé', source: { file: 'f.md', line: 4 } },
    ],
    propertyTables: tables,
    listedOnly: [],
    docsRead: 1,
  });
  let tables: PropertyTable[] = [];

  it('never merges two event types, even when they look alike', () => {
    const { schemas } = infer(
      extraction([
        sample('A.B.Received', { id: 'x', body: 'hi' }, 1),
        sample('A.B.Deleted', { id: 'x', deleteTime: '2020-01-01T00:00:00Z' }, 2),
      ]),
      { locales: ['en', 'fr', 'ko'] },
    );
    const deleted = schemas.events.find((e) => e.eventType === 'A.B.Deleted')?.schema;
    expect(Object.keys(deleted?.properties ?? {})).toEqual(['id', 'deleteTime']);
    expect(deleted?.required).toBeUndefined();
  });

  it("applies a property table of the sample's page: description, required, nullable, type, known values", () => {
    const row = (name: string, extra: object) => ({ name, values: [], line: 20, ...extra });
    tables = [
      {
        file: 'a.md',
        line: 18,
        locale: 'en-US',
        rows: [
          row('status', { type: 'string', description: 'The status.', required: true, values: ['Delivered', 'Failed'] }),
          row('errors', { type: 'string', nullable: true }),
          row('count', { type: 'integer', description: 'Not in any sample.' }),
          row('details.code', { type: 'string', description: 'Nested, written a.b.' }),
        ],
      },
    ];
    const { schemas, diagnostics } = infer(
      extraction([sample('A.B.Sent', { status: 'Delivered', errors: 5, details: { code: null } }, 1)]),
      { locales: ['en'] },
    );
    tables = [];
    const schema = schemas.events[0]?.schema as JsonSchema;
    expect(schema.required).toEqual(['status']);
    expect(schema.properties?.status).toMatchObject({ type: 'string', description: 'The status.' });
    expect(schema.properties?.status?.['x-eventgen']).toMatchObject({ knownValues: ['Delivered', 'Failed'] });
    expect(schema.properties?.status?.enum).toBeUndefined();
    // The table says string, the sample shows a number: both are accepted, and the contradiction is reported.
    expect(schema.properties?.errors?.type).toEqual(['string', 'number', 'null']);
    expect(diagnostics.map((d) => d.code)).toEqual(['W_TABLE_CONTRADICTS']);
    expect(diagnostics[0]?.message).toContain('a.md:20');
    expect(schema.properties?.count).toMatchObject({ type: 'integer', description: 'Not in any sample.' });
    expect(schema.properties?.details?.properties?.code).toMatchObject({
      type: ['string', 'null'],
      description: 'Nested, written a.b.',
    });
  });

  it('picks the description by locale preference and keeps every locale', () => {
    const run = (locales: string[]) =>
      infer(extraction([sample('A.B.Deleted', { id: 'x' }, 1)]), { locales }).schemas.events[0]?.schema;
    expect(run(['en', 'fr', 'ko'])?.description).toBe('Supprimé');
    expect(run(['ko'])?.description).toBe('삭제됨');
    const meta = run(['en'])?.['x-eventgen'] as { descriptions: object };
    expect(Object.keys(meta.descriptions)).toEqual(['fr-FR', 'ko-KR']);
  });

  it('hoists a shape recurring under one property name into $defs, named after it', () => {
    const member = { displayName: 'Bob', memberId: '8:acs:1' };
    const { schemas } = infer(
      extraction([
        sample('A.Chat.Created', { members: [member], room: { id: 'r' }, properties: { topic: 'x', other: 1 } }, 1),
        sample('A.Chat.Updated', { members: [member], communicationUser: { id: 'u' }, properties: { topic: 'y' } }, 2),
        sample('A.Chat.Other', { room: { id: 'r2' }, communicationUser: { id: 'u2' } }, 3),
      ]),
      { locales: ['en'] },
    );
    // `room` and `communicationUser` have the same {id} shape, yet stay two definitions with meaningful names.
    expect(Object.keys(schemas.shared)).toEqual(['AChatCommunicationUser', 'AChatMember', 'AChatRoom']);
    const created = schemas.events.find((e) => e.eventType === 'A.Chat.Created')?.schema;
    expect(created?.properties?.members?.items).toEqual({ $ref: 'shared.defs.json#/$defs/AChatMember' });
    // Look-alike but different shapes stay separate.
    expect(created?.properties?.properties).toMatchObject({ type: 'object', properties: { topic: {}, other: {} } });
  });

  it('keeps an event type listed without a sample as an event of unknown data', () => {
    const base = extraction([sample('A.B.Deleted', { id: 'x' }, 1)]);
    const { schemas } = infer(
      { ...base, listedOnly: [{ eventType: 'A.B.Archived', source: { file: 'a.md', line: 30 }, locale: 'en-US' }] },
      { locales: ['en'] },
    );
    const archived = schemas.events.find((e) => e.eventType === 'A.B.Archived')?.schema;
    expect(archived?.type).toBeUndefined();
    expect(archived?.examples).toEqual([]);
    expect(archived?.['x-eventgen']).toMatchObject({ listed: { file: 'a.md', line: 30 } });
  });

  it('carries examples and provenance', () => {
    const { schemas } = infer(extraction([sample('A.B.Deleted', { id: 'x' }, 7)]), { locales: ['en'] });
    const schema = schemas.events[0]?.schema;
    expect(schema?.examples).toEqual([{ id: 'x' }]);
    expect(schema?.['x-eventgen']).toMatchObject({
      eventType: 'A.B.Deleted',
      envelopes: ['eventgrid'],
      sources: [{ file: 'a.md', line: 7 }],
    });
    expect(schema).toMatchObject({ $id: 'A.B.Deleted.schema.json', title: 'A.B.Deleted' });
  });
});

describe('known values from prose', () => {
  it('reads "Possible values for `status` are …" in a paragraph as open known values of that field', async () => {
    const { run } = await import('../helpers.ts');
    const text = `---\nms.contentlocale: en-us\n---\n# Events\n\nPossible values for \`status\` are \`Delivered\` and *Failed*.\n\n\`\`\`json\n${JSON.stringify(
      [
        {
          id: '1',
          subject: 's',
          eventType: 'A.B.Sent',
          eventTime: '2024-01-01T00:00:00Z',
          dataVersion: '1',
          data: { status: 'Delivered', other: 'x' },
        },
      ],
    )}\n\`\`\`\n`;
    const result = await run([{ path: 'a.md', text }]);
    const schema = JSON.parse(result.schemas.get('A.B.Sent.schema.json') ?? '{}');
    expect(schema.properties.status['x-eventgen'].knownValues).toEqual(['Delivered', 'Failed']);
    expect(schema.properties.status.enum).toBeUndefined();
    expect(schema.properties.other['x-eventgen'].knownValues).toBeUndefined();
    expect(result.generated.get('src/data.ts')).toContain("status?: 'Delivered' | 'Failed' | (string & {});");
  });
});
