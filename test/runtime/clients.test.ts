/**
 * runtime/node-http.ts and runtime/azure-functions.ts: the webhook on 127.0.0.1 with real clients: @azure/eventgrid's publisher in both schemas,
 * the cloudevents SDK's binary and structured modes over fetch, the Azure Functions adapter
 * with @azure/functions' own request and context, a load of 50 concurrent clients, and a
 * graceful close.
 */
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { CloudEvent, HTTP } from 'cloudevents';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType } from '../../generated/src/events.ts';
import { makeBatch, makeCloudEvent, makeEventGridEvent } from '../../generated/src/fixtures.ts';
import { createAzureFunctionsHandler } from '../../runtime/azure-functions.ts';
import { createWebhookServer, type WebhookServer } from '../../runtime/node-http.ts';
import { createRouter, type PackageHandlers as Handlers, quiet, recorder } from './catalog.ts';

const servers: WebhookServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** `promise`, or a rejection naming `what` after `ms`: a test that waits on a socket stops by itself. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A raw TCP connection to the server: everything received, and how the server ended it. */
function raw(server: WebhookServer) {
  const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
  sockets.push(socket);
  const state = { text: '', ended: false, error: undefined as string | undefined };
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  socket.on('data', (chunk) => {
    state.text += String(chunk);
    notify();
  });
  socket.on('end', () => {
    state.ended = true;
  });
  socket.on('error', (error) => {
    state.error = error.message;
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return {
    socket,
    state,
    /** Resolves once the server has closed the connection (bounded). */
    closed: (ms = 10_000) => within(closed, ms, 'the server closes the connection'),
    /** Resolves once what was received matches `pattern` (bounded). */
    received: (pattern: RegExp, ms = 5000) =>
      within(
        new Promise<void>((resolve) => {
          const check = () => {
            if (!pattern.test(state.text)) return;
            waiters.delete(check);
            resolve();
          };
          waiters.add(check);
          check();
        }),
        ms,
        `a response matching ${pattern}`,
      ),
  };
}

/** The status codes of the HTTP responses in `text`, with whether each says `Connection: close`. */
function responses(text: string): { status: number; close: boolean }[] {
  return text
    .split(/(?=HTTP\/1\.1 \d{3} )/)
    .filter((part) => part.startsWith('HTTP/1.1'))
    .map((part) => ({ status: Number(part.slice(9, 12)), close: /\r\nconnection: close\r\n/i.test(part) }));
}

/** A handler for every event type that records `eventType id`. */
function recordingHandlers(seen: string[], fail?: (id: string) => boolean): Handlers {
  const record = (event: { eventType: string; id: string }) => {
    if (fail?.(event.id)) throw new Error(`injected failure for ${event.id}`);
    seen.push(`${event.eventType} ${event.id}`);
  };
  return Object.fromEntries(EVENT_TYPES.map((t) => [t, record])) as Handlers;
}

async function serve(handlers: Handlers, options: Parameters<typeof createWebhookServer>[1] = {}): Promise<WebhookServer> {
  const server = await createWebhookServer(createRouter(handlers, { log: quiet }), { host: '127.0.0.1', ...options });
  servers.push(server);
  return server;
}

describe('real clients against the node:http webhook', () => {
  it('EventGridPublisherClient (EventGrid schema): every event reaches its typed handler once', async () => {
    const seen: string[] = [];
    const server = await serve(recordingHandlers(seen), { secret: { value: 'k3y' } });
    const client = new EventGridPublisherClient(
      `${server.url}api/events?secret=k3y`,
      'EventGrid',
      new AzureKeyCredential('unused'),
      {
        allowInsecureConnection: true,
      },
    );
    const events = EVENT_TYPES.map((t, i) => makeEventGridEvent(t, undefined, { seed: i }));
    await client.send(
      events.map((e) => ({
        id: e.id,
        eventType: e.eventType,
        subject: e.subject,
        dataVersion: e.dataVersion,
        data: e.data,
        eventTime: new Date(e.eventTime),
      })),
    );
    expect(seen.sort()).toEqual(events.map((e) => `${e.eventType} ${e.id}`).sort());
  });

  it('EventGridPublisherClient (CloudEvent schema): every event reaches its typed handler once', async () => {
    const seen: string[] = [];
    const server = await serve(recordingHandlers(seen));
    const client = new EventGridPublisherClient(server.url, 'CloudEvent', new AzureKeyCredential('unused'), {
      allowInsecureConnection: true,
    });
    const events = EVENT_TYPES.map((t, i) => makeCloudEvent(t, undefined, { seed: i }));
    await client.send(
      events.map((e) => ({
        id: e.id,
        type: e.type,
        source: e.source,
        subject: e.subject,
        data: e.data,
        time: new Date(String(e.time)),
      })),
    );
    expect(seen.sort()).toEqual(events.map((e) => `${e.type} ${e.id}`).sort());
  });

  it.each(['binary', 'structured'] as const)('cloudevents SDK, %s mode over fetch', async (mode) => {
    const seen: string[] = [];
    const server = await serve(recordingHandlers(seen));
    const sent: string[] = [];
    for (const [i, eventType] of EVENT_TYPES.entries()) {
      const fixture = makeCloudEvent(eventType, undefined, { seed: 100 + i });
      const event = new CloudEvent({
        id: fixture.id,
        type: eventType,
        source: fixture.source,
        data: fixture.data,
        datacontenttype: 'application/json',
      });
      const message = mode === 'binary' ? HTTP.binary(event) : HTTP.structured(event);
      const response = await fetch(server.url, {
        method: 'POST',
        headers: message.headers as Record<string, string>,
        body: message.body as string,
      });
      expect(response.status).toBe(200);
      sent.push(`${eventType} ${fixture.id}`);
    }
    expect(seen).toEqual(sent);
  });

  it('answers both handshakes over HTTP', async () => {
    const server = await serve({});
    const options = await fetch(server.url, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
    expect([options.status, options.headers.get('webhook-allowed-origin')]).toEqual([200, 'eventgrid.azure.net']);
    const validation = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation' },
      body: JSON.stringify([
        {
          id: '1',
          subject: '',
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          eventTime: '2024-01-01T00:00:00Z',
          data: { validationCode: 'C0DE' },
          dataVersion: '1',
        },
      ]),
    });
    expect(await validation.json()).toEqual({ validationResponse: 'C0DE' });
  });

  it('answers 413 to an oversized upload before it is all sent', async () => {
    const server = await serve({});
    const url = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': 8 * 1024 * 1024 },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('['); // 1 byte of the 8 MiB announced; the answer must not wait for the rest
    });
    expect(status).toBe(413);
  });
});

