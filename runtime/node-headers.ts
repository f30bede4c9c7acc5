/**
 * The headers of a node:http request as the webhook reads them: straight from `rawHeaders`, with the semantics of the
 * Web `Headers` built from them, which are made only when needed (an unusual name, every header in order) or when
 * node parsed leniently and a header may be one `Headers` refuses.
 */
import type { Server } from 'node:http';
import type { HeaderLookup } from './webhook-core.js';

/** The request's headers as Web Headers (repeated headers kept), or undefined when one is not a valid header. */
export function headersOf(raw: readonly string[]): Headers | undefined {
  try {
    const headers = new Headers();
    for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
    return headers;
  } catch {
    return undefined;
  }
}

/**
 * A header name as Headers takes one (an RFC 9110 token). Regular expressions, not loops over `charCodeAt`: a process
 * where some module subclasses String (schemasafe does) makes every `charCodeAt` call several times slower.
 */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What Headers refuses in a value once leading and trailing whitespace is cut. */
const NOT_IN_VALUE = /[\0\r\n]/;

const isWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** A value without the leading and trailing whitespace (space, tab, CR, LF) Headers cuts. */
function normalised(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/**
 * Whether node:http parses leniently (`--insecure-http-parser`, or a server made with `insecureHTTPParser`): only then
 * can a request arrive with a header that `new Headers()` refuses (a NUL in a value); the strict parser answers such a
 * request 400 itself, so its headers need no second look.
 */
export function lenientParser(server: Server): boolean {
  const own = (server as Server & { insecureHTTPParser?: boolean }).insecureHTTPParser;
  if (own !== undefined) return own;
  const flag = /(?:^|\s)--insecure-http-parser(?=\s|$)/;
  return process.execArgv.some((arg) => flag.test(arg)) || flag.test(process.env.NODE_OPTIONS ?? '');
}

/** Whether `new Headers()` takes every raw header as it is (else headersOf decides, and answers for them). */
export function plainHeaders(raw: readonly string[]): boolean {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!TOKEN.test(raw[i] as string) || NOT_IN_VALUE.test(normalised(raw[i + 1] as string))) return false;
  }
  return raw.length % 2 === 0;
}

/**
 * The request's headers read straight from `rawHeaders`, with the semantics of the Web Headers built from them
 * (names without case, values normalised, repeated ones joined); made when the parser is strict or plainHeaders
 * holds. What it does not do itself (an unusual name, every header in order) it asks of those Headers, made then.
 */
export class RawHeaders implements HeaderLookup {
  readonly #raw: readonly string[];
  #headers: Headers | undefined;
  constructor(raw: readonly string[]) {
    this.#raw = raw;
  }
  #web(): Headers {
    this.#headers ??= headersOf(this.#raw) as Headers;
    return this.#headers;
  }
  get(name: string): string | null {
    if (!TOKEN.test(name)) return this.#web().get(name); // throws as Headers does
    const key = name.toLowerCase();
    const raw = this.#raw;
    let value: string | null = null;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const header = raw[i] as string;
      if (header !== key && (header.length !== key.length || header.toLowerCase() !== key)) continue;
      const found = normalised(raw[i + 1] as string);
      value = value === null ? found : `${value}${key === 'cookie' ? '; ' : ', '}${found}`;
    }
    return value;
  }
  forEach(callback: (value: string, name: string) => void): void {
    this.#web().forEach(callback);
  }
}
