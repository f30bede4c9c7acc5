/**
 * The webhook on node:http, with graceful close: node's request and response around the core of webhook.ts
 * (`createWebhookCore`, which answers exactly as the Fetch API handler does), with no Fetch API `Request`,
 * `Response` or stream in between: headers are read from `rawHeaders` with the semantics of `Headers`, the body
 * from the request's own events, and the answer is written as it is. It keeps what node:http needs: malformed
 * request targets, unread bodies answered and lingered on, kept-alive connections on close.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { consoleLogger, type Router } from './routing.js';
import {
  Admitted,
  type Answer,
  BodyTooLarge,
  createWebhookCore,
  type HeaderLookup,
  type IncomingHead,
  type WebhookOptions,
} from './webhook.js';

export interface WebhookServerOptions extends WebhookOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0: a free port (see `url`). */
  port?: number;
  /** Serve only this path (other paths answer 404). Default: every path. */
  path?: string;
  /**
   * A request (its headers and its body) must arrive within this many milliseconds of its first byte: past it, the
   * server answers 408 and closes the connection (node:http's `requestTimeout`, checked every second or more often), so
   * a client that stops sending holds nothing for long. Handlers' time is not counted (that is `timeoutMs`). Default
   * 10 000.
   */
  bodyTimeoutMs?: number;
  /**
   * How long close() lets connections that have no answer being made (idle, or a request whose headers or body are
   * still arriving) go on before it ends them; the connections left once every answer is written get as long again.
   * Default 1000.
   */
  closeGraceMs?: number;
}

export interface WebhookServer {
  readonly server: Server;
  /** `http://host:port/` the server listens on. */
  readonly url: string;
  /**
   * Stops accepting connections and closes idle ones; requests in flight finish (or reach the webhook's
   * `timeoutMs`: 500) and are answered with `Connection: close`, and a request arriving on a kept-alive
   * connection meanwhile is refused (503, `Connection: close`: Event Grid retries it). A connection still
   * sending its request (headers or body) is ended after `closeGraceMs` (the sender retries). Resolves once every
   * connection is closed: within `closeGraceMs` when no handler runs, else once the handlers finish or time out.
   */
  close(): Promise<void>;
}

/**
 * A body left unread (an answer before the end of the body: 401, 413, 415, …) is read on and dropped
 * for at most this long after the answer is sent, then the connection is closed: closing it on unread
 * data would reset it, and the client would lose the answer while it is still sending.
 */
const LINGER_MS = 5000;
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
export const DEFAULT_CLOSE_GRACE_MS = 1000;

function answer(status: number, error: string, extra?: Record<string, string>): Answer {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (extra) Object.assign(headers, extra); // names after "content-type", as a Response lists them
  return { status, headers, body: JSON.stringify({ error }) };
}

