/**
 * One dispatch of a router made by router-core.ts: each event of a batch, validated, goes to the handler of its type,
 * `onInvalid` or `onUnknown`, or to a log line, in order; a handler's promise is waited for before the next event, and
 * only a promise is. A batch rejected whole (`rejectInvalid`, `rejectUnknownEventTypes`) runs no handler.
 */
import type { CloudEvent, EventGridEvent } from './envelopes.js';
import type { EventType } from './events.js';
import { describe, errorList, type LineKind, Lines, wholeEvent, write } from './logging.js';
import type {
  DispatchReport,
  Disposition,
  Handler,
  Logger,
  RoutedEvent,
  RouterOptions,
} from './router-api.js';
import { matchesFilter, type SubscriptionFilter } from './subscription-filter.js';
import { type Clock, Context } from './time-limit.js';
import type { EventByEvent, EventGridForm, EventOutcome } from './validation.js';

/** What a router knows for every dispatch: its handlers by event type, its filter and callbacks, its line limit. */
export interface Routes {
  readonly table: ReadonlyMap<string, Handler<EventType> | undefined>;
  readonly filter: SubscriptionFilter | undefined;
  readonly onInvalid: RouterOptions['onInvalid'];
  readonly onUnknown: RouterOptions['onUnknown'];
  /** The most events given a line of their own ({@link RouterOptions.eventLogLimit}). */
  readonly lineLimit: number;
}

/** One dispatch: its batch, the outcomes of its validation, and the report being filled in. */
export interface Run {
  readonly routes: Routes;
  readonly events: readonly unknown[];
  /** The outcome of every event, validated before any handler ran; undefined when each is validated as it comes. */
  readonly outcomes: readonly EventOutcome[] | undefined;
  /** How many events the batch has. */
  readonly count: number;
  /** Validates the event at an index (when `outcomes` is undefined). */
  readonly each: EventByEvent | undefined;
  readonly form: { form: EventGridForm };
  readonly log: Logger;
  readonly clock: Clock;
  readonly report: Disposition[];
  /** The per-event lines of this dispatch, counted; made with the first one. */
  lines: Lines | undefined;
}

type Valid = Extract<EventOutcome, { kind: 'valid' }>;
type Invalid = Extract<EventOutcome, { kind: 'invalid' }>;
type Unknown = Extract<EventOutcome, { kind: 'unknown' }>;

/** A valid event as its handler receives it. */
function routed(outcome: Valid): RoutedEvent {
  const raw = outcome.event as EventGridEvent & CloudEvent;
  const eg = outcome.envelope === 'eventgrid';
  return {
    envelope: outcome.envelope,
    id: raw.id,
    eventType: outcome.eventType,
    subject: raw.subject,
    source: eg ? raw.topic : raw.source,
    time: eg ? raw.eventTime : raw.time,
    data: outcome.data as never,
    raw: outcome.event as never,
  };
}

/** Whether a handler returned a promise: only those are awaited, as each await costs a turn of the event loop. */
function isThenable(result: unknown): result is PromiseLike<void> {
  return typeof (result as PromiseLike<void> | undefined)?.then === 'function';
}

/** `event.id` as text, for reports; an unreadable id is "". */
function idOf(event: unknown): string {
  try {
    return String((event as { id?: unknown }).id);
  } catch {
    return '';
  }
}

/** The event at `index` of a batch (the batch itself when it is not an array), for a log line; never throws. */
function eventAt(events: unknown, index: number): unknown {
  try {
    return Array.isArray(events) ? events[index] : events;
  } catch (error) {
    return `(cannot be read: ${describe(error)})`;
  }
}

/** Whether a line about one more event of `run` may be written (else it is counted for the summary). */
function mayLog(run: Run, kind: LineKind): boolean {
  run.lines ??= new Lines(run.routes.lineLimit);
  return run.lines.take(kind);
}

/** A handler's promise being waited for, and what its event's disposition is once it resolves. */
export interface Pending {
  readonly index: number;
  readonly outcome: EventOutcome;
  readonly promise: PromiseLike<void>;
  readonly done: Disposition;
}

