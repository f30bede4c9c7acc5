/**
 * Everything the package has. Each part is also an entry point of its own (`<package>/webhook`,
 * `<package>/router`, …; see package.json `exports`), which loads only what it needs: the webhook does
 * not load the fixtures, nor node:http, nor jose until a request needs it.
 */
export * from './auth.js';
export * from './azure-functions.js';
export type * from './data.js';
export type { CloudEvent, EventGridEvent } from './envelopes.js';
export type {
  AnyCloudEvent,
  AnyEvent,
  AnyEventGridEvent,
  CloudEventOf,
  EventDataMap,
  EventGridEventOf,
  EventType,
} from './events.js';
export { EVENT_TYPES } from './events.js';
export * from './fixtures.js';
export * from './node-http.js';
export * from './router.js';
export type { StandardSchemaV1, StandardTypedV1 } from './standard-schema.js';
export * from './validators.js';
export * from './webhook.js';
