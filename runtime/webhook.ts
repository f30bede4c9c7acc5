/**
 * The webhook as a pure function: (method, url, headers, body) → { status, headers, body }.
 * The node:http server and the Azure Functions adapter only translate to and from it.
 *
 * - Event Grid subscription validation: a `Microsoft.EventGrid.SubscriptionValidationEvent`
 *   is answered 200 `{ "validationResponse": <validationCode> }`.
 *   https://learn.microsoft.com/azure/event-grid/webhook-event-delivery
 * - CloudEvents abuse protection: OPTIONS with `WebHook-Request-Origin` is answered 200 with
 *   `WebHook-Allowed-Origin` and `WebHook-Allowed-Rate` when the origin is allowed, 403 otherwise.
 *   https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/http-webhook.md#4-abuse-protection
 * - Bodies: `application/json` (Event Grid arrays), `application/cloudevents+json` (structured),
 *   `application/cloudevents-batch+json` (batch) and binary mode (`ce-*` headers).
 * - Status codes Event Grid acts on: 200 all handled; 400 malformed (body or request target) or
 *   invalid (dead-lettered, not retried); 401 wrong secret; 413 body too large; 415 unsupported content
 *   type; 500 a handler failed (Event Grid retries, so handlers must be idempotent; delivery is at least
 *   once anyway).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Router } from './router.js';

export type HeaderBag = Record<string, string | string[] | undefined> | { get(name: string): string | null };
export type RequestBody = string | Uint8Array | AsyncIterable<Uint8Array | string> | null | undefined;

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
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
}

export type RequestHandler = (
  method: string,
  url: string,
  headers: HeaderBag,
  body: RequestBody,
) => Promise<WebhookResponse>;

export const MAX_BODY_BYTES = 1024 * 1024;
const VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';
const JSON_TYPES = new Set([
  'application/json',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
]);

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Every header as [lower-case name, value], each read once (many headers stay linear). */
function headerEntries(headers: HeaderBag): [string, string][] {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const bag = headers as { get(n: string): string | null; keys?: () => Iterable<string> };
    if (typeof bag.keys !== 'function') return [];
    return [...bag.keys()].map((k) => [k.toLowerCase(), bag.get(k) ?? '']);
  }
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (value !== undefined) out.push([name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]);
  }
  return out;
}

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

function json(status: number, body: unknown, extra: Record<string, string> = {}): WebhookResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extra },
    body: JSON.stringify(body),
  };
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  // Hashing first gives equal lengths, so timingSafeEqual never leaks the secret's length.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

class TooLarge extends Error {}

/** Reads at most `limit` bytes; throws TooLarge as soon as the body goes past it, without reading on. */
async function readBody(body: RequestBody, limit: number): Promise<Uint8Array | string> {
  if (body === null || body === undefined) return new Uint8Array();
  if (typeof body === 'string') {
    // Already text: measure it in UTF-8 without encoding it.
    if (Buffer.byteLength(body, 'utf8') > limit) throw new TooLarge();
    return body;
  }
  if (body instanceof Uint8Array) {
    if (body.byteLength > limit) throw new TooLarge();
    return body;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > limit) throw new TooLarge();
    chunks.push(bytes);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** `application/cloudevents+json; charset=utf-8` → { type, charset }. */
function mediaType(value: string | undefined): { type: string; charset: string | undefined } {
  const [type = '', ...params] = (value ?? '').split(';').map((p) => p.trim());
  const charset = params
    .find((p) => p.toLowerCase().startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '')
    .toLowerCase();
  return { type: type.toLowerCase(), charset };
}

/** The event a binary-mode request carries: `ce-*` headers are its attributes, the body its data. */
function binaryEvent(
  headers: HeaderBag,
  contentType: string | undefined,
  data: unknown,
): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [name, value] of headerEntries(headers)) {
    if (!name.startsWith('ce-') || Object.hasOwn(event, name.slice(3))) continue;
    Object.defineProperty(event, name.slice(3), {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (contentType !== undefined) event.datacontenttype = contentType;
  event.data = data;
  return event;
}

export function createRequestHandler(router: Router, options: WebhookOptions = {}): RequestHandler {
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const origins = (options.allowedOrigins ?? ['eventgrid.azure.net']).map((o) => o.toLowerCase());

  async function handle(
    method: string,
    url: string,
    headers: HeaderBag,
    body: RequestBody,
  ): Promise<WebhookResponse> {
    const target = parseTarget(url);
    if (target === undefined) return json(400, { error: 'malformed request target' });
    if (options.secret) {
      const query = target.searchParams.get(options.secret.query ?? 'secret') ?? undefined;
      const given = query ?? header(headers, (options.secret.header ?? 'x-webhook-secret').toLowerCase());
      if (!sameSecret(given, options.secret.value)) return json(401, { error: 'missing or wrong secret' });
    }
    if (method.toUpperCase() === 'OPTIONS') {
      const origin = header(headers, 'webhook-request-origin');
      if (origin === undefined)
        return json(400, {
          error: 'OPTIONS needs a WebHook-Request-Origin header (CloudEvents abuse protection)',
        });
      if (!origins.includes(origin.trim().toLowerCase()))
        return json(403, { error: `origin not allowed: ${quote(origin)}` });
      return {
        status: 200,
        headers: {
          'webhook-allowed-origin': origin.trim(),
          'webhook-allowed-rate': options.allowedRate ?? '*',
          allow: 'POST, OPTIONS',
        },
        body: '',
      };
    }
    if (method.toUpperCase() !== 'POST')
      return json(405, { error: `method ${quote(method)} not allowed` }, { allow: 'POST, OPTIONS' });

    const contentType = header(headers, 'content-type');
    const media = mediaType(contentType);
    const binary = header(headers, 'ce-specversion') !== undefined;
    if (media.charset !== undefined && media.charset !== 'utf-8' && media.charset !== 'utf8') {
      return json(415, { error: `unsupported charset ${quote(media.charset)}: send UTF-8` });
    }
    if (
      binary
        ? !(media.type === 'application/json' || media.type.endsWith('+json'))
        : !JSON_TYPES.has(media.type)
    ) {
      return json(415, {
        error: `unsupported content type ${contentType === undefined ? '(none)' : quote(contentType)}`,
      });
    }
    const declared = Number(header(headers, 'content-length'));
    if (Number.isFinite(declared) && declared > limit)
      return json(413, { error: `body over ${limit} bytes` });

    let parsed: unknown;
    try {
      const bytes = await readBody(body, limit);
      parsed = JSON.parse(
        typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes),
      );
    } catch (error) {
      if (error instanceof TooLarge) return json(413, { error: `body over ${limit} bytes` });
      return json(400, {
        error: `malformed JSON body: ${error instanceof Error ? error.message : String(error)}`,
      });
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

    const report = await router.dispatch(events);
    if (report.outcome === 'rejected') return json(400, { error: 'invalid events', events: report.events });
    const failed = report.events.filter((e) => e.status === 'failed');
    if (failed.length > 0)
      return json(500, { error: 'a handler failed; Event Grid will retry', events: failed });
    const count = (status: string) => report.events.filter((e) => e.status === status).length;
    return json(200, {
      received: events.length,
      handled: count('handled'),
      filtered: count('filtered'),
      unknown: count('unknown'),
      invalid: count('invalid'),
    });
  }

  return async (method, url, headers, body) => {
    try {
      return await handle(method, url, headers, body);
    } catch (error) {
      try {
        router.log.error('eventgen: webhook failed', error);
      } catch {
        // a failing logger must not turn the answer into a rejection
      }
      return json(500, { error: 'internal error' });
    }
  };
}
