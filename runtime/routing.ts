/**
 * The typed router, given the validation of a batch as a parameter (router.ts binds it to this
 * package's validators): every event is validated, then dispatched in order to the handler of its
 * event type. No event is dropped silently: each one reaches a handler, `onInvalid` or `onUnknown`,
 * or a log line (an invalid event's holds the whole event), or makes the request fail.
 */
import type { CloudEvent, EventGridEvent } from './envelopes.js';
import type { CloudEventOf, EventDataMap, EventGridEventOf, EventType } from './events.js';
import type { Envelope, EventByEvent, EventGridForm, EventOutcome, ValidationError } from './validation.js';

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

/**
 * The time a request's handlers have, counted from when it is made: once it is up, no further handler starts
 * and `signal` is aborted. Cheap when nothing waits: the AbortSignal (microseconds to make on Node.js, more than
 * checking ten events) is made only when read, and the timer only when a router made here is about to wait for a
 * handler's promise ({@link TimeLimit.wait}), set for the time left, so time spent in synchronous handlers counts
 * too. A dispatch that never waits is over before its time could run out: no timer's callback could run meanwhile.
 */
export class TimeLimit {
  readonly #ms: number;
  readonly #started: number;
  readonly #reason: () => unknown;
  #expired = false;
  #watched = false;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expiry: Promise<'expired'> | undefined;
  #expire: ((expired: 'expired') => void) | undefined;

  /** `ms` milliseconds from now (Infinity: no limit); `reason()` is the abort reason of `signal` once the time is up. */
  constructor(ms: number, reason: () => unknown = () => new Error(`time limit of ${ms} ms reached`)) {
    this.#ms = ms;
    this.#reason = reason;
    this.#started = Number.isFinite(ms) ? performance.now() : 0;
  }

  /** Whether the time is up; no further handler starts then. */
  get expired(): boolean {
    return this.#expired;
  }

  /** Aborted once the time is up (made on first read, already aborted when the time is up by then). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#expired) this.#controller.abort(this.#reason());
    }
    return this.#controller.signal;
  }

  /** Whether a router made by createRouterWith took this limit: it calls `wait` before it waits for a handler. */
  get watched(): boolean {
    return this.#watched;
  }

  /** Said by a router made by createRouterWith when it takes this limit. */
  watch(): void {
    this.#watched = true;
  }

  /** Whether the timer runs (something is waited for, so the time can run out). */
  get waiting(): boolean {
    return this.#timer !== undefined;
  }

