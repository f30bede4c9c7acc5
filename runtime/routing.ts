/**
 * The typed router, given the validation of a batch as a parameter (router.ts binds it to this
 * package's validators): every event is validated, then dispatched in order to the handler of its
 * event type. No event is dropped silently: each one reaches a handler, `onInvalid` or `onUnknown`,
 * or a log line (an invalid event's holds the whole event), or makes the request fail.
 */
import type { CloudEvent, EventGridEvent } from './envelopes.js';
import type { CloudEventOf, EventDataMap, EventGridEventOf, EventType } from './events.js';
import type { Envelope, EventGridForm, EventOutcome, ValidationError } from './validation.js';

/** An event as a handler receives it: the same fields whatever the envelope, `data` typed by event type. */
export interface RoutedEvent<T extends EventType = EventType> {
  envelope: Envelope;
  id: string;
  eventType: T;
  /** `subject` of either envelope. */
  subject: string | undefined;
  /** Event Grid `topic` or CloudEvents `source`. */
  source: string | undefined;
  /** Event Grid `eventTime` or CloudEvents `time` (RFC 3339). */
  time: string | undefined;
  /** The event's `data` (for a CloudEvent with `data_base64`, the decoded data). */
  data: EventDataMap[T];
  /** The event as received. */
  raw: EventGridEventOf<T> | CloudEventOf<T>;
}

