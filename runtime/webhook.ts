/**
 * The webhook on the Fetch API: `createFetchHandler(router)` is a `(request: Request) => Promise<Response>`
 * that any JavaScript server takes as it is (Hono `app.post('/events', (c) => handler(c.req.raw))`, a
 * Next.js route handler, Bun.serve, Deno.serve, a Cloudflare Worker's `fetch`). The node:http server and
 * the Azure Functions adapter only translate to and from it. Web standards only: no `node:` module.
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
 */
import { type Authenticator, type AuthOptions, entraAuthenticator } from './auth.js';
import { consoleLogger, type Logger, type Router, wholeEvent } from './routing.js';

/** What the webhook reads of a request: a Fetch API `Request`, or an object with the same members (Azure Functions' HttpRequest). */
export interface WebRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
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
   * before the body is read. Applies to every request, handshakes included.
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
}

/** What an adapter knows of one request beyond the request itself. */
export interface RequestScope {
  /** The request's logger (Azure Functions: its InvocationContext), used when the router has none of its own. */
  log?: Logger;
}

export type FetchHandler = (request: Request) => Promise<Response>;
export type WebhookHandler = (request: WebRequest, scope?: RequestScope) => Promise<Response>;

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

function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extra },
  });
}

const encoder = new TextEncoder();

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

class TooLarge extends Error {}

/** Reads at most `limit` bytes; throws TooLarge as soon as the body goes past it, and reads no further. */
async function readBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
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
      throw new TooLarge();
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
function binaryEvent(headers: Headers, contentType: string | null, data: unknown): Record<string, unknown> {
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

/** Writes a line; a failing logger must not turn the answer into a rejection. */
function note(log: Logger, level: 'warn' | 'error', message: string, error?: unknown): void {
  try {
    if (level === 'error') log.error(message, error);
    else if (log.warn) log.warn(message);
    else log.info(message);
  } catch {
    // nothing left to report it to
  }
}

/** The webhook for adapters: a request and its scope (the logger of the platform) → the answer. */
export function createWebhookHandler(router: Router, options: WebhookOptions = {}): WebhookHandler {
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const origins = (options.allowedOrigins ?? ['eventgrid.azure.net']).map((o) => o.toLowerCase());
  const authenticate: Authenticator | undefined = options.auth && entraAuthenticator(options.auth.entra);

  async function handle(request: WebRequest, log: Logger): Promise<Response> {
    const target = parseTarget(request.url);
    if (target === undefined) return json(400, { error: 'malformed request target' });
    const headers = request.headers;
    if (options.secret) {
      const query = target.searchParams.get(options.secret.query ?? 'secret');
      const given = query ?? headers.get(options.secret.header ?? 'x-webhook-secret');
      if (!(await sameSecret(given, options.secret.value)))
        return json(401, { error: 'missing or wrong secret' });
    }
    if (authenticate) {
      const result = await authenticate(headers.get('authorization'));
      if (!result.ok) {
        note(log, 'warn', `eventgen: 401, bearer token refused: ${result.reason}`);
        return json(401, { error: 'missing or invalid bearer token' }, { 'www-authenticate': 'Bearer' });
      }
    }
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') {
      const origin = headers.get('webhook-request-origin');
      if (origin === null)
        return json(400, {
          error: 'OPTIONS needs a WebHook-Request-Origin header (CloudEvents abuse protection)',
        });
      if (!origins.includes(origin.trim().toLowerCase()))
        return json(403, { error: `origin not allowed: ${quote(origin)}` });
      return new Response('', {
        status: 200,
        headers: {
          'webhook-allowed-origin': origin.trim(),
          'webhook-allowed-rate': options.allowedRate ?? '*',
          allow: 'POST, OPTIONS',
        },
      });
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

    let parsed: unknown;
    try {
      const bytes = await readBody(request.body, limit);
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
    } catch (error) {
      if (error instanceof TooLarge) return json(413, { error: `body over ${limit} bytes` });
      const reason = error instanceof Error ? error.message : String(error);
      note(log, 'warn', `eventgen: 400, malformed JSON body: ${reason.slice(0, 200)}`);
      return json(400, { error: `malformed JSON body: ${reason}` });
    }

    let events: unknown[];
    if (binary) events = [binaryEvent(headers, contentType, parsed)];
    else if (media.type === 'application/cloudevents-batch+json') {
      if (!Array.isArray(parsed)) return json(400, { error: 'a CloudEvents batch must be a JSON array' });
      events = parsed;
    } else if (media.type === 'application/cloudevents+json') {
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
    return dispatch(events, log);
  }

  /** Dispatches within the time limit: past it, 500 (Event Grid retries) and the handlers' signal is aborted. */
  async function dispatch(events: unknown[], log: Logger): Promise<Response> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve('expired'), timeoutMs);
    });
    try {
      const report = await Promise.race([
        router.dispatch(events, { signal: controller.signal, log }),
        expired,
      ]);
      if (report === 'expired') {
        controller.abort(new Error(`handlers did not finish within ${timeoutMs} ms`));
        const ids = events.slice(0, 20).map((e) => wholeEvent((e as { id?: unknown } | null)?.id));
        note(
          log,
          'error',
          `eventgen: 500, handlers did not finish within ${timeoutMs} ms; Event Grid will retry (events ${ids.join(', ')})`,
        );
        return json(500, { error: `handlers did not finish within ${timeoutMs} ms; Event Grid will retry` });
      }
      if (report.outcome === 'rejected') return json(400, { error: 'invalid events', events: report.events });
      const failed = report.events.filter((e) => e.status === 'failed');
      if (failed.length > 0)
        return json(500, {
          error: 'a handler failed; Event Grid will retry',
          // The error itself is logged, never sent: it may hold anything.
          events: failed.map((e) => ({ index: e.index, status: e.status, eventType: e.eventType, id: e.id })),
        });
      const count = (status: string) => report.events.filter((e) => e.status === status).length;
      return json(200, {
        received: events.length,
        handled: count('handled'),
        filtered: count('filtered'),
        unhandled: count('no-handler'),
        unknown: count('unknown'),
        invalid: count('invalid'),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  return async (request, scope = {}) => {
    const log = router.log ?? scope.log ?? consoleLogger;
    try {
      return await handle(request, log);
    } catch (error) {
      note(log, 'error', 'eventgen: webhook failed', error);
      return json(500, { error: 'internal error' });
    }
  };
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
