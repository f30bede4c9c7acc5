/**
 * The webhook on 127.0.0.1 with real clients: @azure/eventgrid's publisher in both schemas,
 * the cloudevents SDK's binary and structured modes over fetch, the Azure Functions adapter
 * with @azure/functions' own request and context, a load of 50 concurrent clients, and a
 * graceful close.
 */
import { request as httpRequest } from 'node:http';
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { CloudEvent, HTTP } from 'cloudevents';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createAzureFunctionsHandler,
  createRouter,
  createWebhookServer,
  EVENT_TYPES,
  type EventType,
  type Handlers,
  makeBatch,
  makeCloudEvent,
  makeEventGridEvent,
  type WebhookServer,
} from '../../generated/src/index.ts';

const quiet = { info: () => {}, error: () => {} };
const servers: WebhookServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

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
    await Promise.all(
      Array.from({ length: 50 }, async (_, client) => {
        for (let i = 0; i < 200 && Date.now() < deadline; i++) {
          const n = batchNo++;
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
        }
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
