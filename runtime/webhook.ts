/**
 * The webhook on the Fetch API: `createFetchHandler(router)` is a `(request: Request) => Promise<Response>`
 * that any JavaScript server takes as it is (Hono `app.post('/events', (c) => handler(c.req.raw))`, a
 * Next.js route handler, Bun.serve, Deno.serve, a Cloudflare Worker's `fetch`). The node:http server and
 * the Azure Functions adapter only translate to and from it: both use its core, `createWebhookCore`, which
 * takes what it reads of a request through a small interface and answers with plain data, so they make no
 * Fetch API `Request`, `Response` or stream of their own. Web standards only: no `node:` module.
 *
 * - Event Grid subscription validation: a `Microsoft.EventGrid.SubscriptionValidationEvent`
 *   is answered 200 `{ "validationResponse": <validationCode> }`.
 *   https://learn.microsoft.com/azure/event-grid/webhook-event-delivery
 * - CloudEvents abuse protection: OPTIONS with `WebHook-Request-Origin` is answered 200 with
 *   `WebHook-Allowed-Origin` and `WebHook-Allowed-Rate` when the origin is allowed, 403 otherwise.
 *   https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/http-webhook.md#4-abuse-protection
 * - Bodies: `application/json` (Event Grid arrays), `application/cloudevents+json` (structured),
 *   `application/cloudevents-batch+json` (batch) and binary mode (`ce-*` headers, percent-decoded).
 * - Status codes Event Grid acts on: 200 all acknowledged; 400 malformed (body or request target), or
 *   rejected on request (`rejectInvalid`, `rejectUnknownEventTypes`): never retried, dead-lettered when the
 *   subscription has a dead-letter destination, else dropped; 401 wrong secret or token; 413 body too
 *   large; 415 unsupported content type; 500 a handler failed or ran out of time (Event Grid retries, so
 *   handlers must be idempotent; delivery is at least once anyway). A 500 never carries the handler's error.
 *   503 the Entra ID signing keys cannot be had to check a token with (Event Grid retries).
 */
import { type Authenticator, type AuthOptions, entraAuthenticator } from './auth.js';
import { type Recorder, type RecordHook, recordHook } from './recording.js';
import {
  consoleLogger,
  DISPATCH_NOW,
  type DispatchOptions,
  type DispatchReport,
  type Disposition,
  escapeControls,
  type Logger,
  type NowRouter,
  type Router,
  TimeLimit,
  wholeEvent,
} from './routing.js';

/** What the webhook reads of a request: a Fetch API `Request`, or an object with the same members (Azure Functions' HttpRequest). */
export interface WebRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
  /**
   * The whole body at once (`Request.arrayBuffer()`), read when the request declares a length within the limit: the
   * cheapest read a platform offers (@hono/node-server, for one, then reads node's request directly instead of making
   * a whole `Request` and a stream). Without it, or without a declared length, the body stream is read up to the limit.
   */
  arrayBuffer?(): Promise<ArrayBuffer>;
}

export interface WebhookOptions {
  /** Larger bodies are answered 413 without being read to the end. Default 1 MiB, Event Grid's limit. */
  maxBodyBytes?: number;
  /** Origins allowed by the CloudEvents abuse-protection handshake, matched exactly (case-insensitive). */
  allowedOrigins?: readonly string[];
  /** `WebHook-Allowed-Rate` answered to allowed origins. Default "*" (no limit). */
  allowedRate?: string;
  /**
   * A shared secret the sender must present, in the query parameter `query` (default "secret") or the
   * header `header` (default "x-webhook-secret"). Compared in constant time; missing or wrong → 401
   * before the body is read. Applies to every request, handshakes included. An empty (or blank) value is
   * refused when the handler is made: it would let in every request that sends an empty one.
   */
  secret?: { value: string; query?: string; header?: string };
  /**
   * Microsoft Entra ID: every request must carry a bearer token of the tenant for the audience, checked
   * (signature, issuer, audience, lifetime) before the body is read; 401 otherwise. See auth.ts.
   */
  auth?: AuthOptions;
  /**
   * Handlers of one request still running after this many milliseconds: the request is answered 500
   * (Event Grid retries it), their `context.signal` is aborted, and no further handler of the batch
   * starts. Default 25 000, under Event Grid's delivery timeout of 30 seconds.
   */
  timeoutMs?: number;
  /**
   * Called for each event of a request once its answer is decided, on a later turn of the event loop: it never
   * delays or changes an answer, and its first failure is logged once. `recordTo(dir)` of the package's `record`
   * entry (Node) writes the events, redacted, to NDJSON files that `eventgen generate --observed` reads.
   */
  record?: Recorder;
}

