/**
 * The contract as an AsyncAPI 3.0 document (`asyncapi.json` in the generated package), written from
 * the catalog model (catalog.ts) the README and the HTML catalog are written from.
 * https://www.asyncapi.com/docs/reference/specification/v3.0.0
 *
 * - the webhook is one channel (its address is the application's: `null`, unknown until deployed);
 * - one `receive` operation takes every message of that channel;
 * - one message per event type: its `payload` is the event's reviewed `data` schema, converted from
 *   JSON Schema 2020-12 to AsyncAPI's default schema format (a superset of draft-07, `toDraft07`), its
 *   examples the doc's samples, its headers the CloudEvents binary-mode `ce-type` of the event;
 * - the two envelopes are message traits: Event Grid's delivery headers (`aeg-*`) and CloudEvents'
 *   binary-mode headers (`ce-*`); the envelope schemas themselves are in `components.schemas`.
 */
import type { JsonSchema } from '../ir.ts';
import { escapePointer } from '../pointer.ts';
import { SUBSCHEMA_KEYWORDS, type SubschemaKind } from '../schema-walk.ts';
import { BANNER_TEXT } from './banner.ts';
import type { CatalogEvent, CatalogModel } from './catalog.ts';
import { CLOUD_EVENT, EVENT_GRID_ANY } from './envelopes.ts';

/** What the conversion met that draft-07 cannot say: the schema is kept without it (a looser payload). */
export interface LossyKeyword {
  readonly eventType: string;
  readonly pointer: string;
  readonly keyword: string;
}

/** Keywords of 2020-12 that draft-07 does not know and that change a verdict; converted where draft-07 has an equivalent. */
const NO_DRAFT07 = new Set([
  'unevaluatedProperties',
  'unevaluatedItems',
  '$dynamicRef',
  '$dynamicAnchor',
  'minContains',
  'maxContains',
]);

/** Where `$ref`s to the shared definitions file point once those definitions are `components.schemas`. */
const SHARED_REF = /^shared\.defs\.json#\/\$defs\//;

/**
 * A 2020-12 schema as draft-07 (AsyncAPI's schema format) with the same verdicts: `$defs` →
 * `definitions`, `prefixItems`/`items` → `items` array/`additionalItems`, `dependentRequired`/
 * `dependentSchemas` → `dependencies`, references to the shared definitions →
 * `#/components/schemas/<name>`; eventgen's `x-eventgen` provenance and `$schema`/`$id` left out.
 */
export function toDraft07(schema: JsonSchema, onLossy: (pointer: string, keyword: string) => void, pointer = ''): JsonSchema {
  const conversion: Conversion = { schema, out: {}, onLossy };
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-eventgen') || key === '$schema' || key === '$id') continue;
    if (NO_DRAFT07.has(key)) onLossy(pointer || '/', key);
    else (DRAFT07.get(key) ?? copy)(conversion, key, value, `${pointer}/${key}`);
  }
  return conversion.out;
}

/** One schema being converted: the 2020-12 original and the draft-07 result so far. */
interface Conversion {
  readonly schema: JsonSchema;
  readonly out: JsonSchema;
  readonly onLossy: (pointer: string, keyword: string) => void;
}

/** Writes the draft-07 form of one keyword (`at` is its pointer) into the result. */
type Rule = (conversion: Conversion, key: string, value: unknown, at: string) => void;

const sub = ({ onLossy }: Conversion, value: unknown, at: string) => (isSchema(value) ? toDraft07(value, onLossy, at) : value);
const list = (c: Conversion, value: unknown, at: string) =>
  Array.isArray(value) ? value.map((s, i) => sub(c, s, `${at}/${i}`)) : value;
const byName = (c: Conversion, value: unknown, at: string) =>
  isSchema(value)
    ? Object.fromEntries(Object.entries(value).map(([k, s]) => [k, sub(c, s, `${at}/${escapePointer(k)}`)]))
    : value;

const copy: Rule = (c, key, value) => define(c.out, key, value);
/** A keyword whose value is a schema, a list of schemas, or schemas by name. */
const schemaValue: Rule = (c, key, value, at) => define(c.out, key, sub(c, value, at));
const schemaList: Rule = (c, key, value, at) => define(c.out, key, list(c, value, at));
const schemasByName: Rule = (c, key, value, at) => define(c.out, key, byName(c, value, at));
/** `dependentRequired` and `dependentSchemas` are both draft-07's `dependencies`. */
const dependencies: Rule = (c, _, value, at) =>
  define(c.out, 'dependencies', { ...((c.out.dependencies as object) ?? {}), ...(byName(c, value, at) as object) });

/** The rule of a keyword whose value holds subschemas (schema-walk.ts's table), by how it holds them. */
const BY_KIND: Record<SubschemaKind, Rule> = { schema: schemaValue, list: schemaList, map: schemasByName };

/**
 * The keywords draft-07 spells or nests differently, then those whose values hold schemas (converted in
 * place); the rest are copied.
 */
