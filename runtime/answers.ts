/**
 * The webhook's answers as plain data (status, headers, body): what a `Response` of the Fetch API handler holds, and
 * what the node:http adapter writes as it is. Status codes: see webhook.ts.
 */
import { escapeControls } from './logging.js';
import type { DispatchReport, Disposition, Logger } from './router-api.js';

/** The answer of {@link createWebhookCore}: what a `Response` of the Fetch API handler would hold. */
export interface Answer {
  readonly status: number;
  /** Lower-case names in sorted order, as `Response.headers` lists them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
});

/** Header names in the order `Response.headers` lists them. */
function sorted(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function json(status: number, body: unknown, extra?: Record<string, string>): Answer {
  return {
    status,
    headers:
      extra === undefined
        ? JSON_HEADERS
        : sorted({ 'content-type': JSON_HEADERS['content-type'] as string, ...extra }),
    body: JSON.stringify(body),
  };
}

/** The most events a 400 answer lists, and the most errors it lists per event: its size stays bounded. */
const LISTED_EVENTS = 100;
const LISTED_ERRORS = 10;

/**
 * The 400 answer to a rejected batch: the reasons per index, the first {@link LISTED_EVENTS} events with at most
 * {@link LISTED_ERRORS} errors each (`omitted`, `omittedErrors`: how many more), so that a request of many small invalid
 * events is not answered with a body many times its size.
 */
export function rejection(events: readonly Disposition[]): Answer {
  const listed = events
    .slice(0, LISTED_EVENTS)
    .map((e) =>
      e.status === 'invalid' && e.errors.length > LISTED_ERRORS
        ? { ...e, errors: e.errors.slice(0, LISTED_ERRORS), omittedErrors: e.errors.length - LISTED_ERRORS }
        : e,
    );
  const omitted = events.length - listed.length;
  return json(400, { error: 'invalid events', events: listed, ...(omitted > 0 ? { omitted } : {}) });
}

/** The answer to a failure of the webhook's own (a throwing header, logger or router): 500, logged. */
export function failure(log: Logger, error: unknown): Answer {
  note(log, 'error', 'eventgen: webhook failed', error);
  return json(500, { error: 'internal error' });
}

/** Writes a line, its control characters escaped; a failing logger must not turn the answer into a rejection. */
export function note(log: Logger, level: 'info' | 'warn' | 'error', message: string, error?: unknown): void {
  try {
    const line = escapeControls(message);
    if (level === 'error') log.error(line, error);
    else if (level === 'warn' && log.warn) log.warn(line);
    else log.info(line);
  } catch {
    // nothing left to report it to
  }
}

/** An answer with no handler's failure in it: 200 with the counts of what became of the events. */
function counted(received: number, dispositions: readonly Disposition[]): Answer {
  let handled = 0;
  let filtered = 0;
  let unhandled = 0;
  let unknown = 0;
  let invalid = 0;
  for (let i = 0; i < dispositions.length; i++) {
    switch ((dispositions[i] as Disposition).status) {
      case 'handled':
        handled++;
        break;
      case 'filtered':
        filtered++;
        break;
      case 'no-handler':
        unhandled++;
        break;
      case 'unknown':
        unknown++;
        break;
      case 'invalid':
        invalid++;
        break;
    }
  }
  // JSON.stringify of { received, handled, filtered, unhandled, unknown, invalid }: integers only.
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: `{"received":${received},"handled":${handled},"filtered":${filtered},"unhandled":${unhandled},"unknown":${unknown},"invalid":${invalid}}`,
  };
}

/** The answer to a dispatch's report: 400 for a rejected batch, 500 when a handler failed, else 200 with the counts. */
export function reported(received: number, report: DispatchReport): Answer {
  if (report.outcome === 'rejected') return rejection(report.events);
  const dispositions = report.events;
  let failed: { index: number; status: 'failed'; eventType: string; id: string }[] | undefined;
  for (let i = 0; i < dispositions.length; i++) {
    const e = dispositions[i] as Disposition;
    // The error itself is logged, never sent: it may hold anything.
    if (e.status !== 'failed') continue;
    failed ??= [];
    failed.push({ index: e.index, status: e.status, eventType: e.eventType, id: e.id });
  }
  if (failed !== undefined)
    return json(500, { error: 'a handler failed; Event Grid will retry', events: failed });
  return counted(received, dispositions);
}
