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
      // The last line of a file (before its final line break) may be cut short when the recorder stopped.
      const last = i === lines.length - 1 || (i === lines.length - 2 && lines[i + 1] === '');
      const line = recordedLine(text, { file: file.path, line: i + 1 }, last);
      if (line.ok) {
        events.push(line.event);
        read++;
      } else diagnostics.push(line.diagnostic);
    }
    if (read === 0 && lines.some((l) => l.trim() !== '')) {
      diagnostics.push(
        diagnostic('W_OBSERVED_EMPTY', 'no line of this file holds a usable recorded event', { file: file.path, line: 1 }),
      );
    }
  }
  return { events, diagnostics };
}

type LineRead = { readonly ok: true; readonly event: ObservedEvent } | { readonly ok: false; readonly diagnostic: Diagnostic };

const unusable = (message: string, at: Location): LineRead => ({
  ok: false,
  diagnostic: diagnostic('W_OBSERVED_LINE', message, at),
});

/** The recorded event one non-empty line holds, or why it holds none. */
function recordedLine(text: string, at: Location, last: boolean): LineRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const cut = last ? '; the last line, probably cut short when the recorder stopped' : '';
    return unusable(`not JSON (${(error as Error).message})${cut}`, at);
  }
  if (!isObject(value)) return unusable('not a JSON object: each line holds one recorded event', at);
  const event = eventOf(value);
  if (!isObject(event)) return unusable('its "event" is not a JSON object', at);
  const kind = envelopeOf(event);
  if (kind === undefined)
    return unusable('neither an Event Grid event (eventType) nor a CloudEvent (specversion, type, source)', at);
  if (typeof kind.type !== 'string' || !isEventType(kind.type)) {
    const shown = typeof kind.type === 'string' ? JSON.stringify(kind.type.slice(0, 80)) : 'missing';
    const message = `recorded event type ${shown} is not a dotted event type name`;
    return { ok: false, diagnostic: diagnostic('W_EVENT_TYPE_INVALID', message, at) };
  }
  const data = Object.hasOwn(event, 'data') ? event.data : undefined;
  if (depthOf(data, MAX_DATA_DEPTH) > MAX_DATA_DEPTH)
    return unusable(`its data is nested more than ${MAX_DATA_DEPTH} levels deep`, at);
  const receivedAt = receivedAtOf(value);
  return {
    ok: true,
    event: {
      eventType: kind.type,
      envelope: kind.envelope,
      data,
      ...(receivedAt === undefined ? {} : { receivedAt }),
      source: at,
    },
  };
}

/** The line's `receivedAt` when it is an ISO 8601 UTC timestamp: the one field taken from the recorder's wrapper (the catalog and JSDoc show it). */
function receivedAtOf(line: Record<string, unknown>): string | undefined {
  const { receivedAt } = line;
  return typeof receivedAt === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/.test(receivedAt)
    ? receivedAt
    : undefined;
}
