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
export * from './validators.js';
export * from './webhook.js';
