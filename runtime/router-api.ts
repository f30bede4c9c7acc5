/**
 * What a router is, as its users and the webhook see it: the event a handler receives, the handlers, the router's
 * options, what a dispatch reports, and the router itself. router-core.ts makes routers; dispatch.ts runs them.
 */

import type { CloudEventOf, EventDataMap, EventGridEventOf, EventType } from './events.js';
import type { SubscriptionFilter } from './subscription-filter.js';
import type { TimeLimit } from './time-limit.js';
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
   * 500 and will deliver the batch again, so stop work that has not been committed. One signal per request,
   * made when a handler first reads it (an accessor of the context, not an own property).
   */
  readonly signal: AbortSignal;
}

export type Handler<T extends EventType> = (
  event: RoutedEvent<T>,
  context: HandlerContext,
) => void | Promise<void>;

/**
 * One handler per event type; any subset of the documented types. The router reads them once, when it
 * is made, as own properties, so a type named like an Object.prototype member (`constructor`,
 * `toString`) routes like any other; write a type named `__proto__` as a computed key,
 * `{ ['__proto__']: handler }`, since `{ '__proto__': handler }` sets the object's prototype instead
 * of a property.
 */
export type Handlers = { [T in EventType]?: Handler<T> };

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
  /**
   * Where the router logs. Default: the logger of the request (Azure Functions: its InvocationContext), else the console.
   * Every message the router writes, and every message a handler writes through `context.log`, has its control
   * characters escaped (`\n` as the two characters `\` `n`, others as `\u001b`): text from a request cannot break a
   * line or forge one.
   */
  log?: Logger;
  /**
   * The most events of one dispatch given a log line of their own (an invalid event logged whole, an unknown type, an
   * event without a handler, a handler's failure, an event of a rejected batch). Past it the events are only counted,
   * and one summary line at the end of the dispatch gives the counts: a request of many small invalid events cannot
   * flood the log. Default 10; `Infinity` logs every event. To keep every invalid event, take them with `onInvalid`.
   */
  eventLogLimit?: number;
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
  /** In a rejected batch: the indices of events of an unknown type that did not stop it (not in `events`). */
  unknown?: number[];
}

/** What one request gives its dispatch. */
export interface DispatchOptions {
  /** When aborted, no further handler starts; the events left are reported "aborted". */
  signal?: AbortSignal;
  /**
   * The request's time limit (the webhook gives one): taken instead of `signal` by a router made here, which
   * then makes no AbortSignal unless a handler reads `context.signal`, and starts its timer only to wait for a
   * handler's promise.
   */
  limit?: TimeLimit;
  /** The request's logger, used when the router was created without `log`. */
  log?: Logger;
}

export interface Router {
  /**
   * Validates each event and dispatches the valid ones in order (with `rejectInvalid` or `rejectUnknownEventTypes`,
   * every event is validated before any handler runs). Never throws.
   */
  dispatch(events: readonly unknown[], options?: DispatchOptions): Promise<DispatchReport>;
  /** The logger given to createRouter, if any. */
  readonly log?: Logger | undefined;
}

/**
 * Where a `validateEvents` keeps its validation one event at a time (validation.ts's EVENT_BY_EVENT: the same key, from
 * the symbol registry, so that the router does not import validation.ts).
 */
export const EVENT_BY_EVENT = Symbol.for('eventgen.validateEvents.eventByEvent');

/** The default of {@link RouterOptions.eventLogLimit}. */
export const DEFAULT_EVENT_LOG_LIMIT = 10;

/** Validates a batch; router.ts passes the package's `validateEvents`. */
export type ValidateEvents = (
  events: unknown,
  options: { form: EventGridForm },
) => { outcomes: EventOutcome[] };

/**
 * The dispatch of a router made by {@link createRouterWith} that answers at once, without a promise, when no handler
 * returned one: the webhook's core calls it (a promise and its turn of the event loop per request saved).
 */
export const DISPATCH_NOW: unique symbol = Symbol('eventgen.dispatchNow');

/** A router made here: its dispatch, and the same without a promise when nothing was waited for. */
export interface NowRouter extends Router {
  [DISPATCH_NOW](
    events: readonly unknown[],
    options?: DispatchOptions,
  ): DispatchReport | Promise<DispatchReport>;
}
