/**
 * The typed router, given the validation of a batch as a parameter (router.ts binds it to this
 * package's validators): every event is validated, then dispatched in order to the handler of its
 * event type. No event is dropped silently: each one reaches a handler, `onInvalid` or `onUnknown`,
 * or a log line (an invalid event's holds the whole event), or makes the request fail.
 * What a router is (its types) is in router-api.ts; one dispatch runs in dispatch.ts.
 */
import { type Routes, type Run, reject, runAll, stopsBatch } from './dispatch.js';
import type { EventType } from './events.js';
import { consoleLogger, escapingLogger } from './logging.js';
import {
  DEFAULT_EVENT_LOG_LIMIT,
  DISPATCH_NOW,
  type DispatchOptions,
  type DispatchReport,
  EVENT_BY_EVENT,
  type Handler,
  type Handlers,
  type NowRouter,
  type Router,
  type RouterOptions,
  type ValidateEvents,
} from './router-api.js';
import { type Clock, SignalClock, TimeLimit } from './time-limit.js';
import type { EventByEvent, EventOutcome } from './validation.js';

export { consoleLogger, escapeControls, escapingLogger, wholeEvent } from './logging.js';
export {
  DEFAULT_EVENT_LOG_LIMIT,
  DISPATCH_NOW,
  type DispatchOptions,
  type DispatchReport,
  type Disposition,
  type Handler,
  type HandlerContext,
  type Handlers,
  type Logger,
  type NowRouter,
  type RoutedEvent,
  type Router,
  type RouterOptions,
  type ValidateEvents,
} from './router-api.js';
export { matchesFilter, type SubscriptionFilter } from './subscription-filter.js';
export { TimeLimit } from './time-limit.js';

/** The clock of one dispatch: the request's time limit, else the caller's signal, else none. */
function clockOf(call: DispatchOptions): Clock {
  const limit = call.limit;
  if (limit !== undefined) {
    limit.watch();
    return limit;
  }
  return call.signal === undefined ? new TimeLimit(Number.POSITIVE_INFINITY) : new SignalClock(call.signal);
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
  const routes: Routes = {
    table,
    filter: options.filter,
    onInvalid: options.onInvalid,
    onUnknown: options.onUnknown,
    lineLimit,
  };

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
    const clock = clockOf(call);
    const rejectInvalid = options.rejectInvalid ?? false;
    const rejectUnknown = options.rejectUnknownEventTypes ?? false;
    const form = { form: options.form ?? 'any' } as const;
    const each = rejectInvalid || rejectUnknown ? undefined : eventByEvent;
    const count = each?.count(events);
    // One pass: each event validated, then dispatched, while it is at hand.
    if (each !== undefined && typeof count === 'number')
      return runAll({
        routes,
        events,
        outcomes: undefined,
        count,
        each,
        form,
        log,
        clock,
        report: [],
        lines: undefined,
      });
    const outcomes = count === undefined ? validate(events, form).outcomes : [count as EventOutcome];
    if (stopsBatch(outcomes, rejectInvalid, rejectUnknown))
      return reject(events, outcomes, rejectUnknown, log, lineLimit);
    const run: Run = {
      routes,
      events,
      outcomes,
      count: outcomes.length,
      each: undefined,
      form,
      log,
      clock,
      report: [],
      lines: undefined,
    };
    return runAll(run);
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