describe('clients that misbehave', () => {
  it('answers 413 to an oversized chunked body and closes cleanly, for a client that reads only once it has sent it all', async () => {
    const server = await serve({});
    const client = raw(server);
    client.socket.pause(); // reads nothing until the whole body is sent
    client.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = `10000\r\n${' '.repeat(0x10000)}\r\n`;
    for (let i = 0; i < 256; i++) client.socket.write(chunk); // 16 MiB, 16 times the limit
    await within(
      new Promise<void>((resolve) => client.socket.write('0\r\n\r\n', () => resolve())),
      10_000,
      'the server takes the whole body',
    );
    client.socket.resume();
    await client.closed();
    expect(responses(client.state.text)).toEqual([{ status: 413, close: true }]);
    expect(client.state.text).toContain('{"error":"body over 1048576 bytes"}');
    expect([client.state.ended, client.state.error]).toEqual([true, undefined]); // closed, not reset
  });

  it.each([
    ['//%', {}],
    ['http://[::1/', {}],
    ['//%', { path: '/api/events' }],
    ['//%', { secret: { value: 's3cret' } }],
  ] as const)('answers 400 to the malformed request target %s (options %o)', async (target, options) => {
    const server = await serve({}, options);
    const client = raw(server);
    client.socket.write(
      `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]`,
    );
    await client.closed();
    expect(responses(client.state.text)).toMatchObject([{ status: 400 }]);
    expect(client.state.text).toContain('malformed request target');
  });

  it('survives a client that hangs up halfway through its body, and goes on serving', async () => {
    const seen: string[] = [];
    const server = await serve(recordingHandlers(seen));
    const url = new URL(server.url);
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 10_000 },
      });
      req.on('error', () => resolve());
      req.write('[{"id": "half');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    const event = makeEventGridEvent('Microsoft.Communication.SMSReceived');
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([event]),
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual([`${event.eventType} ${event.id}`]);
  });
});

