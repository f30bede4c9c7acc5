/**
 * Envelope recognition and spec checks for documentation samples.
 *
 * - Event Grid event schema: https://learn.microsoft.com/azure/event-grid/event-schema
 *   (`id`, `subject`, `eventType`, `eventTime` are set by the publisher; `dataVersion` may
 *   be empty; `topic` and `metadataVersion` are added by Event Grid on delivery).
 * - CloudEvents 1.0: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md
 *   (`specversion` "1.0", non-empty `id`, `source`, `type`; attribute names of
 *   lower-case letters and digits; `time` per RFC 3339).
 *
 * Docs write envelopes loosely (`specVersion`, `Type`, `Time`, `dataversion`, `specversion: 1.0`,
 * `eventTime` in a CloudEvent). Samples are recognised whatever the case of their attribute
 * names, read as if written right, and every deviation is reported.
 */

import { isDateTime } from '../formats.mjs';
import type { Envelope } from '../ir.ts';

const EVENT_GRID_ATTRIBUTES = ['id', 'topic', 'subject', 'eventType', 'eventTime', 'data', 'dataVersion', 'metadataVersion'];
const CLOUD_EVENT_ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
  'data_base64',
];

/**
 * What an event type must look like to be used: dot-separated segments of letters, digits,
 * `_` and `-`, starting with a letter, at most 256 characters. Anything else (a newline, a
 * quote, `*\/`, U+2028) is reported and skipped, so no doc text of that kind reaches code.
 */
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;

export function isEventType(value: string): boolean {
  return value.length <= 256 && EVENT_TYPE.test(value);
}

export type Classified =
  | {
      readonly kind: 'event';
      readonly envelope: Envelope;
      readonly eventType: unknown;
      readonly hasData: boolean;
      /** The event with its attribute names spelled as the spec spells them. */
      readonly event: Record<string, unknown>;
      /** How the sample deviates from its envelope's spelling, one sentence each. */
      readonly spelling: string[];
    }
  | { readonly kind: 'other' };

/** Own keys of `value` by lower-case name (the first of each). */
function keysByLowerCase(value: object): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of Object.keys(value)) if (!out.has(key.toLowerCase())) out.set(key.toLowerCase(), key);
  return out;
}

export function classify(value: unknown): Classified {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'other' };
  const keys = keysByLowerCase(value);
  const envelope: Envelope | undefined = keys.has('eventtype')
    ? 'eventgrid'
    : keys.has('specversion') || (keys.has('type') && keys.has('source'))
      ? 'cloudevents'
      : undefined;
  if (envelope === undefined) return { kind: 'other' };
  const { event, spelling } = normalise(value as Record<string, unknown>, envelope);
  return {
    kind: 'event',
    envelope,
    eventType: envelope === 'eventgrid' ? event.eventType : event.type,
    hasData: Object.hasOwn(event, 'data'),
    event,
    spelling,
  };
}

function normalise(raw: Record<string, unknown>, envelope: Envelope): { event: Record<string, unknown>; spelling: string[] } {
  const names = envelope === 'eventgrid' ? EVENT_GRID_ATTRIBUTES : CLOUD_EVENT_ATTRIBUTES;
  const canonical = new Map(names.map((n) => [n.toLowerCase(), n]));
  const event: Record<string, unknown> = {};
  const spelling: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const name = canonical.get(key.toLowerCase()) ?? key;
    if (name !== key) {
      if (Object.hasOwn(raw, name)) continue; // the right spelling is there too: it wins
      spelling.push(`attribute "${key}" is spelled "${name}" by the spec`);
    }
    Object.defineProperty(event, name, { value, enumerable: true, writable: true, configurable: true });
  }
  if (envelope === 'cloudevents') {
    if (typeof event.specversion === 'number') {
      spelling.push(`"specversion" is the number ${event.specversion}, the spec requires the string "1.0"`);
      event.specversion = event.specversion === 1 ? '1.0' : String(event.specversion);
    }
    const eventTime = Object.keys(event).find((k) => k.toLowerCase() === 'eventtime');
    if (eventTime !== undefined && !Object.hasOwn(event, 'time')) {
      spelling.push(`"${eventTime}" is the Event Grid attribute; a CloudEvent carries "time"`);
      event.time = event[eventTime];
      delete event[eventTime];
    }
  }
  return { event, spelling };
}

/** Returns one human-readable sentence per way `event` breaks its envelope's spec. */
export function envelopeDefects(event: Record<string, unknown>, envelope: Envelope): string[] {
  return envelope === 'eventgrid' ? eventGridDefects(event) : cloudEventDefects(event);
}

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v !== '';

function eventGridDefects(e: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of ['id', 'subject', 'eventType'] as const) {
    if (!nonEmpty(e[key])) out.push(`Event Grid attribute "${key}" must be a non-empty string`);
  }
  // Event Grid stamps an empty dataVersion when the publisher sends none.
  if (typeof e.dataVersion !== 'string') out.push('Event Grid attribute "dataVersion" must be a string');
  if (!(typeof e.eventTime === 'string' && isDateTime(e.eventTime))) {
    out.push('Event Grid attribute "eventTime" must be an RFC 3339 date-time string');
  }
  if (Object.hasOwn(e, 'topic') && !nonEmpty(e.topic)) out.push('Event Grid attribute "topic" must be a non-empty string');
  if (Object.hasOwn(e, 'metadataVersion') && e.metadataVersion !== '1') {
    out.push(`Event Grid attribute "metadataVersion" must be "1", found ${JSON.stringify(e.metadataVersion)}`);
  }
  return out;
}

const CE_NAME = /^[a-z0-9]+$/;
/** Members of the JSON event format that are not context attributes. */
const CE_FORMAT_MEMBERS = new Set(['data', 'data_base64']);

function cloudEventDefects(e: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (e.specversion !== '1.0') {
    out.push(`CloudEvents "specversion" must be "1.0", found ${JSON.stringify(e.specversion)}`);
  }
  for (const key of ['id', 'source', 'type'] as const) {
    if (!nonEmpty(e[key])) out.push(`CloudEvents attribute "${key}" must be a non-empty string`);
  }
  if (Object.hasOwn(e, 'time') && !(typeof e.time === 'string' && isDateTime(e.time))) {
    out.push('CloudEvents attribute "time" must be an RFC 3339 timestamp');
  }
  for (const key of Object.keys(e)) {
    if (!CE_FORMAT_MEMBERS.has(key) && !CE_NAME.test(key)) {
      out.push(`CloudEvents attribute name "${key}" must use only lower-case letters and digits`);
    }
  }
  return out;
}
