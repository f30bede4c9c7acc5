/**
 * Stand-in for the generated `src/events.ts`: its declarations over a small example event map, so
 * that runtime/ type-checks on its own. emit copies the `.ts` files of runtime/ into the package,
 * never these `.d.ts` files; there the generated module takes their place.
 */
import type { CloudEvent, EventGridEvent } from './envelopes.js';

export interface EventDataMap {
  'Contoso.Example.Created': { name?: string; size?: number };
  'Contoso.Example.Listed': unknown;
}
export type EventType = keyof EventDataMap;
export declare const EVENT_TYPES: readonly EventType[];
export type EventGridEventOf<T extends EventType> = EventGridEvent<T, EventDataMap[T]>;
export type CloudEventOf<T extends EventType> = CloudEvent<T, EventDataMap[T]>;
export type AnyEventGridEvent = { [T in EventType]: EventGridEventOf<T> }[EventType];
export type AnyCloudEvent = { [T in EventType]: CloudEventOf<T> }[EventType];
export type AnyEvent = AnyEventGridEvent | AnyCloudEvent;
