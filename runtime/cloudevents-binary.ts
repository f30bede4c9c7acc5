/**
 * CloudEvents in binary mode over HTTP: the event's attributes are `ce-*` headers, percent-decoded, and the body is
 * its data.
 */
import type { HeaderLookup } from './webhook-core.js';

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
export function binaryEvent(
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
