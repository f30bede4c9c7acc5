/**
 * Envelope recognition and spec checks for documentation samples.
 *
 * - Event Grid event schema: https://learn.microsoft.com/azure/event-grid/event-schema
 *   (`id`, `subject`, `eventType`, `eventTime` are set by the publisher; `dataVersion` may
 *   be empty; `topic` and `metadataVersion` are added by Event Grid on delivery).
 * - CloudEvents 1.0: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md
 *   (`specversion` "1.0", non-empty `id`, `source`, `type`; attribute names of
 *   lower-case letters and digits; `time` per RFC 3339).
 */

import { isDateTime } from '../infer/formats.ts';
import type { Envelope } from '../ir.ts';

export type Classified =
  | { readonly kind: 'event'; readonly envelope: Envelope; readonly eventType: unknown; readonly hasData: boolean }
  | { readonly kind: 'other' };

export function classify(value: unknown): Classified {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'other' };
  const has = (key: string) => Object.hasOwn(value, key);
  const record = value as Record<string, unknown>;
  if (has('eventType')) {
    return { kind: 'event', envelope: 'eventgrid', eventType: record.eventType, hasData: has('data') };
  }
  if (has('specversion') || (has('type') && has('source'))) {
    return {
      kind: 'event',
      envelope: 'cloudevents',
      eventType: record.type,
      hasData: has('data'),
    };
  }
  return { kind: 'other' };
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
