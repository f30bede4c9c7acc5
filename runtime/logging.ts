/**
 * Log lines that a request cannot forge: every message's control characters escaped, the console's logger, errors as
 * one line, and the per-event lines of one dispatch held to the router's `eventLogLimit`.
 */
import type { Logger } from './router-api.js';
import type { ValidationError } from './validation.js';

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

/** What was thrown, as text; never throws itself (a throwing `message` or `toString` included). */
export function describe(error: unknown): string {
  try {
    const text = error instanceof Error ? error.message : String(error);
    return typeof text === 'string' ? text : 'unknown error';
  } catch {
    return 'unknown error';
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
export function write(log: Logger, level: 'info' | 'warn' | 'error', message: string, error?: unknown): void {
  try {
    if (level === 'error') log.error(message, error);
    else if (level === 'warn' && log.warn) log.warn(message);
    else log.info(message);
  } catch {
    // nothing left to report it to
  }
}

export const errorList = (errors: readonly ValidationError[]) =>
  errors
    .slice(0, 10)
    .map((e) => e.message)
    .join('; ') + (errors.length > 10 ? `; and ${errors.length - 10} more` : '');

/** What the per-event lines of a dispatch were about, as the summary line names them. */
export type LineKind = 'invalid' | 'unknown' | 'no handler' | 'failed' | 'rejected';
const SUMMARY: Readonly<Record<LineKind, string>> = {
  invalid: 'invalid (acknowledged)',
  unknown: 'of unknown types (acknowledged)',
  'no handler': 'without a handler (acknowledged)',
  failed: 'whose handler failed',
  rejected: 'of the rejected batch',
};

/** The per-event lines of one dispatch: the first `limit` written, the others counted for one summary line. */
export class Lines {
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