export interface Logger {
  info(message: string): void;
  /** Events acknowledged without a handler of their own (unknown types); `info` when absent. */
  warn?(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface HandlerContext {
  /** Index of the event in its batch (0 for a single event). */
  index: number;
  log: Logger;
  /**
   * Aborted when the request has run out of time (the webhook's `timeoutMs`): the sender was answered
   * 500 and will deliver the batch again, so stop work that has not been committed.
   */
  signal: AbortSignal;
}

export type Handler<T extends EventType> = (
  event: RoutedEvent<T>,
  context: HandlerContext,
) => void | Promise<void>;

/**
 * One handler per event type; any subset of the documented types. Handlers are looked up as own
 * properties, so a type named like an Object.prototype member (`constructor`, `toString`) routes
 * like any other; write a type named `__proto__` as a computed key, `{ ['__proto__']: handler }`,
 * since `{ '__proto__': handler }` sets the object's prototype instead of a property.
 */
export type Handlers = { [T in EventType]?: Handler<T> };

/**
 * An Event Grid event subscription filter, with Event Grid's semantics: an event passes when its type
 * is one of `includedEventTypes` (all types when absent; compared without regard to case) and its
 * subject starts with `subjectBeginsWith` and ends with `subjectEndsWith` (empty or absent matches
 * all), compared without regard to case unless `isSubjectCaseSensitive`. No wildcards.
 * https://learn.microsoft.com/azure/event-grid/event-filtering
 */
export interface SubscriptionFilter {
  includedEventTypes?: readonly string[] | null;
  subjectBeginsWith?: string | null;
  subjectEndsWith?: string | null;
  isSubjectCaseSensitive?: boolean | null;
}

/** Whether an event with this type and subject passes `filter`. */
export function matchesFilter(
  filter: SubscriptionFilter,
  event: { eventType: string; subject?: string | undefined },
): boolean {
  const types = filter.includedEventTypes;
  if (types && types.length > 0 && !types.some((t) => t.toLowerCase() === event.eventType.toLowerCase()))
    return false;
  const fold = (s: string) => (filter.isSubjectCaseSensitive ? s : s.toLowerCase());
  const subject = fold(event.subject ?? '');
  if (filter.subjectBeginsWith && !subject.startsWith(fold(filter.subjectBeginsWith))) return false;
  if (filter.subjectEndsWith && !subject.endsWith(fold(filter.subjectEndsWith))) return false;
  return true;
}

export interface RouterOptions {
  /** Only events that pass it reach handlers; the others are acknowledged and counted as filtered. */
  filter?: SubscriptionFilter;
  /**
   * Called for each event that fails validation; the request is answered 200 and the valid events of
   * its batch are dispatched. Without it (and without `rejectInvalid`) each invalid event is logged
   * whole, with its errors, at error level, and acknowledged.
   */
  onInvalid?: (
    invalid: Extract<EventOutcome, { kind: 'invalid' }>,
    context: HandlerContext,
  ) => void | Promise<void>;
  /**
   * Reject a batch holding an invalid event whole, before any handler runs: the request answers 400,
   * which Event Grid never retries. It dead-letters the batch when the subscription has a dead-letter
   * destination, and drops it otherwise; every event of the batch is logged whole. Default false.
   */
  rejectInvalid?: boolean;
  /**
   * Reject a batch holding an event type the schemas do not know, before any handler runs (400, as
   * `rejectInvalid`). Default false: unknown events are acknowledged, and passed to `onUnknown` or logged.
   */
  rejectUnknownEventTypes?: boolean;
  /** Called for each well-formed event of a type the schemas do not know. Without it, each is logged (warn) with its type and id. */
  onUnknown?: (
    unknown: Extract<EventOutcome, { kind: 'unknown' }>,
    context: HandlerContext,
  ) => void | Promise<void>;
  /** How strictly to read Event Grid envelopes (see validators). Default "any". */
  form?: EventGridForm;
  /** Where the router logs. Default: the logger of the request (Azure Functions: its InvocationContext), else the console. */
  log?: Logger;
}

/** What happened to each event of a batch. */
export type Disposition =
  | { index: number; status: 'handled' | 'no-handler' | 'filtered'; eventType: string; id: string }
  | { index: number; status: 'unknown'; eventType: string; id: string }
  | { index: number; status: 'invalid'; errors: ValidationError[] }
  | { index: number; status: 'failed'; eventType: string; id: string; error: string }
  | { index: number; status: 'aborted'; eventType: string; id: string };

export interface DispatchReport {
  /** "rejected" when invalid (or, if asked, unknown) events stopped the batch before any handler ran. */
  outcome: 'dispatched' | 'rejected';
  events: Disposition[];
}

/** What one request gives its dispatch. */
export interface DispatchOptions {
  /** When aborted, no further handler starts; the events left are reported "aborted". */
  signal?: AbortSignal;
  /** The request's logger, used when the router was created without `log`. */
  log?: Logger;
}

export interface Router {
  /** Validates every event, then dispatches the valid ones in order. Never throws. */
  dispatch(events: readonly unknown[], options?: DispatchOptions): Promise<DispatchReport>;
  /** The logger given to createRouter, if any. */
  readonly log?: Logger | undefined;
}

/** Validates a batch; router.ts passes the package's `validateEvents`. */
export type ValidateEvents = (
  events: unknown,
  options: { form: EventGridForm },
) => { outcomes: EventOutcome[] };

export const consoleLogger: Logger = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
  error: (message, error) => (error === undefined ? console.error(message) : console.error(message, error)),
};

function routed(outcome: Extract<EventOutcome, { kind: 'valid' }>): RoutedEvent {
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

/** What was thrown, as text; never throws itself (a throwing `message` or `toString` included). */
function describe(error: unknown): string {
  try {
    const text = error instanceof Error ? error.message : String(error);
    return typeof text === 'string' ? text : 'unknown error';
  } catch {
    return 'unknown error';
  }
}

/** `event.id` as text, for reports; an unreadable id is "". */
function idOf(event: unknown): string {
  try {
    return String((event as { id?: unknown }).id);
  } catch {
    return '';
  }
}

/** The whole event as JSON, for a log line that must hold it; never throws. */
export function wholeEvent(event: unknown): string {
  try {
    return JSON.stringify(event) ?? String(event);
  } catch (error) {
    return `(cannot be written as JSON: ${describe(error)})`;
  }
}

/** Logs; a logger that throws must not turn a report into a rejection. */
function write(log: Logger, level: 'info' | 'warn' | 'error', message: string, error?: unknown): void {
  try {
    if (level === 'error') log.error(message, error);
    else if (level === 'warn' && log.warn) log.warn(message);
    else log.info(message);
  } catch {
    // nothing left to report it to
  }
}

const errorList = (errors: readonly ValidationError[]) =>
  errors
    .slice(0, 10)
    .map((e) => e.message)
    .join('; ') + (errors.length > 10 ? `; and ${errors.length - 10} more` : '');

/**
 * A typed router over `validate` (router.ts: `createRouter(handlers, options)`, bound to the package's
 * validators). Inside each handler `event.data` has the type of its event, with no cast.
 */
export function createRouterWith(
  validate: ValidateEvents,
  handlers: Handlers,
  options: RouterOptions = {},
): Router {
  const table = handlers as Record<string, Handler<EventType> | undefined>;

  /** The batch stopped whole, before any handler ran: every event logged whole, the reasons listed per index. */
  function reject(
    events: readonly unknown[],
    outcomes: readonly EventOutcome[],
    rejectUnknown: boolean,
    log: Logger,
  ): DispatchReport {
    const rejected: Disposition[] = [];
    for (let index = 0; index < outcomes.length; index++) {
      const o = outcomes[index] as EventOutcome;
      const event = Array.isArray(events) ? events[index] : events;
      if (o.kind === 'invalid') {
        rejected.push({ index, status: 'invalid', errors: o.errors });
        write(
          log,
          'error',
          `eventgen: rejected (400) invalid event ${index} (${errorList(o.errors)}): ${wholeEvent(event)}`,
        );
      } else if (o.kind === 'unknown' && rejectUnknown) {
        rejected.push({ index, status: 'unknown', eventType: o.eventType, id: idOf(o.event) });
        write(log, 'error', `eventgen: rejected (400) event ${index} of unknown type: ${wholeEvent(event)}`);
      } else {
        write(log, 'error', `eventgen: rejected (400) event ${index} with its batch: ${wholeEvent(event)}`);
      }
    }
    return { outcome: 'rejected', events: rejected };
  }

  return {
    log: options.log,
    async dispatch(events, call = {}) {
      const log = options.log ?? call.log ?? consoleLogger;
      const signal = call.signal ?? new AbortController().signal;
      const { filter, onInvalid, onUnknown } = options;
      const rejectInvalid = options.rejectInvalid ?? false;
      const rejectUnknown = options.rejectUnknownEventTypes ?? false;
      const outcomes = validate(events, { form: options.form ?? 'any' }).outcomes;
      const count = outcomes.length;
      if (rejectInvalid || rejectUnknown) {
        for (let index = 0; index < count; index++) {
          const kind = (outcomes[index] as EventOutcome).kind;
          if ((kind === 'invalid' && rejectInvalid) || (kind === 'unknown' && rejectUnknown))
            return reject(events, outcomes, rejectUnknown, log);
        }
      }

      // One pass over the outcomes; a handler's result is awaited only when it is a promise.
      const report: Disposition[] = [];
      for (let index = 0; index < count; index++) {
        const outcome = outcomes[index] as EventOutcome;
        if (signal.aborted) {
          if (outcome.kind === 'invalid') report.push({ index, status: 'invalid', errors: outcome.errors });
          else
            report.push({ index, status: 'aborted', eventType: outcome.eventType, id: idOf(outcome.event) });
          continue;
        }
        try {
          if (outcome.kind === 'valid') {
            const event = routed(outcome);
            const { eventType, id } = event;
            const handler = Object.hasOwn(table, eventType) ? table[eventType] : undefined;
            if (filter && !matchesFilter(filter, event))
              report.push({ index, eventType, id, status: 'filtered' });
            else if (!handler) {
              write(
                log,
                'info',
                `eventgen: no handler for ${eventType} event ${JSON.stringify(id)}: acknowledged`,
              );
              report.push({ index, eventType, id, status: 'no-handler' });
            } else {
              const result = handler(event, { index, log, signal });
              if (isThenable(result)) await result;
              report.push({ index, eventType, id, status: 'handled' });
            }
          } else if (outcome.kind === 'invalid') {
            if (onInvalid) {
              const result = onInvalid(outcome, { index, log, signal });
              if (isThenable(result)) await result;
            } else {
              const event = Array.isArray(events) ? events[index] : events;
              write(
                log,
                'error',
                `eventgen: invalid event ${index} acknowledged, not handled (${errorList(outcome.errors)}): ${wholeEvent(event)}`,
              );
            }
            report.push({ index, status: 'invalid', errors: outcome.errors });
          } else {
            const id = idOf(outcome.event);
            if (onUnknown) {
              const result = onUnknown(outcome, { index, log, signal });
              if (isThenable(result)) await result;
            } else {
              const type = JSON.stringify(outcome.eventType.slice(0, 200));
              write(
                log,
                'warn',
                `eventgen: event ${JSON.stringify(id)} of unknown type ${type} acknowledged, not handled`,
              );
            }
            report.push({ index, status: 'unknown', eventType: outcome.eventType, id });
          }
        } catch (error) {
          write(log, 'error', `eventgen: handler failed for event ${index}`, error);
          const eventType = outcome.kind === 'invalid' ? String(outcome.eventType) : outcome.eventType;
          const id = outcome.kind === 'invalid' ? '' : idOf(outcome.event);
          report.push({ index, status: 'failed', eventType, id, error: describe(error) });
        }
      }
      return { outcome: 'dispatched', events: report };
    },
  };
}