  /** Starts the timer for the time left (at once when it is already up), unless it runs, has run out or has no limit. */
  wait(): void {
    if (this.#timer !== undefined || this.#expired || !Number.isFinite(this.#ms)) return;
    const left = this.#ms - (performance.now() - this.#started);
    this.#timer = setTimeout(() => this.#end(), left > 0 ? left : 0);
  }

  /** Resolves "expired" once the time is up (never, when it has no limit). */
  expiry(): Promise<'expired'> {
    this.#expiry ??= this.#expired
      ? Promise.resolve('expired')
      : new Promise<'expired'>((resolve) => {
          this.#expire = resolve;
        });
    return this.#expiry;
  }

  /** Stops the timer: nothing is waited for any more. */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  #end(): void {
    this.#expired = true;
    this.#controller?.abort(this.#reason());
    this.#expire?.('expired');
  }
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
const EVENT_BY_EVENT = Symbol.for('eventgen.validateEvents.eventByEvent');

/** The default of {@link RouterOptions.eventLogLimit}. */
export const DEFAULT_EVENT_LOG_LIMIT = 10;

/** Validates a batch; router.ts passes the package's `validateEvents`. */
export type ValidateEvents = (
  events: unknown,
  options: { form: EventGridForm },
) => { outcomes: EventOutcome[] };

/**
 * C0 and C1 control characters (CR, LF, ESC, …), DEL and the Unicode line and paragraph separators: what can end a
 * log line early, start a forged one, or drive a terminal.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character escaped (`\n`, `\r`, `\t`, else `\u001b`), so it stays one log line. */
export function escapeControls(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROLS, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Marks a logger that escapes its messages itself. */
const ESCAPING = Symbol('eventgen.escapingLogger');
type Marked = Logger & { [ESCAPING]?: true };

/**
 * `log` with the control characters of every message escaped ({@link escapeControls}); an error object is passed on as
 * it is, for the logger to serialise. A logger made here (the console's, or one already wrapped) is returned as it is.
 */
export function escapingLogger(log: Logger): Logger {
  if ((log as Marked)[ESCAPING]) return log;
  const wrapped: Marked = {
    [ESCAPING]: true,
    info: (message) => log.info(escapeControls(message)),
    error: (message, error) => log.error(escapeControls(message), error),
  };
  if (log.warn)
    wrapped.warn = (message) => (log.warn as (message: string) => void).call(log, escapeControls(message));
  return wrapped;
}

/** An error as one line of text: its stack (else its name and message) and its causes, control characters escaped. */
function errorLine(error: unknown, depth = 0): string {
  try {
    let text: string;
    if (error instanceof Error) {
      text = typeof error.stack === 'string' ? error.stack : `${error.name}: ${error.message}`;
      if (error.cause !== undefined && depth < 3) text += ` [cause] ${errorLine(error.cause, depth + 1)}`;
    } else text = typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
    return escapeControls(text);
  } catch {
    return '(an error that cannot be written)';
  }
}

/**
 * The console, one line per message: messages escaped, and an error written on the same line as its message (its
 * stack's line breaks escaped), so that a log collector reading lines keeps each record whole.
 */
export const consoleLogger: Logger = {
  [ESCAPING]: true,
  info: (message) => console.info(escapeControls(message)),
  warn: (message) => console.warn(escapeControls(message)),
  error: (message, error) =>
    console.error(
      error === undefined ? escapeControls(message) : `${escapeControls(message)}: ${errorLine(error)}`,
    ),
} as Marked;

/** The context of one handler call; its `signal` is the request's, read from the limit only when a handler asks. */
class Context implements HandlerContext {
  readonly index: number;
  readonly log: Logger;
  readonly #clock: Clock;
  constructor(index: number, log: Logger, clock: Clock) {
    this.index = index;
    this.log = log;
    this.#clock = clock;
  }
  get signal(): AbortSignal {
    return this.#clock.signal;
  }
}

/** What the dispatch loop reads of its time: a {@link TimeLimit}, or a caller's signal seen through {@link SignalClock}. */
interface Clock {
  readonly expired: boolean;
  readonly signal: AbortSignal;
  wait(): void;
}

/** A caller's AbortSignal as a Clock. */
class SignalClock implements Clock {
  readonly signal: AbortSignal;
  constructor(signal: AbortSignal) {
    this.signal = signal;
  }
  get expired(): boolean {
    return this.signal.aborted;
  }
  wait(): void {}
}

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

/** The event at `index` of a batch (the batch itself when it is not an array), for a log line; never throws. */
function eventAt(events: unknown, index: number): unknown {
  try {
    return Array.isArray(events) ? events[index] : events;
  } catch (error) {
    return `(cannot be read: ${describe(error)})`;
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

/** One dispatch: its batch, the outcomes of its validation, and the report being filled in. */
interface Run {
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
  /** The most events given a line of their own ({@link RouterOptions.eventLogLimit}). */
  readonly lineLimit: number;
  /** The per-event lines of this dispatch, counted; made with the first one. */
  lines: Lines | undefined;
}

/** What the per-event lines of a dispatch were about, as the summary line names them. */
type LineKind = 'invalid' | 'unknown' | 'no handler' | 'failed' | 'rejected';
const SUMMARY: Readonly<Record<LineKind, string>> = {
  invalid: 'invalid (acknowledged)',
  unknown: 'of unknown types (acknowledged)',
  'no handler': 'without a handler (acknowledged)',
  failed: 'whose handler failed',
  rejected: 'of the rejected batch',
};

/** The per-event lines of one dispatch: the first `limit` written, the others counted for one summary line. */
class Lines {
  readonly #limit: number;
  #written = 0;
  #omitted: Map<LineKind, number> | undefined;
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Whether one more line about an event may be written; if not, the event is counted. */
  take(kind: LineKind): boolean {
    if (this.#written < this.#limit) {
      this.#written++;
      return true;
    }
    this.#omitted ??= new Map();
    this.#omitted.set(kind, (this.#omitted.get(kind) ?? 0) + 1);
    return false;
  }

  /** The summary line, when events went without a line of their own. */
  summarise(log: Logger, received: number): void {
    const omitted = this.#omitted;
    if (omitted === undefined) return;
    let total = 0;
    const counts: string[] = [];
    for (const [kind, count] of omitted) {
      total += count;
      counts.push(`${count} ${SUMMARY[kind]}`);
    }
    const level =
      omitted.has('invalid') || omitted.has('failed') || omitted.has('rejected') ? 'error' : 'warn';
    write(
      log,
      omitted.size === 1 && omitted.has('no handler') ? 'info' : level,
      `eventgen: ${total} more of the ${received} events of this request not logged one by one (eventLogLimit ${this.#limit}): ${counts.join(', ')}`,
    );
  }
}

/** Whether a line about one more event of `run` may be written (else it is counted for the summary). */
function mayLog(run: Run, kind: LineKind): boolean {
  run.lines ??= new Lines(run.lineLimit);
  return run.lines.take(kind);
}

/** A handler's promise being waited for, and what its event's disposition is once it resolves. */
interface Pending {
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

/**
 * A typed router over `validate` (router.ts: `createRouter(handlers, options)`, bound to the package's
 * validators). Inside each handler `event.data` has the type of its event, with no cast.
 */
export function createRouterWith(
  validate: ValidateEvents,
  handlers: Handlers,
  options: RouterOptions = {},
): Router {
  // The handlers, read once, by own property name: a Map finds an event's type, a string just parsed, without first
  // looking it up among the interned strings as a property lookup does.
  const table = new Map<string, Handler<EventType> | undefined>();
  for (const eventType of Object.getOwnPropertyNames(handlers))
    table.set(eventType, (handlers as Record<string, Handler<EventType> | undefined>)[eventType]);
  /** The validation one event at a time, when `validate` has it (validation.ts gives the package's validateEvents one). */
  const eventByEvent = (validate as ValidateEvents & { [EVENT_BY_EVENT]?: EventByEvent })[EVENT_BY_EVENT];
  /** The router's own logger, escaping; else each dispatch escapes the request's. */
  const own = options.log && escapingLogger(options.log);
  const lineLimit = options.eventLogLimit ?? DEFAULT_EVENT_LOG_LIMIT;
  if (!(lineLimit >= 0))
    throw new TypeError('router option eventLogLimit must be a number of events, 0 or more');

  /**
   * The batch stopped whole, before any handler ran: the reasons listed per index, each event logged whole (up to the
   * `eventLogLimit`, the rest counted in one line).
   */
  function reject(
    events: readonly unknown[],
    outcomes: readonly EventOutcome[],
    rejectUnknown: boolean,
    log: Logger,
  ): DispatchReport {
    const rejected: Disposition[] = [];
    const lines = new Lines(lineLimit);
    for (let index = 0; index < outcomes.length; index++) {
      const o = outcomes[index] as EventOutcome;
      if (o.kind === 'invalid') {
        rejected.push({ index, status: 'invalid', errors: o.errors });
        if (lines.take('invalid'))
          write(
            log,
            'error',
            `eventgen: rejected (400) invalid event ${index} (${errorList(o.errors)}): ${wholeEvent(eventAt(events, index))}`,
          );
      } else if (o.kind === 'unknown' && rejectUnknown) {
        rejected.push({ index, status: 'unknown', eventType: o.eventType, id: idOf(o.event) });
        if (lines.take('unknown'))
          write(
            log,
            'error',
            `eventgen: rejected (400) event ${index} of unknown type: ${wholeEvent(eventAt(events, index))}`,
          );
      } else if (lines.take('rejected')) {
        write(
          log,
          'error',
          `eventgen: rejected (400) event ${index} with its batch: ${wholeEvent(eventAt(events, index))}`,
        );
      }
    }
    lines.summarise(log, outcomes.length);
    return { outcome: 'rejected', events: rejected };
  }

  /** Dispatches from event `from` on, without waiting, until a handler returns a promise: then that promise. */
  function step(run: Run, from: number): Pending | undefined {
    const { events, outcomes, count, each, form, log, clock, report } = run;
    const { filter, onInvalid, onUnknown } = options;
    for (let index = from; index < count; index++) {
      const outcome =
        outcomes === undefined
          ? (each as EventByEvent).at(events, index, form)
          : (outcomes[index] as EventOutcome);
      if (clock.expired) {
        if (outcome.kind === 'invalid') report.push({ index, status: 'invalid', errors: outcome.errors });
        else report.push({ index, status: 'aborted', eventType: outcome.eventType, id: idOf(outcome.event) });
        continue;
      }
      try {
        if (outcome.kind === 'valid') {
          const event = routed(outcome);
          const { eventType, id } = event;
          const handler = table.get(eventType);
          if (filter && !matchesFilter(filter, event))
            report.push({ index, eventType, id, status: 'filtered' });
          else if (!handler) {
            if (mayLog(run, 'no handler'))
              write(
                log,
                'info',
                `eventgen: no handler for ${eventType} event ${JSON.stringify(id)}: acknowledged`,
              );
            report.push({ index, eventType, id, status: 'no-handler' });
          } else {
            const result = handler(event, new Context(index, log, clock));
            const done: Disposition = { index, eventType, id, status: 'handled' };
            if (isThenable(result)) return pending(clock, index, outcome, result, done);
            report.push(done);
          }
        } else if (outcome.kind === 'invalid') {
          const done: Disposition = { index, status: 'invalid', errors: outcome.errors };
          if (onInvalid) {
            const result = onInvalid(outcome, new Context(index, log, clock));
            if (isThenable(result)) return pending(clock, index, outcome, result, done);
          } else if (mayLog(run, 'invalid')) {
            const event = eventAt(events, index);
            write(
              log,
              'error',
              `eventgen: invalid event ${index} acknowledged, not handled (${errorList(outcome.errors)}): ${wholeEvent(event)}`,
            );
          }
          report.push(done);
        } else {
          const id = idOf(outcome.event);
          const done: Disposition = { index, status: 'unknown', eventType: outcome.eventType, id };
          if (onUnknown) {
            const result = onUnknown(outcome, new Context(index, log, clock));
            if (isThenable(result)) return pending(clock, index, outcome, result, done);
          } else if (mayLog(run, 'unknown')) {
            const type = JSON.stringify(outcome.eventType.slice(0, 200));
            write(
              log,
              'warn',
              `eventgen: event ${JSON.stringify(id)} of unknown type ${type} acknowledged, not handled`,
            );
          }
          report.push(done);
        }
      } catch (error) {
        report.push(failure(run, index, outcome, error));
      }
    }
    return undefined;
  }

  /** The rest of a dispatch once a handler returned a promise: each such promise waited for, in order. */
  async function finish(run: Run, first: Pending): Promise<DispatchReport> {
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

  /**
   * Validates each event and dispatches the valid ones in order, in one pass over the batch when nothing asks for every
   * event to be validated first (`rejectInvalid`, `rejectUnknownEventTypes`, a `validate` that cannot go event by
   * event); the report at once when no handler returned a promise.
   */
  function dispatchNow(
    events: readonly unknown[],
    call: DispatchOptions = {},
  ): DispatchReport | Promise<DispatchReport> {
    const log = own ?? (call.log === undefined ? consoleLogger : escapingLogger(call.log));
    const limit = call.limit;
    limit?.watch();
    const clock: Clock =
      limit ??
      (call.signal === undefined ? new TimeLimit(Number.POSITIVE_INFINITY) : new SignalClock(call.signal));
    const rejectInvalid = options.rejectInvalid ?? false;
    const rejectUnknown = options.rejectUnknownEventTypes ?? false;
    const form = { form: options.form ?? 'any' } as const;
    const each = rejectInvalid || rejectUnknown ? undefined : eventByEvent;
    let run: Run;
    const count = each?.count(events);
    if (each !== undefined && typeof count === 'number') {
      // One pass: each event validated, then dispatched, while it is at hand.
      run = {
        events,
        outcomes: undefined,
        count,
        each,
        form,
        log,
        clock,
        report: [],
        lineLimit,
        lines: undefined,
      };
    } else {
      const outcomes = count === undefined ? validate(events, form).outcomes : [count as EventOutcome];
      if (rejectInvalid || rejectUnknown) {
        for (let index = 0; index < outcomes.length; index++) {
          const kind = (outcomes[index] as EventOutcome).kind;
          if ((kind === 'invalid' && rejectInvalid) || (kind === 'unknown' && rejectUnknown))
            return reject(events, outcomes, rejectUnknown, log);
        }
      }
      run = {
        events,
        outcomes,
        count: outcomes.length,
        each: undefined,
        form,
        log,
        clock,
        report: [],
        lineLimit,
        lines: undefined,
      };
    }
    // A handler's result is waited for only when it is a promise.
    const first = step(run, 0);
    if (first !== undefined) return finish(run, first);
    run.lines?.summarise(log, run.count);
    return { outcome: 'dispatched', events: run.report };
  }

  const router: NowRouter = {
    log: options.log,
    async dispatch(events, call) {
      return dispatchNow(events, call);
    },
    [DISPATCH_NOW]: dispatchNow,
  };
  return router;
}
