/**
 * The webhook on node:http, with graceful close: a translation around the Fetch API handler of
 * webhook.ts (IncomingMessage → request, Response → ServerResponse) that keeps what node:http needs:
 * malformed request targets, unread bodies answered and lingered on, kept-alive connections on close.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { consoleLogger, type Router } from './routing.js';
import { createWebhookHandler, type WebhookOptions, type WebRequest } from './webhook.js';

export interface WebhookServerOptions extends WebhookOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0: a free port (see `url`). */
  port?: number;
  /** Serve only this path (other paths answer 404). Default: every path. */
  path?: string;
}

export interface WebhookServer {
  readonly server: Server;
  /** `http://host:port/` the server listens on. */
  readonly url: string;
  /**
   * Stops accepting connections and closes idle ones; requests in flight finish (or reach the webhook's
   * `timeoutMs`: 500) and are answered with `Connection: close`, and a request arriving on a kept-alive
   * connection meanwhile is refused (503, `Connection: close`: Event Grid retries it). Resolves once every
   * connection is closed.
   */
  close(): Promise<void>;
}

/**
 * A body left unread (an answer before the end of the body: 401, 413, 415, …) is read on and dropped
 * for at most this long after the answer is sent, then the connection is closed: closing it on unread
 * data would reset it, and the client would lose the answer while it is still sending.
 */
const LINGER_MS = 5000;
/** After close() and the requests in flight, connections still open without a request (headers half sent) get this long. */
const CLOSE_GRACE_MS = 1000;

function answer(status: number, error: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** The request's headers as Web Headers (repeated headers kept), or undefined when one is not a valid header. */
function headersOf(request: IncomingMessage): Headers | undefined {
  try {
    const headers = new Headers();
    const raw = request.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
    return headers;
  } catch {
    return undefined;
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

export async function createWebhookServer(
  router: Router,
  options: WebhookServerOptions = {},
): Promise<WebhookServer> {
  const handle = createWebhookHandler(router, options);
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let stopping = false;
  let closing: Promise<void> | undefined;
  const sockets = new Set<Socket>();
  /** Requests being served, per connection (pipelined requests can overlap). */
  const busy = new Map<Socket, number>();
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

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    inFlight++;
    const socket = request.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    let consumed = false;
    // Made on the first read only (an answer that reads nothing leaves the request free to be drained), with
    // destroyOnReturn: false, so a handler that stops reading (413) does not destroy the socket it answers on.
    let chunks: AsyncIterator<unknown> | undefined;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          chunks ??= request.iterator({ destroyOnReturn: false });
          const next = await chunks.next();
          if (next.done) {
            consumed = true;
            controller.close();
          } else controller.enqueue(next.value as Uint8Array);
        },
        async cancel() {
          await chunks?.return?.();
        },
      },
      { highWaterMark: 0 },
    );
    try {
      const url = request.url ?? '/';
      const pathname = options.path === undefined ? '' : pathnameOf(url);
      const headers = headersOf(request);
      const method = request.method ?? 'GET';
      const web: WebRequest | undefined = headers && { method, url, headers, body };
      const result = stopping
        ? answer(503, 'shutting down', { 'retry-after': '1' })
        : pathname === undefined
          ? answer(400, 'malformed request target')
          : options.path !== undefined && pathname !== options.path
            ? answer(404, 'not found')
            : web === undefined
              ? answer(400, 'malformed header')
              : await handle(web);
      const text = await result.text();
      // A body left unread (401, 413, 415, …) is not read to the end: the connection is closed instead.
      const unread = !consumed && !request.complete;
      const out: Record<string, string> = {};
      result.headers.forEach((value, name) => {
        out[name] = value;
      });
      // The answer's length, so the client has the whole answer even while the connection lingers.
      out['content-length'] = String(Buffer.byteLength(text));
      if (unread || stopping) out.connection = 'close';
      response.writeHead(result.status, out);
      if (unread) {
        response.write(text);
        await linger(request);
        response.end();
      } else response.end(text);
    } catch (error) {
      try {
        (router.log ?? consoleLogger).error('eventgen: request failed', error);
      } catch {
        // a failing logger must not turn the answer into a crash
      }
      if (!response.headersSent) response.writeHead(500, { connection: 'close' });
      response.end();
    } finally {
      inFlight--;
      const count = (busy.get(socket) ?? 1) - 1;
      if (count === 0) busy.delete(socket);
      else busy.set(socket, count);
      if (inFlight === 0) drained?.();
    }
  }

  const server = createServer((request, response) => void serve(request, response));
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
    if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
    server.closeIdleConnections();
    // Connections with no request being served (a request's headers half sent) are not idle to node:http.
    const grace = setTimeout(() => {
      for (const socket of sockets) if (!busy.has(socket)) socket.destroy();
    }, CLOSE_GRACE_MS);
    await closed;
    clearTimeout(grace);
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