/** A handler returned `promise`: the clock's timer starts (the time can run out while it is waited for). */
function pending(
  clock: Clock,
  index: number,
  outcome: EventOutcome,
  promise: PromiseLike<void>,
  done: Disposition,
): Pending {
  clock.wait();
  return { index, outcome, promise, done };
}

/** The disposition of an event whose handler (or onInvalid, onUnknown) threw or rejected; the error logged. */
function failure(run: Run, index: number, outcome: EventOutcome, error: unknown): Disposition {
  if (mayLog(run, 'failed')) write(run.log, 'error', `eventgen: handler failed for event ${index}`, error);
  const eventType = outcome.kind === 'invalid' ? String(outcome.eventType) : outcome.eventType;
  const id = outcome.kind === 'invalid' ? '' : idOf(outcome.event);
  return { index, status: 'failed', eventType, id, error: describe(error) };
}

/** The event at `index` when the time is up: not run (an invalid event is still reported invalid). */
function unrun(index: number, outcome: EventOutcome): Disposition {
  if (outcome.kind === 'invalid') return { index, status: 'invalid', errors: outcome.errors };
  return { index, status: 'aborted', eventType: outcome.eventType, id: idOf(outcome.event) };
}

/** A valid event to the handler of its type (unless the filter stops it); its promise, if the handler returns one. */
function toHandler(run: Run, index: number, outcome: Valid): Pending | undefined {
  const event = routed(outcome);
  const { eventType, id } = event;
  const { table, filter } = run.routes;
  const handler = table.get(eventType);
  if (filter && !matchesFilter(filter, event)) {
    run.report.push({ index, eventType, id, status: 'filtered' });
    return undefined;
  }
  if (!handler) {
    if (mayLog(run, 'no handler'))
      write(
        run.log,
        'info',
        `eventgen: no handler for ${eventType} event ${JSON.stringify(id)}: acknowledged`,
      );
    run.report.push({ index, eventType, id, status: 'no-handler' });
    return undefined;
  }
  const result = handler(event, new Context(index, run.log, run.clock));
  const done: Disposition = { index, eventType, id, status: 'handled' };
  if (isThenable(result)) return pending(run.clock, index, outcome, result, done);
  run.report.push(done);
  return undefined;
}

/** An invalid event to `onInvalid`, else to a log line that holds it whole. */
function toOnInvalid(run: Run, index: number, outcome: Invalid): Pending | undefined {
  const done: Disposition = { index, status: 'invalid', errors: outcome.errors };
  const onInvalid = run.routes.onInvalid;
  if (onInvalid) {
    const result = onInvalid(outcome, new Context(index, run.log, run.clock));
    if (isThenable(result)) return pending(run.clock, index, outcome, result, done);
  } else if (mayLog(run, 'invalid')) {
    const event = eventAt(run.events, index);
    write(
      run.log,
      'error',
      `eventgen: invalid event ${index} acknowledged, not handled (${errorList(outcome.errors)}): ${wholeEvent(event)}`,
    );
  }
  run.report.push(done);
  return undefined;
}

/** An event of a type the schemas do not know to `onUnknown`, else to a log line. */
function toOnUnknown(run: Run, index: number, outcome: Unknown): Pending | undefined {
  const id = idOf(outcome.event);
  const done: Disposition = { index, status: 'unknown', eventType: outcome.eventType, id };
  const onUnknown = run.routes.onUnknown;
  if (onUnknown) {
    const result = onUnknown(outcome, new Context(index, run.log, run.clock));
    if (isThenable(result)) return pending(run.clock, index, outcome, result, done);
  } else if (mayLog(run, 'unknown')) {
    const type = JSON.stringify(outcome.eventType.slice(0, 200));
    write(
      run.log,
      'warn',
      `eventgen: event ${JSON.stringify(id)} of unknown type ${type} acknowledged, not handled`,
    );
  }
  run.report.push(done);
  return undefined;
}