export type { RecordedOutcome, Recorder, RecordInfo } from './recording.js';

/** What an adapter knows of one request beyond the request itself. */
export interface RequestScope {
  /** The request's logger (Azure Functions: its InvocationContext), used when the router has none of its own. */
  log?: Logger;
}

export type FetchHandler = (request: Request) => Promise<Response>;
export type WebhookHandler = (request: WebRequest, scope?: RequestScope) => Promise<Response>;

/** The headers of a request as the webhook reads them: the part of the Fetch API `Headers` it uses, with its semantics. */
export interface HeaderLookup {
  /** The value of a header (names compared without case; repeated headers joined with ", "), or null. */
  get(name: string): string | null;
  /** Every header, lower-case names in sorted order, as `Headers.forEach` gives them. */
  forEach(callback: (value: string, name: string) => void): void;
}

/** A request as an adapter hands it to {@link createWebhookCore}. */
export interface IncomingRequest {
  readonly method: string;
  /** The request target as received (absolute or a path). */
  readonly url: string;
  readonly headers: HeaderLookup;
  /**
   * The whole body, called only once the request has passed every check made before reading (secret, token,
   * method, content type, declared length). At most `limit` bytes: past it, rejects with {@link BodyTooLarge}
   * and reads no further.
   */
  readBody(limit: number): Promise<Uint8Array>;
}

/** The answer of {@link createWebhookCore}: what a `Response` of the Fetch API handler would hold. */
export interface Answer {
  readonly status: number;
  /** Lower-case names in sorted order, as `Response.headers` lists them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Rejection of {@link IncomingRequest.readBody} when the body goes past the limit: the webhook answers 413. */
export class BodyTooLarge extends Error {}

/** What an adapter that reads the body itself hands to {@link WebhookCore.admit}: the request without its body. */
export type IncomingHead = Omit<IncomingRequest, 'readBody'>;

/** A request that passed every check made before its body is read; its body is what the webhook needs next. */
export class Admitted {
  readonly headers: HeaderLookup;
  readonly contentType: string | null;
  /** The media type, lower case, without parameters. */
  readonly type: string;
  /** A CloudEvent in binary mode (`ce-*` headers). */
  readonly binary: boolean;
  readonly log: Logger;
  constructor(headers: HeaderLookup, contentType: string | null, type: string, binary: boolean, log: Logger) {
    this.headers = headers;
    this.contentType = contentType;
    this.type = type;
    this.binary = binary;
    this.log = log;
  }
}

/**
 * The webhook's core: a request → its answer (the body read through `readBody`), and the same in two steps for an
 * adapter that reads the body itself (node-http.ts): no promise between them unless a secret or a token is checked
 * or a handler returns one, so a request can be answered in the same turn of the event loop as its body's end.
 * None of them throws or rejects: a failure of the webhook's own is a 500.
 */
export interface WebhookCore {
  (request: IncomingRequest, scope?: RequestScope): Promise<Answer>;
  /** The most bytes of body admitted (`maxBodyBytes`). */
  readonly limit: number;
  /** The first step: an answer already, or the request admitted (a promise when a secret or a token is checked). */
  admit(request: IncomingHead, scope?: RequestScope): Answer | Admitted | Promise<Answer | Admitted>;
  /** The second step: the answer to the body of an admitted request (a promise when a handler returned one). */
  answer(admitted: Admitted, body: Uint8Array): Answer | Promise<Answer>;
  /** The answer when the body of an admitted request could not be read: BodyTooLarge 413, anything else 400. */
  unread(admitted: Admitted, error: unknown): Answer;
}

export const MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 25_000;
const VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';
const JSON_TYPES = new Set([
  'application/json',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
]);

/** A header value quoted in an error message, cut short: an answer never echoes a huge header back. */
function quote(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}

/** The request target as a URL, or undefined when it is malformed (`//%`, `http://[::1`). */
function parseTarget(url: string): URL | undefined {
  try {
    return new URL(url, 'http://localhost');
  } catch {
    return undefined;
  }
}

/**
 * Whether `new URL(url, 'http://localhost')` certainly succeeds without parsing it: a path that starts with
 * one "/" is a path-relative reference, and parsing a path never fails (only a host can, and a second "/" or
 * "\\" would start one; tabs and newlines are dropped before parsing, so they cannot stand in between).
 */
function isPathTarget(url: string): boolean {
  if (url.charCodeAt(0) !== 0x2f) return false;
  const next = url.charCodeAt(1);
  return next !== 0x2f && next !== 0x5c && next !== 0x09 && next !== 0x0a && next !== 0x0d;
}

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
});

