/**
 * Schema sets for test/languages.test.ts, as `schemas/` would hold them: one with every
 * feature the renderers must honour, one with hostile text where docs text can reach code.
 */

const schema = (eventType: string, body: Record<string, unknown>) => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${eventType}.schema.json`,
  title: eventType,
  ...body,
  'x-eventgen': { eventType, envelopes: ['eventgrid'], sources: [{ file: 'docs/contoso.md', line: 1 }] },
});

function files(schemas: Record<string, unknown>[], shared: Record<string, unknown> = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of schemas) out.set(`${(s as { title: string }).title}.schema.json`, JSON.stringify(s, null, 2));
  out.set('shared.defs.json', JSON.stringify({ $id: 'shared.defs.json', title: 'Shared definitions', $defs: shared }, null, 2));
  return out;
}

const twin = {
  type: 'object',
  properties: { orderId: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
  required: ['orderId', 'at'],
};

export const FEATURES = files(
  [
    schema('Contoso.Orders.OrderPlaced', {
      description: 'Published when an order is placed.',
      type: 'object',
      properties: {
        orderId: { type: 'string', description: 'The order number, as the shop shows it.' },
        placedAt: { type: 'string', format: 'date-time' },
        deliverOn: { type: 'string', format: 'date' },
        deliverAt: { type: 'string', format: 'time' },
        looksLikeDate: { type: 'string' },
        quantity: { type: 'integer' },
        note: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        shipTo: { $ref: 'shared.defs.json#/$defs/ContosoAddress' },
        billTo: { $ref: 'shared.defs.json#/$defs/ContosoAddress' },
        extra: {},
        legacy: { type: 'string', deprecated: true },
        sender: { type: 'object', properties: { name: { type: 'string' } } },
      },
      required: ['orderId', 'placedAt', 'looksLikeDate', 'quantity', 'labels', 'shipTo'],
      examples: [
        {
          orderId: 'A-1',
          placedAt: '2024-05-01T10:00:00.123Z',
          deliverOn: '2024-05-07',
          deliverAt: '10:30:00Z',
          looksLikeDate: '2024-05-01T10:00:00Z',
          quantity: 2,
          labels: { gift: 'yes' },
          shipTo: { street: '1 Main St', city: 'Springfield' },
          extra: [1, 'two'],
        },
        {
          orderId: 'A-2',
          placedAt: '2024-05-02T10:00:00Z',
          looksLikeDate: 'soon',
          quantity: 1,
          note: 'ring twice',
          labels: {},
          shipTo: { street: '2 Main St' },
          billTo: { street: '3 Side St', city: 'Shelbyville' },
          unknownField: true,
        },
      ],
    }),
    schema('Contoso.Orders.OrderShipped', { ...twin, examples: [{ orderId: 'A-1', at: '2024-05-03T08:00:00Z' }] }),
    schema('Contoso.Orders.OrderDelivered', { ...twin, examples: [{ orderId: 'A-1', at: '2024-05-04T08:00:00Z' }] }),
    schema('Contoso.Orders.OrderNoted', {
      description: 'Data of unknown shape.',
      examples: [{ anything: ['goes'] }, 'text'],
    }),
    schema('Contoso.Orders.OrderCounted', {
      type: 'object',
      additionalProperties: { type: 'integer' },
      examples: [{ apples: 3 }],
    }),
    schema('Contoso.Orders.OrderCurated', {
      'x-eventgen-typeName': 'OrderCuratedPayload',
      type: 'object',
      properties: {
        reason: { type: 'string' },
        by: { $ref: 'shared.defs.json#/$defs/ContosoAddress' },
        approver: { type: 'object', properties: { name: { type: 'string' } } },
      },
      required: ['reason'],
      examples: [{ reason: 'fraud' }],
    }),
  ],
  {
    ContosoAddress: {
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
      required: ['street'],
    },
  },
);

/** Text a comment or string of any language could trip on; a bidi override and a lone surrogate too. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is part of the hostile text
export const NASTY = 'q"uote \\ back\\u0022slash */ """ ${x} $y `tick` \r\n line\u2028sep\u0085 é 😀 \u202e \ud800 end\\';
export const HOSTILE_EVENT_TYPE = `Evil.Name${NASTY}`;

export const HOSTILE = files([
  schema(HOSTILE_EVENT_TYPE, {
    description: `Closes */ and """ and \\u002a/ and ${NASTY}`,
    type: 'object',
    properties: {
      ['__proto__']: { type: 'string', description: NASTY },
      class: { type: 'string' },
      'a-b': { type: 'number' },
      'q"uote\\': { type: 'boolean' },
      from: { type: 'string' },
      type: { type: 'string' },
      é: { type: 'string' },
    },
    required: ['__proto__', 'class'],
    examples: [{ ['__proto__']: 'p', class: 'c', 'a-b': 1.5, 'q"uote\\': true, from: 'f', type: 't', é: 'e' }],
  }),
  schema('Evil.Plain', {
    description: 'Ends with a backslash \\',
    type: 'object',
    properties: { 'x\ny': { type: 'string' } },
    examples: [{ 'x\ny': 'z' }],
  }),
]);

/**
 * Keys each language's JSON library or naming trips on: Python styles `from`, `From` and `from_`
 * to one name; Jackson reads `@JsonProperty("")` as "the field's name"; a backtick cannot be in a
 * Go raw tag; `extra` is the name of Python's and Rust's map of other members.
 */
export const EDGE = files([
  schema('Contoso.Edge.Keys', {
    type: 'object',
    properties: {
      from: { type: 'string' },
      From: { type: 'string' },
      from_: { type: 'string' },
      '': { type: 'string' },
      'a`b': { type: 'string' },
      'c"d\\': { type: 'string' },
      extra: { type: 'string' },
      additionalProperties: { type: 'string' },
      maybe: { type: ['string', 'null'], description: 'Optional and nullable.' },
      either: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      must: { type: ['number', 'null'] },
      anything: {},
      list: { type: 'array', items: { type: 'string' } },
      nested: { type: 'object', properties: { inner: { type: 'number' } } },
    },
    required: ['from', 'must'],
    examples: [
      {
        from: 'a',
        From: 'b',
        from_: 'c',
        '': 'empty',
        'a`b': 'tick',
        'c"d\\': 'quote',
        extra: 'x',
        additionalProperties: 'y',
        maybe: 'm',
        either: null,
        must: null,
        anything: null,
        list: [],
        nested: { inner: 1.5, more: [true] },
      },
      { from: 'only', must: 3, either: 'e' },
      // Keys that differ from a field's only in case, and from each other.
      { from: 'a', FROM: 'upper', fROM: 'mixed', must: 1, MAYBE: null, Nested: { INNER: 2 } },
    ],
  }),
]);