/** Dispatches from event `from` on, without waiting, until a handler returns a promise: then that promise. */
export function step(run: Run, from: number): Pending | undefined {
  const { events, outcomes, count, each, form, clock, report } = run;
  for (let index = from; index < count; index++) {
    const outcome =
      outcomes === undefined
        ? (each as EventByEvent).at(events, index, form)
        : (outcomes[index] as EventOutcome);
    if (clock.expired) {
      report.push(unrun(index, outcome));
      continue;
    }
    try {
      const waiting =
        outcome.kind === 'valid'
          ? toHandler(run, index, outcome)
          : outcome.kind === 'invalid'
            ? toOnInvalid(run, index, outcome)
            : toOnUnknown(run, index, outcome);
      if (waiting !== undefined) return waiting;
    } catch (error) {
      report.push(failure(run, index, outcome, error));
    }
  }
  return undefined;
}

/** The rest of a dispatch once a handler returned a promise: each such promise waited for, in order. */
export async function finish(run: Run, first: Pending): Promise<DispatchReport> {
  let next: Pending | undefined = first;
  while (next !== undefined) {
    try {
      await next.promise;
      run.report.push(next.done);
    } catch (error) {
      run.report.push(failure(run, next.index, next.outcome, error));
    }
    next = step(run, next.index + 1);
  }
  run.lines?.summarise(run.log, run.count);
  return { outcome: 'dispatched', events: run.report };
}

/** The report of a whole dispatch: at once when no handler returned a promise. */
export function runAll(run: Run): DispatchReport | Promise<DispatchReport> {
  // A handler's result is waited for only when it is a promise.
  const first = step(run, 0);
  if (first !== undefined) return finish(run, first);
  run.lines?.summarise(run.log, run.count);
  return { outcome: 'dispatched', events: run.report };
}

/** Whether the outcomes hold an event that stops the batch whole (invalid, or unknown, as asked). */
export function stopsBatch(
  outcomes: readonly EventOutcome[],
  rejectInvalid: boolean,
  rejectUnknown: boolean,
): boolean {
  if (!rejectInvalid && !rejectUnknown) return false;
  for (const outcome of outcomes) {
    if ((outcome.kind === 'invalid' && rejectInvalid) || (outcome.kind === 'unknown' && rejectUnknown))
      return true;
  }
  return false;
}

/** Why an event stops its batch (listed in the 400 answer), or undefined when it goes down with it. */
function stopping(outcome: EventOutcome, index: number, rejectUnknown: boolean): Disposition | undefined {
  if (outcome.kind === 'invalid') return { index, status: 'invalid', errors: outcome.errors };
  if (outcome.kind === 'unknown' && rejectUnknown)
    return { index, status: 'unknown', eventType: outcome.eventType, id: idOf(outcome.event) };
  return undefined;
}

/** The log line of an event of a rejected batch, which holds the event whole. */
function rejectedLine(
  kind: LineKind,
  index: number,
  outcome: EventOutcome,
  events: readonly unknown[],
): string {
  const event = wholeEvent(eventAt(events, index));
  if (kind === 'invalid' && outcome.kind === 'invalid')
    return `eventgen: rejected (400) invalid event ${index} (${errorList(outcome.errors)}): ${event}`;
  if (kind === 'unknown') return `eventgen: rejected (400) event ${index} of unknown type: ${event}`;
  return `eventgen: rejected (400) event ${index} with its batch: ${event}`;
}

/**
 * The batch stopped whole, before any handler ran: the reasons listed per index, each event logged whole (up to the
 * `eventLogLimit`, the rest counted in one line).
 */
export function reject(
  events: readonly unknown[],
  outcomes: readonly EventOutcome[],
  rejectUnknown: boolean,
  log: Logger,
  lineLimit: number,
): DispatchReport {
  const rejected: Disposition[] = [];
  const unknown: number[] = [];
  const lines = new Lines(lineLimit);
  for (let index = 0; index < outcomes.length; index++) {
    const outcome = outcomes[index] as EventOutcome;
    const reason = stopping(outcome, index, rejectUnknown);
    if (reason !== undefined) rejected.push(reason);
    else if (outcome.kind === 'unknown') unknown.push(index);
    const kind: LineKind =
      reason === undefined ? 'rejected' : reason.status === 'invalid' ? 'invalid' : 'unknown';
    if (lines.take(kind)) write(log, 'error', rejectedLine(kind, index, outcome, events));
  }
  lines.summarise(log, outcomes.length);
  return unknown.length > 0
    ? { outcome: 'rejected', events: rejected, unknown }
    : { outcome: 'rejected', events: rejected };
}
