import type { CloudEvent, EventGridEvent } from './envelopes.js';
import type { CloudEventOf, EventDataMap, EventGridEventOf, EventType } from './events.js';
import {
  type Envelope,
  type EventGridForm,
  type EventOutcome,
  type ValidationError,
  validateEvents,
} from './validators.js';

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
  data: EventDataMap[T];
  /** The event as received. */
  raw: EventGridEventOf<T> | CloudEventOf<T>;
}

export interface Logger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface HandlerContext {
  /** Index of the event in its batch (0 for a single event). */
  index: number;
  log: Logger;
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
   * Called for each invalid event of a batch. Without it, a batch holding an invalid event is
   * rejected whole and no handler runs (the request answers 400: Event Grid dead-letters, no retry).
   * With it, the valid events are dispatched and the invalid ones are yours.
   */
  onInvalid?: (
    invalid: Extract<EventOutcome, { kind: 'invalid' }>,
    context: HandlerContext,
  ) => void | Promise<void>;
  /**
   * Reject a batch holding an event type the schemas do not know, before any handler runs
   * (the request answers 400). Default false: unknown events are acknowledged and passed to `onUnknown`.
   */
  rejectUnknownEventTypes?: boolean;
  /** Called for each well-formed event of a type the schemas do not know. */
  onUnknown?: (
    unknown: Extract<EventOutcome, { kind: 'unknown' }>,
    context: HandlerContext,
  ) => void | Promise<void>;
  /** How strictly to read Event Grid envelopes (see validators). Default "any". */
  form?: EventGridForm;
  log?: Logger;
}

/** What happened to each event of a batch. */
export type Disposition =
  | { index: number; status: 'handled' | 'no-handler' | 'filtered'; eventType: string; id: string }
  | { index: number; status: 'unknown'; eventType: string; id: string }
  | { index: number; status: 'invalid'; errors: ValidationError[] }
  | { index: number; status: 'failed'; eventType: string; id: string; error: string };

export interface DispatchReport {
  /** "rejected" when invalid events stopped the batch before any handler ran. */
  outcome: 'dispatched' | 'rejected';
  events: Disposition[];
}

export interface Router {
  /** Validates every event, then dispatches the valid ones in order. Never throws. */
  dispatch(events: readonly unknown[]): Promise<DispatchReport>;
  readonly log: Logger;
}

const consoleLogger: Logger = {
  info: (message) => console.info(message),
  error: (message, error) => console.error(message, error),
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
    data: raw.data as never,
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

/** Logs an error; a logger that throws must not turn a report into a rejection. */
function logError(log: Logger, message: string, error: unknown): void {
  try {
    log.error(message, error);
  } catch {
    // nothing left to report it to
  }
}

/**
 * A typed router: `createRouter({ 'Microsoft.Communication.SMSReceived': (event) => event.data.From })`.
 * Inside each handler `event.data` has the type of its event, with no cast.
 */
export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  const log = options.log ?? consoleLogger;
  const table = handlers as Record<string, Handler<EventType> | undefined>;
  return {
    log,
    async dispatch(events) {
      const outcomes = validateEvents(events, { form: options.form ?? 'any' }).outcomes;
      const invalid = outcomes.flatMap((o, index) =>
        o.kind === 'invalid' ? [{ index, status: 'invalid' as const, errors: o.errors }] : [],
      );
      if (invalid.length > 0 && !options.onInvalid) return { outcome: 'rejected', events: invalid };
      if (options.rejectUnknownEventTypes && outcomes.some((o) => o.kind === 'unknown')) {
        const unknown = outcomes.flatMap((o, index) =>
          o.kind === 'unknown'
            ? [{ index, status: 'unknown' as const, eventType: o.eventType, id: idOf(o.event) }]
            : [],
        );
        return { outcome: 'rejected', events: unknown };
      }

      const report: Disposition[] = [];
      for (const [index, outcome] of outcomes.entries()) {
        const context: HandlerContext = { index, log };
        try {
          if (outcome.kind === 'invalid') {
            const result = options.onInvalid?.(outcome, context);
            if (isThenable(result)) await result;
            report.push({ index, status: 'invalid', errors: outcome.errors });
          } else if (outcome.kind === 'unknown') {
            const result = options.onUnknown?.(outcome, context);
            if (isThenable(result)) await result;
            report.push({
              index,
              status: 'unknown',
              eventType: outcome.eventType,
              id: idOf(outcome.event),
            });
          } else {
            const event = routed(outcome);
            const base = { index, eventType: event.eventType, id: event.id };
            const handler = Object.hasOwn(table, event.eventType) ? table[event.eventType] : undefined;
            if (options.filter && !matchesFilter(options.filter, event))
              report.push({ ...base, status: 'filtered' });
            else if (!handler) report.push({ ...base, status: 'no-handler' });
            else {
              const result = handler(event, context);
              if (isThenable(result)) await result;
              report.push({ ...base, status: 'handled' });
            }
          }
        } catch (error) {
          logError(log, `eventgen: handler failed for event ${index}`, error);
          const eventType = outcome.kind === 'invalid' ? String(outcome.eventType) : outcome.eventType;
          const id = outcome.kind === 'invalid' ? '' : idOf(outcome.event);
          report.push({ index, status: 'failed', eventType, id, error: describe(error) });
        }
      }
      return { outcome: 'dispatched', events: report };
    },
  };
}
