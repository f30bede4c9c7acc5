/**
 * The webhook's core, without Fetch API objects: a request read through a small interface ({@link IncomingRequest})
 * → its answer as plain data. The Fetch API handler (webhook.ts), the node:http server (node-http.ts) and the Azure
 * Functions adapter all run it. Web standards only: no `node:` module.
 */
import { type Answer, failure, json, note, reported } from './answers.js';
import { type Authenticator, type AuthOptions, entraAuthenticator } from './auth.js';
import { binaryEvent } from './cloudevents-binary.js';
import { consoleLogger, wholeEvent } from './logging.js';
import { type Recorder, type RecordHook, recordHook } from './record-hook.js';
import {
  handshake,
  isPathTarget,
  mediaType,
  parseTarget,
  quote,
  sameSecret,
  unsupported,
} from './request-checks.js';
import {
  DISPATCH_NOW,
  type DispatchOptions,
  type DispatchReport,
  type Logger,
  type NowRouter,
  type Router,
} from './router-api.js';
import { TimeLimit } from './time-limit.js';

export type { Answer } from './answers.js';

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

/** What an adapter knows of one request beyond the request itself. */
export interface RequestScope {
  /** The request's logger (Azure Functions: its InvocationContext), used when the router has none of its own. */
  log?: Logger;
}

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
  /**
   * Whether `url` is a URL the platform has parsed already (a Fetch API `Request`'s always is): it is then not parsed
   * again unless its query is needed (`secret`).
   */
  readonly parsedUrl?: boolean;
  readonly headers: HeaderLookup;
  /**
   * The whole body, called only once the request has passed every check made before reading (secret, token,
   * method, content type, declared length). At most `limit` bytes: past it, rejects with {@link BodyTooLarge}
   * and reads no further.
   */
  readBody(limit: number): Promise<Uint8Array>;
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

/** Whether a step's result is a promise (else it is at hand). */
function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Partial<PromiseLike<T>>).then === 'function';
}

/** Decodes without a state between calls (no `stream` option), so one serves every request. */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

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

/** The events a body holds, as its media type reads it, or the 400 answer to a body of the wrong shape. */
function eventsOf(admitted: Admitted, parsed: unknown): unknown[] | Answer {
  const { headers, contentType, type, binary } = admitted;
  if (binary) return [binaryEvent(headers, contentType, parsed)];
  if (type === 'application/cloudevents-batch+json')
    return Array.isArray(parsed) ? parsed : json(400, { error: 'a CloudEvents batch must be a JSON array' });
  if (type === 'application/cloudevents+json')
    return Array.isArray(parsed)
      ? json(400, {
          error: 'a structured CloudEvent is one object; send arrays as application/cloudevents-batch+json',
        })
      : [parsed];
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** The answer to an Event Grid subscription validation (the one event of its request), else undefined. */
function validationAnswer(events: readonly unknown[]): Answer | undefined {
  const first = events[0] as Record<string, unknown> | undefined;
  if (
    events.length !== 1 ||
    first === null ||
    typeof first !== 'object' ||
    first.eventType !== VALIDATION_EVENT
  )
    return undefined;
  const code = (first.data as Record<string, unknown> | null | undefined)?.validationCode;
  if (typeof code !== 'string')
    return json(400, { error: 'subscription validation event without data.validationCode' });
  return json(200, { validationResponse: code });
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
      const wellFormed = !options.secret && (request.parsedUrl === true || isPathTarget(url));
      const target = wellFormed ? undefined : parseTarget(url);
      if (!wellFormed && target === undefined) return json(400, { error: 'malformed request target' });
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
    if (method === 'OPTIONS') return handshake(headers, origins, options.allowedRate ?? '*');
    if (method !== 'POST')
      return json(405, { error: `method ${quote(request.method)} not allowed` }, { allow: 'POST, OPTIONS' });
    const contentType = headers.get('content-type');
    const media = mediaType(contentType);
    const binary = headers.get('ce-specversion') !== null;
    const refusal = unsupported(contentType, media, binary);
    if (refusal !== undefined) return refusal;
    const declared = Number(headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit)
      return json(413, { error: `body over ${limit} bytes` });
    return new Admitted(headers, contentType, media.type, binary, log);
  }

  /** The second step, never throwing: the answer to the body of an admitted request. */
  function answerBody(admitted: Admitted, bytes: Uint8Array): Answer | Promise<Answer> {
    const log = admitted.log;
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(decoder.decode(bytes));
      } catch (error) {
        return unreadBody(admitted, error);
      }
      const events = eventsOf(admitted, parsed);
      if (!Array.isArray(events)) return events;
      const handshaken = validationAnswer(events);
      if (handshaken !== undefined) return handshaken;
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
    if (report !== 'expired') return reported(events.length, report);
    const ids = events.slice(0, 20).map((e) => wholeEvent((e as { id?: unknown } | null)?.id));
    note(
      log,
      'error',
      `eventgen: 500, handlers did not finish within ${timeoutMs} ms; Event Grid will retry (events ${ids.join(', ')})`,
    );
    return json(500, { error: `handlers did not finish within ${timeoutMs} ms; Event Grid will retry` });
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