/** Header names in the order `Response.headers` lists them. */
function sorted(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function json(status: number, body: unknown, extra?: Record<string, string>): Answer {
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
function rejection(events: readonly Disposition[]): Answer {
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

/** Whether a step's result is a promise (else it is at hand). */
function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Partial<PromiseLike<T>>).then === 'function';
}

/** The answer to a failure of the webhook's own (a throwing header, logger or router): 500, logged. */
function failure(log: Logger, error: unknown): Answer {
  note(log, 'error', 'eventgen: webhook failed', error);
  return json(500, { error: 'internal error' });
}

/** An answer as a Fetch API Response. */
function responseOf(answer: Answer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

const encoder = new TextEncoder();
/** Decodes without a state between calls (no `stream` option), so one serves every request. */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

async function sameSecret(given: string | null, expected: string): Promise<boolean> {
  if (given === null) return false;
  // Digests first give equal lengths, so the comparison never leaks the secret's length.
  const digest = async (s: string) =>
    new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(s)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

/**
 * A Fetch API body stream read whole, for {@link IncomingRequest.readBody}: at most `limit` bytes; throws
 * BodyTooLarge as soon as the body goes past it, and reads no further.
 */
export async function readBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const bytes = typeof value === 'string' ? encoder.encode(value) : value;
    size += bytes.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    chunks.push(bytes);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** `application/cloudevents+json; charset=utf-8` → { type, charset }. */
function mediaType(value: string | null): { type: string; charset: string | undefined } {
  if (value !== null && !value.includes(';')) return { type: value.trim().toLowerCase(), charset: undefined };
  const [type = '', ...params] = (value ?? '').split(';').map((p) => p.trim());
  const charset = params
    .find((p) => p.toLowerCase().startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '')
    .toLowerCase();
  return { type: type.toLowerCase(), charset };
}

/** A `ce-*` header value, percent-decoded as the CloudEvents HTTP binding asks (a malformed escape stays as it is). */
function percentDecoded(value: string): string {
  if (!value.includes('%')) return value;
  return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * The event a binary-mode request carries: `ce-*` headers are its attributes (percent-decoded), the body its data.
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md#3132-http-header-values
 */
function binaryEvent(
  headers: HeaderLookup,
  contentType: string | null,
  data: unknown,
): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    if (!key.startsWith('ce-') || Object.hasOwn(event, key.slice(3))) return;
    Object.defineProperty(event, key.slice(3), {
      value: percentDecoded(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  if (contentType !== null) event.datacontenttype = contentType;
  event.data = data;
  return event;
}

/** Writes a line, its control characters escaped; a failing logger must not turn the answer into a rejection. */
function note(log: Logger, level: 'info' | 'warn' | 'error', message: string, error?: unknown): void {
  try {
    const line = escapeControls(message);
    if (level === 'error') log.error(line, error);
    else if (level === 'warn' && log.warn) log.warn(line);
    else log.info(line);
  } catch {
    // nothing left to report it to
  }
}

/** What the core gives a router's dispatch: the request's time limit, its signal (made only when read) and logger. */
class Call implements DispatchOptions {
  readonly limit: TimeLimit;
  readonly log: Logger;
  constructor(limit: TimeLimit, log: Logger) {
    this.limit = limit;
    this.log = log;
  }
  get signal(): AbortSignal {
    return this.limit.signal;
  }
}

/**
 * The webhook without Fetch API objects, for adapters that do not need them (node-http.ts, azure-functions.ts):
 * a request read through {@link IncomingRequest} and its scope (the logger of the platform) → the answer as
 * plain data, exactly what {@link createWebhookHandler} answers as a Response.
 */
export function createWebhookCore(router: Router, options: WebhookOptions = {}): WebhookCore {
  const secretValue = options.secret?.value;
  if (options.secret !== undefined && (typeof secretValue !== 'string' || secretValue.trim() === ''))
    throw new TypeError(
      'webhook option secret.value is empty: set it to the shared secret the sender presents, or leave out `secret` to accept requests without one',
    );
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const origins = (options.allowedOrigins ?? ['eventgrid.azure.net']).map((o) => o.toLowerCase());
  const authenticate: Authenticator | undefined = options.auth && entraAuthenticator(options.auth.entra);
  const timeoutReason = () => new Error(`handlers did not finish within ${timeoutMs} ms`);
  const recorded: RecordHook | undefined = options.record && recordHook(options.record);

  /** The answer to a request that does not present the secret or a valid token; undefined when it does. */
  async function refused(
    headers: HeaderLookup,
    target: URL | undefined,
    log: Logger,
  ): Promise<Answer | undefined> {
    if (options.secret) {
      const query = (target as URL).searchParams.get(options.secret.query ?? 'secret');
      const given = query ?? headers.get(options.secret.header ?? 'x-webhook-secret');
      if (!(await sameSecret(given, options.secret.value)))
        return json(401, { error: 'missing or wrong secret' });
    }
    if (authenticate) {
      const result = await authenticate(headers.get('authorization'));
      if (result.notice !== undefined) note(log, result.notice.level, result.notice.message);
      if (!result.ok) {
        // No signing keys at hand (their endpoint down, slow or answering nonsense): not the sender's fault, and a 503
        // is retried by Event Grid where a 401 would drop the delivery. Logged once per outage, by the notice.
        if (result.unavailable)
          return json(503, {
            error: 'the signing keys to check the token with are unavailable; retry later',
          });
        note(log, 'warn', `eventgen: 401, bearer token refused: ${result.reason}`);
        return json(401, { error: 'missing or invalid bearer token' }, { 'www-authenticate': 'Bearer' });
      }
    }
    return undefined;
  }

  /** The first step, never throwing: an answer, or the admitted request once the secret or token is checked. */
  function admit(request: IncomingHead, log: Logger): Answer | Admitted | Promise<Answer | Admitted> {
    try {
      const url = request.url;
      // The target is parsed only when it could be malformed or its query is needed.
      const pathOnly = !options.secret && isPathTarget(url);
      const target = pathOnly ? undefined : parseTarget(url);
      if (!pathOnly && target === undefined) return json(400, { error: 'malformed request target' });
      if (!options.secret && !authenticate) return checked(request, log);
      return refused(request.headers, target, log)
        .then((refusal) => refusal ?? checked(request, log))
        .catch((error: unknown) => failure(log, error));
    } catch (error) {
      return failure(log, error);
    }
  }

  /** The checks of a request made before its body is read (method, content type, charset, declared length). */
  function checked(request: IncomingHead, log: Logger): Answer | Admitted {
    const headers = request.headers;
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') {
      const origin = headers.get('webhook-request-origin');
      if (origin === null)
        return json(400, {
          error: 'OPTIONS needs a WebHook-Request-Origin header (CloudEvents abuse protection)',
        });
      if (!origins.includes(origin.trim().toLowerCase()))
        return json(403, { error: `origin not allowed: ${quote(origin)}` });
      // Through Headers, as a Response takes them: values normalised, an invalid one thrown (500), and the
      // content type a Response gives an empty text body.
      const answered = new Headers({
        'webhook-allowed-origin': origin.trim(),
        'webhook-allowed-rate': options.allowedRate ?? '*',
        allow: 'POST, OPTIONS',
        'content-type': 'text/plain;charset=UTF-8',
      });
      const out: Record<string, string> = {};
      answered.forEach((value, name) => {
        out[name] = value;
      });
      return { status: 200, headers: out, body: '' };
    }
    if (method !== 'POST')
      return json(405, { error: `method ${quote(request.method)} not allowed` }, { allow: 'POST, OPTIONS' });

    const contentType = headers.get('content-type');
    const media = mediaType(contentType);
    const binary = headers.get('ce-specversion') !== null;
    if (media.charset !== undefined && media.charset !== 'utf-8' && media.charset !== 'utf8') {
      return json(415, { error: `unsupported charset ${quote(media.charset)}: send UTF-8` });
    }
    if (
      binary
        ? !(media.type === 'application/json' || media.type.endsWith('+json'))
        : !JSON_TYPES.has(media.type)
    ) {
      return json(415, {
        error: `unsupported content type ${contentType === null ? '(none)' : quote(contentType)}`,
      });
    }
    const declared = Number(headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit)
      return json(413, { error: `body over ${limit} bytes` });

    return new Admitted(headers, contentType, media.type, binary, log);
  }

  /** The second step, never throwing: the answer to the body of an admitted request. */
  function answerBody(admitted: Admitted, bytes: Uint8Array): Answer | Promise<Answer> {
    const { log, headers, contentType, type: mediaType, binary } = admitted;
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(decoder.decode(bytes));
      } catch (error) {
        return unreadBody(admitted, error);
      }

      let events: unknown[];
      if (binary) events = [binaryEvent(headers, contentType, parsed)];
      else if (mediaType === 'application/cloudevents-batch+json') {
        if (!Array.isArray(parsed)) return json(400, { error: 'a CloudEvents batch must be a JSON array' });
        events = parsed;
      } else if (mediaType === 'application/cloudevents+json') {
        if (Array.isArray(parsed))
          return json(400, {
            error: 'a structured CloudEvent is one object; send arrays as application/cloudevents-batch+json',
          });
        events = [parsed];
      } else events = Array.isArray(parsed) ? parsed : [parsed];

      const first = events[0] as Record<string, unknown> | undefined;
      if (
        events.length === 1 &&
        first !== null &&
        typeof first === 'object' &&
        first.eventType === VALIDATION_EVENT
      ) {
        const code = (first.data as Record<string, unknown> | null | undefined)?.validationCode;
        if (typeof code !== 'string')
          return json(400, { error: 'subscription validation event without data.validationCode' });
        return json(200, { validationResponse: code });
      }
      const answer = dispatch(events, log);
      return isThenable(answer) ? answer.catch((error: unknown) => failure(log, error)) : answer;
    } catch (error) {
      return failure(log, error);
    }
  }

  /** The answer when the body of an admitted request could not be read (too large, malformed, cut short). */
  function unreadBody(admitted: Admitted, error: unknown): Answer {
    try {
      if (error instanceof BodyTooLarge) return json(413, { error: `body over ${limit} bytes` });
      const reason = error instanceof Error ? error.message : String(error);
      note(admitted.log, 'warn', `eventgen: 400, malformed JSON body: ${reason.slice(0, 200)}`);
      return json(400, { error: `malformed JSON body: ${reason}` });
    } catch (failed) {
      return failure(admitted.log, failed);
    }
  }

  /** The answer to a request: both steps, the body read in between. Never rejects. */
  async function handle(request: IncomingRequest, log: Logger): Promise<Answer> {
    const step = admit(request, log);
    const admitted = isThenable(step) ? await step : step;
    if (!(admitted instanceof Admitted)) return admitted;
    let bytes: Uint8Array;
    try {
      bytes = await request.readBody(limit);
    } catch (error) {
      return unreadBody(admitted, error);
    }
    return answerBody(admitted, bytes);
  }

  /**
   * Dispatches within the time limit: past it, 500 (Event Grid retries) and the handlers' signal is aborted. The
   * limit makes its signal only when a handler reads it, and its timer only when a handler's promise is waited
   * for (a router made by createRouterWith says so); a router made elsewhere gets the timer at once.
   */
  function dispatch(events: unknown[], log: Logger): Answer | Promise<Answer> {
    // The clock starts before the first handler: time spent in synchronous handlers counts too.
    const limit = new TimeLimit(timeoutMs, timeoutReason);
    const call = new Call(limit, log);
    const now = (router as Partial<NowRouter>)[DISPATCH_NOW];
    const dispatched = now === undefined ? router.dispatch(events, call) : now(events, call);
    if (!limit.watched) limit.wait();
    // A report at once: no handler returned a promise, so nothing was waited for and the time could not run out.
    if (typeof (dispatched as Partial<PromiseLike<DispatchReport>>).then !== 'function')
      return answerOf(events, dispatched as DispatchReport, log);
    if (!limit.waiting) return Promise.resolve(dispatched).then((report) => answerOf(events, report, log));
    return Promise.race([dispatched, limit.expiry()]).then(
      (report) => {
        limit.stop();
        return answerOf(events, report, log);
      },
      (error: unknown) => {
        limit.stop();
        throw error;
      },
    );
  }

  /** The answer to a dispatch's report, or to the time running out. */
  function answerOf(events: unknown[], report: DispatchReport | 'expired', log: Logger): Answer {
    // The answer is decided: the recorder gets the events on a later turn (an expired request is delivered again).
    if (recorded !== undefined && report !== 'expired') recorded(events, report, log);
    if (report === 'expired') {
      const ids = events.slice(0, 20).map((e) => wholeEvent((e as { id?: unknown } | null)?.id));
      note(
        log,
        'error',
        `eventgen: 500, handlers did not finish within ${timeoutMs} ms; Event Grid will retry (events ${ids.join(', ')})`,
      );
      return json(500, { error: `handlers did not finish within ${timeoutMs} ms; Event Grid will retry` });
    }
    if (report.outcome === 'rejected') return rejection(report.events);
    // One pass over the report: the counts of the answer, and the failed events if any.
    const dispositions = report.events;
    let handled = 0;
    let filtered = 0;
    let unhandled = 0;
    let unknown = 0;
    let invalid = 0;
    let failed: { index: number; status: 'failed'; eventType: string; id: string }[] | undefined;
    for (let i = 0; i < dispositions.length; i++) {
      const e = dispositions[i] as Disposition;
      switch (e.status) {
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
        case 'failed':
          // The error itself is logged, never sent: it may hold anything.
          failed ??= [];
          failed.push({ index: e.index, status: e.status, eventType: e.eventType, id: e.id });
          break;
      }
    }
    if (failed !== undefined)
      return json(500, { error: 'a handler failed; Event Grid will retry', events: failed });
    // JSON.stringify of { received, handled, filtered, unhandled, unknown, invalid }: integers only.
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: `{"received":${events.length},"handled":${handled},"filtered":${filtered},"unhandled":${unhandled},"unknown":${unknown},"invalid":${invalid}}`,
    };
  }

  const core = (request: IncomingRequest, scope: RequestScope = {}) =>
    handle(request, router.log ?? scope.log ?? consoleLogger);
  return Object.assign(core, {
    limit,
    admit: (request: IncomingHead, scope: RequestScope = {}) =>
      admit(request, router.log ?? scope.log ?? consoleLogger),
    answer: answerBody,
    unread: unreadBody,
  });
}

/** The webhook for adapters that speak the Fetch API: a request and its scope (the logger of the platform) → the answer. */
export function createWebhookHandler(router: Router, options: WebhookOptions = {}): WebhookHandler {
  const answer = createWebhookCore(router, options);
  return async (request, scope) => responseOf(await answer(new FetchIncoming(request), scope));
}

/** A WebRequest as the core reads it; each member is read from the request only when the core reads it. */
class FetchIncoming implements IncomingRequest {
  readonly #request: WebRequest;
  constructor(request: WebRequest) {
    this.#request = request;
  }
  get method(): string {
    return this.#request.method;
  }
  get url(): string {
    return this.#request.url;
  }
  get headers(): HeaderLookup {
    return this.#request.headers;
  }
  readBody(limit: number): Promise<Uint8Array> {
    const request = this.#request;
    // A declared length the core admitted (it answers 413 to one over the limit before reading): the body is read
    // whole, the platform's cheapest way. Without one (chunked), the stream, read no further than the limit. A Request
    // of the platform's own class holds its body as a stream already, whose chunks are the body's bytes as they came:
    // read as they are (one chunk is not copied at all), where Node's `arrayBuffer()` copies the whole body twice.
    if (
      typeof request.arrayBuffer === 'function' &&
      !isPlatformRequest(request) &&
      declaredLength(request.headers.get('content-length')) <= limit
    )
      return request.arrayBuffer().then((buffer) => {
        // A platform that does not hold a body to its declared length: what was read is still held to the limit.
        if (buffer.byteLength > limit) throw new BodyTooLarge();
        return new Uint8Array(buffer);
      });
    return readBody(request.body, limit);
  }
}

/** Whether `request` is an instance of the platform's own Request class itself (not a subclass, a proxy or a look-alike). */
function isPlatformRequest(request: WebRequest): boolean {
  return typeof Request === 'function' && Object.getPrototypeOf(request) === Request.prototype;
}

/** A Content-Length header's value as a number of bytes; Infinity when absent or not a plain decimal number. */
function declaredLength(value: string | null): number {
  if (value === null) return Number.POSITIVE_INFINITY;
  const trimmed = value.trim();
  return /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : Number.POSITIVE_INFINITY;
}

/**
 * The webhook as a Fetch API handler: `(request: Request) => Promise<Response>`, for any server that
 * speaks the Fetch API. Logs go to the router's logger, else the console.
 */
export function createFetchHandler(router: Router, options: WebhookOptions = {}): FetchHandler {
  const handle = createWebhookHandler(router, options);
  // One parameter only: servers that pass more (a Worker's env and ctx) must not be read as a scope.
  return (request) => handle(request);
}
