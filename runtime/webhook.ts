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
import type { Answer } from './answers.js';
import type { Router } from './router-api.js';
import {
  BodyTooLarge,
  createWebhookCore,
  type HeaderLookup,
  type IncomingRequest,
  type RequestScope,
  type WebhookOptions,
} from './webhook-core.js';

export type { RecordedOutcome, Recorder, RecordInfo } from './record-hook.js';
export * from './webhook-core.js';

/** What the webhook reads of a request: a Fetch API `Request`, or an object with the same members (Azure Functions' HttpRequest). */
export interface WebRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
  /**
   * The whole body at once (`Request.arrayBuffer()`), read when the request declares a length within the limit: the
   * cheapest read a platform offers (@hono/node-server, for one, then reads node's request directly instead of making
   * a whole `Request` and a stream). Without it, or without a declared length, the body stream is read up to the limit,
   * and so is the body of a Request of the platform's own class, which holds it as a stream already (Node's copies the
   * whole body twice in `arrayBuffer()`).
   */
  arrayBuffer?(): Promise<ArrayBuffer>;
}

export type FetchHandler = (request: Request) => Promise<Response>;
export type WebhookHandler = (request: WebRequest, scope?: RequestScope) => Promise<Response>;

/** An answer as a Fetch API Response. */
function responseOf(answer: Answer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

const encoder = new TextEncoder();

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
  get parsedUrl(): boolean {
    return typeof Request === 'function' && this.#request instanceof Request;
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