describe('the Azure Functions adapter with @azure/functions', () => {
  const context = () => new InvocationContext({ invocationId: 'test', functionName: 'events' });
  const request = (method: string, body?: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    new HttpRequest({
      method,
      url: 'https://contoso.azurewebsites.net/api/events',
      headers,
      ...(body === undefined ? {} : { body: { string: body } }),
    });

  it('handles both handshakes and routes events', async () => {
    const seen: string[] = [];
    const handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> = createAzureFunctionsHandler(
      createRouter(recordingHandlers(seen), { log: quiet }),
    );
    const options = await handler(request('OPTIONS', undefined, { 'webhook-request-origin': 'eventgrid.azure.net' }), context());
    expect([options.status, (options.headers as Record<string, string>)['webhook-allowed-origin']]).toEqual([
      200,
      'eventgrid.azure.net',
    ]);
    const validation = await handler(
      request(
        'POST',
        JSON.stringify([
          {
            id: '1',
            subject: '',
            eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
            eventTime: '2024-01-01T00:00:00Z',
            data: { validationCode: 'F-1' },
            dataVersion: '1',
          },
        ]),
      ),
      context(),
    );
    expect(JSON.parse(String(validation.body))).toEqual({ validationResponse: 'F-1' });
    const events = makeBatch('Microsoft.Communication.SMSReceived', 3);
    const delivered = await handler(request('POST', JSON.stringify(events)), context());
    expect(delivered.status).toBe(200);
    expect(seen).toEqual(events.map((e) => `${e.eventType} ${e.id}`));
    expect((await handler(request('POST', '{bad'), context())).status).toBe(400);
  });
});

describe('load: 50 concurrent clients', () => {
  it('dispatches every event of every answered batch exactly once; only injected failures give 5xx', async () => {
    const seen: string[] = [];
    const failing = new Set<string>();
    const server = await serve(recordingHandlers(seen, (id) => failing.has(id)));
    const types = EVENT_TYPES as readonly EventType[];
    const delivered: string[] = [];
    const statuses = new Map<number, number>();
    const deadline = Date.now() + 2000;
    let batchNo = 0;
    /** Client `client` posts batch number `n` (5 events of one type, either envelope, the first failing every 25th). */
    const post = async (client: number, n: number) => {
      const eventType = types[n % types.length] as EventType;
      const cloud = n % 2 === 1;
      const batch = cloud
        ? makeBatch(eventType, 5, { envelope: 'cloudevents', seed: n * 10 })
        : makeBatch(eventType, 5, { seed: n * 10 });
      const ids = batch.map((e, k) => `${client}-${n}-${k}-${e.id}`);
      const events = batch.map((e, k) => ({ ...e, id: ids[k] as string }));
      if (n % 25 === 0) failing.add(ids[0] as string);
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': cloud ? 'application/cloudevents-batch+json' : 'application/json' },
        body: JSON.stringify(events),
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const expected = events.filter((e) => !failing.has(e.id)).map((e) => `${eventType} ${e.id}`);
      if (response.status === 200 || response.status === 500) delivered.push(...expected);
      if (response.status === 500) expect(failing.has(ids[0] as string)).toBe(true);
    };
    await Promise.all(
      Array.from({ length: 50 }, async (_, client) => {
        for (let i = 0; i < 200 && Date.now() < deadline; i++) await post(client, batchNo++);
      }),
    );
    const counts = new Map<string, number>();
    for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1);
    expect([...counts.values()].filter((c) => c > 1)).toEqual([]); // no duplicates
    expect(new Set(seen)).toEqual(new Set(delivered)); // nothing lost
    expect([...statuses.keys()].sort()).toEqual([200, 500]);
    expect(statuses.get(500)).toBe([...failing].length);
    expect(batchNo).toBeGreaterThanOrEqual(50);
  });
});

describe('graceful close', () => {
  it('answers with Connection: close once close() starts, refuses requests on kept-alive connections, closes idle ones, and resolves', async () => {
    let calls = 0;
    let entered = () => {};
    let release = () => {};
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = await serve({
      'Microsoft.Communication.SMSReceived': async () => {
        calls++;
        entered();
        await released;
      },
    });
    const body = JSON.stringify([makeEventGridEvent('Microsoft.Communication.SMSReceived')]);
    const post = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

    const idle = raw(server);
    idle.socket.write('OPTIONS / HTTP/1.1\r\nHost: x\r\nWebHook-Request-Origin: eventgrid.azure.net\r\n\r\n');
    await idle.received(/\r\n\r\n/);
    const busy = raw(server);
    busy.socket.write(post);
    await within(inHandler, 5000, 'the handler runs');

    const closing = server.close();
    await idle.closed(); // the idle kept-alive connection is closed at once
    busy.socket.write(post); // a new request on the kept-alive connection, after close() started
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await busy.closed();
    await within(closing, 5000, 'close() resolves');

    const [first, ...rest] = responses(busy.state.text);
    expect(first).toEqual({ status: 200, close: true }); // in flight: finished, and the last on its connection
    // The second request is refused: no answer (the connection closed after the first) or 503, and no handler ran.
    for (const refused of rest) expect(refused).toEqual({ status: 503, close: true });
    expect(calls).toBe(1);
    expect(idle.state.error).toBeUndefined();
  });

  it('lets a request in flight finish, then stops accepting', async () => {
    let release = () => {};
    let entered = () => {};
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const server = await createWebhookServer(
      createRouter(
        {
          'Microsoft.Communication.SMSReceived': () =>
            new Promise<void>((done) => {
              release = done;
              entered();
            }),
        },
        { log: quiet },
      ),
    );
    const body = JSON.stringify([makeEventGridEvent('Microsoft.Communication.SMSReceived')]);
    const pending = fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await inHandler;
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    release();
    expect((await pending).status).toBe(200);
    await closing;
    expect(closed).toBe(true);
    await expect(fetch(server.url, { method: 'OPTIONS' })).rejects.toThrow();
  });
});

