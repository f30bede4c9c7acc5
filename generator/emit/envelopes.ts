/**
 * JSON Schemas of the two envelopes, compiled into the generated validators with the
 * event schemas.
 *
 * - Event Grid event schema: https://learn.microsoft.com/azure/event-grid/event-schema
 *   `id`, `subject`, `eventType`, `eventTime`, `data`, `dataVersion` are required.
 *   `topic` and `metadataVersion` are stamped by Event Grid on delivery: the publish
 *   form (as @azure/eventgrid's publisher sends it) has neither, the delivered form has
 *   both. The "any" schema accepts either (each checked when present); the "delivered"
 *   schema requires both.
 * - CloudEvents 1.0 JSON format: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md
 *   and https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md
 */
import type { JsonSchema } from '../ir.ts';

const nonEmpty: JsonSchema = { type: 'string', minLength: 1 };

export const EVENT_GRID_ANY_ID = 'eventgen-envelope-eventgrid.json';
export const EVENT_GRID_DELIVERED_ID = 'eventgen-envelope-eventgrid-delivered.json';
export const CLOUD_EVENT_ID = 'eventgen-envelope-cloudevent.json';

export const EVENT_GRID_ANY: JsonSchema = {
  $id: EVENT_GRID_ANY_ID,
  type: 'object',
  properties: {
    id: nonEmpty,
    topic: nonEmpty,
    subject: nonEmpty,
    eventType: nonEmpty,
    eventTime: { type: 'string', format: 'date-time' },
    dataVersion: { type: 'string' },
    metadataVersion: { const: '1' },
  },
  required: ['id', 'subject', 'eventType', 'eventTime', 'data', 'dataVersion'],
};

export const EVENT_GRID_DELIVERED: JsonSchema = {
  $id: EVENT_GRID_DELIVERED_ID,
  allOf: [{ $ref: EVENT_GRID_ANY_ID }],
  required: ['topic', 'metadataVersion'],
};

export const CLOUD_EVENT: JsonSchema = {
  $id: CLOUD_EVENT_ID,
  type: 'object',
  properties: {
    specversion: { const: '1.0' },
    id: nonEmpty,
    source: { type: 'string', minLength: 1, format: 'uri-reference' },
    type: nonEmpty,
    datacontenttype: nonEmpty,
    dataschema: { type: 'string', format: 'uri' },
    subject: nonEmpty,
    time: { type: 'string', format: 'date-time' },
    data_base64: { type: 'string', contentEncoding: 'base64' },
  },
  required: ['specversion', 'id', 'source', 'type'],
  // Attribute names: lower-case letters and digits; `data` and `data_base64` are members of the JSON format.
  propertyNames: { pattern: '^(?:[a-z0-9]+|data_base64)$' },
  // Extension attribute values are strings, numbers or booleans in the JSON format (null means absent).
  additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
  not: { required: ['data', 'data_base64'] },
};

/**
 * `data` is a member of the JSON format, not an attribute: it may hold any JSON value,
 * so it is listed here to keep `additionalProperties` off it.
 */
(CLOUD_EVENT.properties as Record<string, JsonSchema>).data = {};