const DRAFT07 = new Map<string, Rule>([
  ...[...SUBSCHEMA_KEYWORDS].map(([keyword, kind]): [string, Rule] => [keyword, BY_KIND[kind]]),
  [
    '$ref',
    (c, key, value) =>
      define(
        c.out,
        key,
        typeof value === 'string'
          ? value.replace(SHARED_REF, '#/components/schemas/').replace(/^#\/\$defs\//, '#/definitions/')
          : value,
      ),
  ],
  ['$defs', (c, _, value, at) => define(c.out, 'definitions', byName(c, value, at))],
  ['prefixItems', (c, _, value, at) => define(c.out, 'items', list(c, value, at))],
  [
    'items',
    (c, _, value, at) => define(c.out, Array.isArray(c.schema.prefixItems) ? 'additionalItems' : 'items', sub(c, value, at)),
  ],
  ['dependentRequired', dependencies],
  ['dependentSchemas', dependencies],
]);

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own property even when the key is `__proto__`. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The id of an event's message (and of its components entry): the event type, which AsyncAPI keys allow (`^[\w.\-]+$`). */
export function messageId(eventType: string): string {
  return eventType.replace(/[^\w.-]/g, '_');
}

/** The AsyncAPI document of the contract, and the keywords its payloads could not carry. */
export function asyncApiDocument(model: CatalogModel): { document: object; lossy: LossyKeyword[] } {
  const lossy: LossyKeyword[] = [];
  const convert = (eventType: string, schema: JsonSchema) =>
    toDraft07(schema, (pointer, keyword) => lossy.push({ eventType, pointer, keyword }));
  const messages: Record<string, object> = {};
  for (const event of model.events)
    define(messages, messageId(event.eventType), message(event, convert(event.eventType, event.schema)));
  const schemas: Record<string, object> = {
    EventGridEvent: convert('Event Grid envelope', EVENT_GRID_ANY),
    CloudEvent: convert('CloudEvents envelope', CLOUD_EVENT),
  };
  for (const [name, schema] of Object.entries(model.shared)) define(schemas, name, convert(`shared definition ${name}`, schema));
  const refs = Object.keys(messages).map((id) => ({ $ref: `#/channels/webhook/messages/${id}` }));
  const document = {
    asyncapi: '3.0.0',
    // JSON has no comments: the banner every generated file carries is a specification extension here.
    'x-eventgen': BANNER_TEXT,
    info: {
      title: model.packageName,
      version: model.version,
      description: `The ${model.events.length} Event Grid event types a webhook of this package receives, from their documentation (generated by eventgen). Each message's payload is the event's \`data\`; it arrives in the Event Grid envelope (schema \`EventGridEvent\`) or the CloudEvents 1.0 envelope (schema \`CloudEvent\`, structured or binary mode).`,
    },
    defaultContentType: 'application/json',
    channels: {
      webhook: {
        address: null,
        title: 'Event Grid webhook',
        description:
          'The HTTPS endpoint of an Event Grid event subscription: the application chooses its URL. Event Grid posts Event Grid events as a JSON array, CloudEvents in structured, batch or binary mode.',
        messages: Object.fromEntries(Object.keys(messages).map((id) => [id, { $ref: `#/components/messages/${id}` }])),
      },
    },
    operations: {
      receiveEvent: {
        action: 'receive',
        title: 'Receive an event',
        summary: 'Event Grid delivers an event to the webhook.',
        channel: { $ref: '#/channels/webhook' },
        messages: refs,
      },
    },
    components: {
      schemas,
      messages,
      messageTraits: {
        eventGrid: {
          name: 'Event Grid envelope',
          summary:
            'Delivered in the Event Grid event schema: a JSON array of events, each {id, topic, subject, eventType, eventTime, data, dataVersion, metadataVersion}.',
          contentType: 'application/json',
          headers: {
            type: 'object',
            properties: {
              'aeg-event-type': {
                type: 'string',
                description: 'Notification for events; SubscriptionValidation for the validation handshake.',
              },
              'aeg-subscription-name': { type: 'string', description: 'The event subscription delivering the event.' },
              'aeg-delivery-count': { type: 'string', description: 'How many times this event was delivered before.' },
              'aeg-data-version': { type: 'string', description: 'The dataVersion of the event.' },
              'aeg-metadata-version': { type: 'string', description: 'The metadataVersion of the event.' },
            },
          },
        },
        cloudEvents: {
          name: 'CloudEvents 1.0 envelope',
          summary:
            'Delivered in the CloudEvents 1.0 schema: structured mode (application/cloudevents+json, the envelope in the body), batch mode (application/cloudevents-batch+json), or binary mode (the attributes as ce-* headers, the data as the body).',
          headers: {
            type: 'object',
            properties: {
              'ce-specversion': { type: 'string', const: '1.0' },
              'ce-id': { type: 'string', minLength: 1 },
              'ce-source': { type: 'string', minLength: 1 },
              'ce-type': { type: 'string', minLength: 1 },
              'ce-subject': { type: 'string' },
              'ce-time': { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
  };
  return { document, lossy };
}

function message(event: CatalogEvent, payload: JsonSchema): object {
  const traits = event.envelopes.map((e) => ({
    $ref: `#/components/messageTraits/${e === 'eventgrid' ? 'eventGrid' : 'cloudEvents'}`,
  }));
  return {
    name: event.eventType,
    title: event.typeName,
    summary: event.description === '' ? `A ${event.eventType} event.` : event.description,
    description: describe(event),
    contentType: 'application/json',
    headers: { type: 'object', properties: { 'ce-type': { type: 'string', const: event.eventType } } },
    payload,
    ...(traits.length > 0 ? { traits } : {}),
    ...(event.deprecated ? { tags: [{ name: 'deprecated' }] } : {}),
    examples: event.examples.map((payload, i) => ({
      name: `doc-sample-${i + 1}`,
      summary: `Documented at ${event.sources[i] ?? event.source}`,
      headers: { 'ce-type': event.eventType },
      payload,
    })),
  };
}

function describe(event: CatalogEvent): string {
  const lines = [
    event.description,
    ...event.otherDescriptions.map((d) => `(${d.locale}) ${d.text}`),
    `Type \`${event.typeName}\` in the package; envelopes: ${event.envelopeLabels || 'none documented'}; documented at ${event.source}.`,
    ...event.history,
  ];
  return lines.filter((l) => l !== '').join('\n\n');
}