describe('clients that stop sending', () => {
  const head = (length: number) =>
    `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

  it('answers 408 and closes the connection when a body does not arrive within bodyTimeoutMs; no handler runs', async () => {
    const seen: string[] = [];
    const { log, lines } = recorder();
    const server = await createWebhookServer(createRouter(recordingHandlers(seen), { log }), {
      host: '127.0.0.1',
      bodyTimeoutMs: 300,
    });
    servers.push(server);
    const body = JSON.stringify([makeEventGridEvent('Microsoft.Communication.SMSReceived')]);
    const client = raw(server);
    client.socket.write(head(Buffer.byteLength(body)) + body.slice(0, body.length >> 1)); // half the body, then nothing
    await client.closed(5000);
    expect(responses(client.state.text)).toEqual([{ status: 408, close: true }]);
    expect(seen).toEqual([]);
    expect(lines).toEqual([
      { level: 'warn', message: 'eventgen: 408, the request did not arrive within bodyTimeoutMs (300 ms)' },
    ]);
  });

  it('resolves close() within closeGraceMs while a client holds an incomplete body, and ends that connection', async () => {
    const server = await serve({}, { closeGraceMs: 200 });
    const client = raw(server);
    client.socket.write(`${head(1000)}[{"id":`); // the headers and a little of the body; the default bodyTimeoutMs is 10 s
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await within(server.close(), 3000, 'close() resolves');
    expect(performance.now() - started).toBeLessThan(2500);
    await client.closed(1000);
  });

  it('ends, within closeGraceMs, a connection whose headers are half sent and one whose body stalls, while a handler finishes', async () => {
    let release = () => {};
    const entered = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finish = () => {};
    const server = await serve(
      {
        'Microsoft.Communication.SMSReceived': () =>
          new Promise<void>((done) => {
            finish = done;
            release();
          }),
      },
      { closeGraceMs: 200 },
    );
    const body = JSON.stringify([makeEventGridEvent('Microsoft.Communication.SMSReceived')]);
    const busy = raw(server);
    busy.socket.write(head(Buffer.byteLength(body)) + body);
    await within(entered, 5000, 'the handler runs');
    const half = raw(server);
    half.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Ty');
    const stalled = raw(server);
    stalled.socket.write(`${head(100)}[`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = server.close();
    await half.closed(2000);
    await stalled.closed(2000);
    finish();
    await busy.closed(2000);
    await within(closing, 2000, 'close() resolves');
    expect(responses(busy.state.text)).toEqual([{ status: 200, close: true }]);
  });

  it('refuses a bodyTimeoutMs or closeGraceMs that is not a positive whole number of milliseconds', async () => {
    const router = createRouter({}, { log: quiet });
    await expect(createWebhookServer(router, { bodyTimeoutMs: 0 })).rejects.toThrow(/bodyTimeoutMs/);
    await expect(createWebhookServer(router, { closeGraceMs: Number.NaN })).rejects.toThrow(/closeGraceMs/);
  });
});

describe('a handler that never settles', () => {
  it('gets a 500 once timeoutMs passes (Event Grid retries), and close() still resolves', async () => {
    let started = 0;
    const server = await serve(
      { 'Microsoft.Communication.SMSReceived': () => new Promise<void>(() => void started++) },
      { timeoutMs: 200 },
    );
    const body = JSON.stringify([makeEventGridEvent('Microsoft.Communication.SMSReceived')]);
    const pending = fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    // close() once the handler runs (a fixed wait loses the race on a loaded machine: the request then gets 503).
    for (let i = 0; i < 500 && started === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = server.close();
    const response = await within(pending, 5000, 'the answer');
    expect([response.status, ((await response.json()) as { error: string }).error]).toEqual([
      500,
      'handlers did not finish within 200 ms; Event Grid will retry',
    ]);
    await within(closing, 5000, 'close() resolves');
    expect(started).toBe(1);
  });
});