/** The request's headers as Web Headers (repeated headers kept), or undefined when one is not a valid header. */
function headersOf(raw: readonly string[]): Headers | undefined {
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
function lenientParser(server: Server): boolean {
  const own = (server as Server & { insecureHTTPParser?: boolean }).insecureHTTPParser;
  if (own !== undefined) return own;
  const flag = /(?:^|\s)--insecure-http-parser(?=\s|$)/;
  return process.execArgv.some((arg) => flag.test(arg)) || flag.test(process.env.NODE_OPTIONS ?? '');
}

/** Whether `new Headers()` takes every raw header as it is (else headersOf decides, and answers for them). */
function plainHeaders(raw: readonly string[]): boolean {
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
class RawHeaders implements HeaderLookup {
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

/** The path of the request target, or undefined when it is malformed (`//%`). */
function pathnameOf(url: string): string | undefined {
  try {
    return new URL(url, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** What a body is read for: the request being served, told of the whole body or of why it could not be read. */
interface BodyTarget {
  body(bytes: Uint8Array): void;
  unread(error: unknown): void;
}

/** A body being read: what the request's listeners (module functions, so a request makes no closures) fill in. */
interface Reading {
  readonly target: BodyTarget;
  readonly limit: number;
  readonly chunks: Buffer[];
  size: number;
}

/**
 * Where a request being read keeps its Reading; undefined once the body is read, too large or failed. The listeners
 * stay on the request (removing four listeners costs more than the request's own body checks) and do nothing then.
 */
const READING = Symbol('eventgen.reading');

/** How many requests a connection has being served (pipelined requests can overlap), kept on the socket itself. */
const BUSY = Symbol('eventgen.busy');
/** The last request a connection brought: while it is not complete, its body (or part of it) is still to arrive. */
const LATEST = Symbol('eventgen.latest');
type Counted = Socket & { [BUSY]?: number; [LATEST]?: IncomingMessage };
type Read = IncomingMessage & { [READING]?: Reading | undefined };

/** The Reading of `request`, now over; undefined when it was over already. */
function stopReading(request: Read): Reading | undefined {
  const reading = request[READING];
  request[READING] = undefined;
  return reading;
}

function onData(this: Read, chunk: Buffer): void {
  const reading = this[READING];
  if (reading === undefined) return; // the rest of a body past the limit, being lingered on
  reading.size += chunk.byteLength;
  if (reading.size <= reading.limit) reading.chunks.push(chunk);
  else {
    stopReading(this);
    this.pause(); // the rest is lingered on once the answer is written
    reading.target.unread(new BodyTooLarge());
  }
}

function onEnd(this: Read): void {
  const reading = stopReading(this);
  if (reading === undefined) return;
  const { chunks, size } = reading;
  reading.target.body(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
}

function onError(this: Read, error: Error): void {
  stopReading(this)?.target.unread(error);
}

function onClose(this: Read): void {
  stopReading(this)?.target.unread(prematureClose());
}

/**
 * Reads the whole body of `request` for `target`, at most `limit` bytes: past it, tells the target BodyTooLarge,
 * stops reading and leaves the rest to be lingered on. A body that cannot be read is told as the request's async
 * iterator would tell it: the error the request ends with, or "Premature close" when it closes before its end.
 */
function readRequest(request: Read, limit: number, target: BodyTarget): void {
  if (request.destroyed) {
    target.unread(request.errored ?? prematureClose());
    return;
  }
  request[READING] = { target, limit, chunks: [], size: 0 };
  request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
}

/** A request as the webhook's core reads it before its body (the adapter reads the body itself). */
class NodeIncoming implements IncomingHead {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderLookup;
  constructor(method: string, url: string, headers: HeaderLookup) {
    this.method = method;
    this.url = url;
    this.headers = headers;
  }
}

/** The error a stream's async iterator gives when the stream closes before its end. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

export async function createWebhookServer(
  router: Router,
  options: WebhookServerOptions = {},
): Promise<WebhookServer> {
  const core = createWebhookCore(router, options);
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  for (const [name, value] of [
    ['bodyTimeoutMs', bodyTimeoutMs],
    ['closeGraceMs', closeGraceMs],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new TypeError(`webhook server option ${name} must be a whole number of milliseconds above 0`);
  }
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let stopping = false;
  let closing: Promise<void> | undefined;
  const sockets = new Set<Socket>();
  /** Whether a request's headers need checking before they are read as Web Headers (see lenientParser). */
  let checkHeaders = true;
  /** Ends the lingering of each answer whose body is being dropped. */
  const lingering = new Set<() => void>();

  /** Reads and drops the rest of `request` until it ends, the client goes, LINGER_MS pass or close() starts. */
  function linger(request: IncomingMessage): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        lingering.delete(done);
        request.off('end', done).off('close', done).off('error', done);
        resolve();
      };
      const timer = setTimeout(done, LINGER_MS);
      lingering.add(done);
      request.on('end', done).on('close', done).on('error', done);
      request.resume();
      if (stopping) done();
    });
  }

  /**
   * One request being served: admitted by the core, its body read, answered; all in the turn of the event loop its
   * body ends in, unless a secret or token is checked or a handler returns a promise. Counted in flight until its
   * answer is written (and, for a body left unread, lingered on).
   */
  class Exchange implements BodyTarget {
    readonly #request: Read;
    readonly #response: ServerResponse;
    readonly #socket: Counted;
    #admitted: Admitted | undefined;
    /** Whether the body was read to its end. */
    #consumed = false;

    constructor(request: Read, response: ServerResponse) {
      this.#request = request;
      this.#response = response;
      this.#socket = request.socket;
      inFlight++;
      this.#socket[BUSY] = (this.#socket[BUSY] ?? 0) + 1;
      this.#socket[LATEST] = request;
    }

    start(): void {
      try {
        const request = this.#request;
        const url = request.url ?? '/';
        const pathname = options.path === undefined ? '' : pathnameOf(url);
        const raw = request.rawHeaders;
        const headers = !checkHeaders || plainHeaders(raw) ? new RawHeaders(raw) : headersOf(raw);
        const incoming = headers && new NodeIncoming(request.method ?? 'GET', url, headers);
        this.#step(
          stopping
            ? answer(503, 'shutting down', { 'retry-after': '1' })
            : pathname === undefined
              ? answer(400, 'malformed request target')
              : options.path !== undefined && pathname !== options.path
                ? answer(404, 'not found')
                : incoming === undefined
                  ? answer(400, 'malformed header')
                  : core.admit(incoming),
        );
      } catch (error) {
        this.#crash(error);
      }
    }

    #step(step: Answer | Admitted | Promise<Answer | Admitted>): void {
      // The core's promises are native ones, and never reject; a rejection here would be the adapter's own.
      if (step instanceof Promise) {
        step.then(
          (next) => this.#step(next),
          (error: unknown) => this.#crash(error),
        );
      } else if (step instanceof Admitted) {
        this.#admitted = step;
        readRequest(this.#request, core.limit, this);
      } else this.#write(step);
    }

    body(bytes: Uint8Array): void {
      this.#consumed = true;
      this.#answer(core.answer(this.#admitted as Admitted, bytes));
    }

    unread(error: unknown): void {
      const socket = this.#socket;
      if (!socket.destroyed) {
        this.#answer(core.unread(this.#admitted as Admitted, error));
        return;
      }
      // The connection is gone before the body arrived: nobody to answer. node:http ended it when the request was not
      // received in time (after answering 408 itself), or close() did, or the client went.
      const code = (socket.errored as { code?: unknown } | null)?.code;
      const why =
        code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? `408, the request did not arrive within bodyTimeoutMs (${bodyTimeoutMs} ms)`
          : stopping
            ? 'a request still arriving was ended by close()'
            : 'the client closed the connection before its request arrived';
      const log = (this.#admitted as Admitted).log;
      try {
        if (log.warn) log.warn(`eventgen: ${why}`);
        else log.info(`eventgen: ${why}`);
      } catch {
        // a failing logger must not keep the request counted in flight
      }
      this.#done();
    }

    #answer(result: Answer | Promise<Answer>): void {
      if (result instanceof Promise) {
        result.then(
          (answered) => this.#write(answered),
          (error: unknown) => this.#crash(error),
        );
      } else this.#write(result);
    }

    #write(result: Answer): void {
      const request = this.#request;
      const response = this.#response;
      try {
        const text = result.body;
        // A body left unread (401, 413, 415, …) is not read to the end: the connection is closed instead.
        const unread = !this.#consumed && !request.complete;
        const out: string[] = [];
        for (const name in result.headers) out.push(name, result.headers[name] as string);
        // The answer's length, so the client has the whole answer even while the connection lingers.
        out.push('content-length', String(Buffer.byteLength(text)));
        if (unread || stopping) out.push('connection', 'close');
        response.writeHead(result.status, out);
        if (unread) {
          response.write(text);
          void linger(request).then(() => {
            try {
              response.end();
            } catch (error) {
              this.#crash(error);
              return;
            }
            this.#done();
          });
          return;
        }
        response.end(text);
      } catch (error) {
        this.#crash(error);
        return;
      }
      this.#done();
    }

    /** A failure of the adapter's own: logged, answered 500 when nothing was sent yet, the connection closed. */
    #crash(error: unknown): void {
      try {
        (router.log ?? consoleLogger).error('eventgen: request failed', error);
      } catch {
        // a failing logger must not turn the answer into a crash
      }
      try {
        if (!this.#response.headersSent) this.#response.writeHead(500, { connection: 'close' });
        this.#response.end();
      } catch {
        // the connection is gone
      }
      this.#done();
    }

    #done(): void {
      inFlight--;
      this.#socket[BUSY] = (this.#socket[BUSY] as number) - 1;
      if (inFlight === 0) drained?.();
    }
  }

  const server = createServer(
    {
      // node:http answers 408 itself to a request not received in time, and checks for them at this interval.
      requestTimeout: bodyTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(bodyTimeoutMs / 4))),
    },
    (request, response) => new Exchange(request, response).start(),
  );
  checkHeaders = lenientParser(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  async function stop(): Promise<void> {
    stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const done of [...lingering]) done();
    server.closeIdleConnections();
    // Connections with no answer being made are not idle to node:http when a request's headers or body are half sent:
    // they get the grace period, then end (the request being read is answered 400 to no one, and counted out).
    const grace = setTimeout(() => {
      for (const socket of sockets as Set<Counted>)
        if (!socket[BUSY] || socket[LATEST]?.complete === false) socket.destroy();
    }, closeGraceMs);
    if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
    server.closeIdleConnections();
    // Every answer is written (with Connection: close); a client that does not read its answer gets as long again.
    const last = setTimeout(() => server.closeAllConnections(), closeGraceMs);
    await closed;
    clearTimeout(grace);
    clearTimeout(last);
  }

  return {
    server,
    url: `http://${host}:${address.port}/`,
    close() {
      closing ??= stop();
      return closing;
    },
  };
}
