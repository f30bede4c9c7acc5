/**
 * The webhook on node:http, with graceful close: node's request and response around the core of webhook.ts
 * (`createWebhookCore`, which answers exactly as the Fetch API handler does), with no Fetch API `Request`,
 * `Response` or stream in between: headers are read from `rawHeaders` with the semantics of `Headers`, the body
 * from the request's own events, and the answer is written as it is. It keeps what node:http needs: malformed
 * request targets, unread bodies answered and lingered on, kept-alive connections on close. Its headers are read
 * by node-headers.ts, its body by node-body.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Answer } from './answers.js';
import { consoleLogger } from './logging.js';
import { type BodyTarget, type Read, readRequest } from './node-body.js';
import { headersOf, lenientParser, plainHeaders, RawHeaders } from './node-headers.js';
import type { Router } from './router-api.js';
import {
  Admitted,
  createWebhookCore,
  type HeaderLookup,
  type IncomingHead,
  type WebhookOptions,
} from './webhook-core.js';

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

/** The path of the request target, or undefined when it is malformed (`//%`). */
function pathnameOf(url: string): string | undefined {
  try {
    return new URL(url, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** How many requests a connection has being served (pipelined requests can overlap), kept on the socket itself. */
const BUSY = Symbol('eventgen.busy');
/** The last request a connection brought: while it is not complete, its body (or part of it) is still to arrive. */
const LATEST = Symbol('eventgen.latest');
type Counted = Socket & { [BUSY]?: number; [LATEST]?: IncomingMessage };

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
        this.#step(this.#first());
      } catch (error) {
        this.#crash(error);
      }
    }

    /** 503 while closing, 400 or 404 by the request target, 400 to a malformed header; else the core's first step. */
    #first(): Answer | Admitted | Promise<Answer | Admitted> {
      if (stopping) return answer(503, 'shutting down', { 'retry-after': '1' });
      const request = this.#request;
      const url = request.url ?? '/';
      const pathname = options.path === undefined ? '' : pathnameOf(url);
      if (pathname === undefined) return answer(400, 'malformed request target');
      if (options.path !== undefined && pathname !== options.path) return answer(404, 'not found');
      const raw = request.rawHeaders;
      const headers = !checkHeaders || plainHeaders(raw) ? new RawHeaders(raw) : headersOf(raw);
      if (headers === undefined) return answer(400, 'malformed header');
      return core.admit(new NodeIncoming(request.method ?? 'GET', url, headers));
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
