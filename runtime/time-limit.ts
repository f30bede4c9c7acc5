/**
 * The time a request's handlers have, and what the dispatch loop and a handler's context read of it: the request's
 * {@link TimeLimit} (the webhook's `timeoutMs`), or a caller's AbortSignal.
 */
import type { HandlerContext, Logger } from './router-api.js';

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

/** The context of one handler call; its `signal` is the request's, read from the limit only when a handler asks. */
export class Context implements HandlerContext {
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
export interface Clock {
  readonly expired: boolean;
  readonly signal: AbortSignal;
  wait(): void;
}

/** A caller's AbortSignal as a Clock. */
export class SignalClock implements Clock {
  readonly signal: AbortSignal;
  constructor(signal: AbortSignal) {
    this.signal = signal;
  }
  get expired(): boolean {
    return this.signal.aborted;
  }
  wait(): void {}
}
