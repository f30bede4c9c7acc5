/**
 * Recorded events (`--observed`): the NDJSON files the package's `recordTo` writes, one event per line as
 * `{"receivedAt","outcome","envelope","redacted","event"}`, or lines holding an event alone (Event Grid or
 * CloudEvents 1.0 structured form), as other loggers write them. Each line gives the event type, the envelope
 * and the data; a line that cannot be used is reported with its file and line, and the rest are read.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { DocFile, Envelope, Location, ObservedEvent } from '../ir.ts';
import { isEventType } from './envelope.ts';
import { depthOf, MAX_DATA_DEPTH } from './index.ts';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The event of a line: the recorder's wrapper taken off, or the line itself. */
function eventOf(line: Record<string, unknown>): unknown {
  return Object.hasOwn(line, 'event') && (Object.hasOwn(line, 'receivedAt') || Object.hasOwn(line, 'outcome'))
    ? line.event
    : line;
}

function envelopeOf(event: Record<string, unknown>): { envelope: Envelope; type: unknown } | undefined {
  if (Object.hasOwn(event, 'specversion') || (Object.hasOwn(event, 'type') && Object.hasOwn(event, 'source')))
    return { envelope: 'cloudevents', type: event.type };
  if (Object.hasOwn(event, 'eventType')) return { envelope: 'eventgrid', type: event.eventType };
  return undefined;
}

/** Every recorded event of `files`, in file and line order, and a diagnostic for each line that cannot be used. */
export function readObserved(files: readonly DocFile[]): { events: ObservedEvent[]; diagnostics: Diagnostic[] } {
  const events: ObservedEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const lines = file.text.split('\n');
    let read = 0;
    for (const [i, raw] of lines.entries()) {
      const text = raw.trim();
      if (text === '') continue;
      const at: Location = { file: file.path, line: i + 1 };
      const bad = (message: string) => diagnostics.push(diagnostic('W_OBSERVED_LINE', message, at));
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        const cut = i === lines.length - 1 || (i === lines.length - 2 && lines[i + 1] === '');
        bad(
          `not JSON (${(error as Error).message})${cut ? '; the last line, probably cut short when the recorder stopped' : ''}`,
        );
        continue;
      }
      if (!isObject(value)) {
        bad('not a JSON object: each line holds one recorded event');
        continue;
      }
      const event = eventOf(value);
      if (!isObject(event)) {
        bad('its "event" is not a JSON object');
        continue;
      }
      const kind = envelopeOf(event);
      if (kind === undefined) {
        bad('neither an Event Grid event (eventType) nor a CloudEvent (specversion, type, source)');
        continue;
      }
      if (typeof kind.type !== 'string' || !isEventType(kind.type)) {
        const shown = typeof kind.type === 'string' ? JSON.stringify(kind.type.slice(0, 80)) : 'missing';
        diagnostics.push(diagnostic('W_EVENT_TYPE_INVALID', `recorded event type ${shown} is not a dotted event type name`, at));
        continue;
      }
      const data = Object.hasOwn(event, 'data') ? event.data : undefined;
      if (depthOf(data, MAX_DATA_DEPTH) > MAX_DATA_DEPTH) {
        bad(`its data is nested more than ${MAX_DATA_DEPTH} levels deep`);
        continue;
      }
      // Only a timestamp is taken from the line's own fields: it is shown in the catalog and JSDoc.
      const receivedAt =
        typeof value.receivedAt === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/.test(value.receivedAt)
          ? value.receivedAt
          : undefined;
      events.push({
        eventType: kind.type,
        envelope: kind.envelope,
        data,
        ...(receivedAt === undefined ? {} : { receivedAt }),
        source: at,
      });
      read++;
    }
    if (read === 0 && lines.some((l) => l.trim() !== ''))
      diagnostics.push(
        diagnostic('W_OBSERVED_EMPTY', 'no line of this file holds a usable recorded event', { file: file.path, line: 1 }),
      );
  }
  return { events, diagnostics };
}
