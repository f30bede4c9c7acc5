/**
 * What the webhook checks of a request before it reads the body: the request target, the secret, the CloudEvents
 * abuse-protection handshake (OPTIONS), the method, the content type and its charset.
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/http-webhook.md#4-abuse-protection
 */
import { type Answer, json } from './answers.js';
import type { HeaderLookup } from './webhook-core.js';

export const JSON_TYPES = new Set([
  'application/json',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
]);

/** A header value quoted in an error message, cut short: an answer never echoes a huge header back. */
export function quote(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}

/** The request target as a URL, or undefined when it is malformed (`//%`, `http://[::1`). */
export function parseTarget(url: string): URL | undefined {
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
export function isPathTarget(url: string): boolean {
  if (url.charCodeAt(0) !== 0x2f) return false;
  const next = url.charCodeAt(1);
  return next !== 0x2f && next !== 0x5c && next !== 0x09 && next !== 0x0a && next !== 0x0d;
}

const encoder = new TextEncoder();

/** Whether `given` is the secret, compared in constant time. */
export async function sameSecret(given: string | null, expected: string): Promise<boolean> {
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

/** `application/cloudevents+json; charset=utf-8` → { type, charset }. */
export function mediaType(value: string | null): { type: string; charset: string | undefined } {
  if (value !== null && !value.includes(';')) return { type: value.trim().toLowerCase(), charset: undefined };
  const [type = '', ...params] = (value ?? '').split(';').map((p) => p.trim());
  const charset = params
    .find((p) => p.toLowerCase().startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '')
    .toLowerCase();
  return { type: type.toLowerCase(), charset };
}

/** The answer to the CloudEvents abuse-protection handshake (OPTIONS with `WebHook-Request-Origin`). */
export function handshake(headers: HeaderLookup, origins: readonly string[], allowedRate: string): Answer {
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
    'webhook-allowed-rate': allowedRate,
    allow: 'POST, OPTIONS',
    'content-type': 'text/plain;charset=UTF-8',
  });
  const out: Record<string, string> = {};
  answered.forEach((value, name) => {
    out[name] = value;
  });
  return { status: 200, headers: out, body: '' };
}

/** The answer to a body the webhook does not read (415: not JSON, or not UTF-8), or undefined when it reads it. */
export function unsupported(
  contentType: string | null,
  media: { type: string; charset: string | undefined },
  binary: boolean,
): Answer | undefined {
  if (media.charset !== undefined && media.charset !== 'utf-8' && media.charset !== 'utf8')
    return json(415, { error: `unsupported charset ${quote(media.charset)}: send UTF-8` });
  const readable = binary
    ? media.type === 'application/json' || media.type.endsWith('+json')
    : JSON_TYPES.has(media.type);
  if (!readable)
    return json(415, {
      error: `unsupported content type ${contentType === null ? '(none)' : quote(contentType)}`,
    });
  return undefined;
}
