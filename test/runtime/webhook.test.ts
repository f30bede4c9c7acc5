/**
 * The webhook on the Fetch API (runtime/webhook.ts): handshakes, content types, status codes, hostile
 * bodies, time limits; the same handler takes a plain `Request`.
 */
import { describe, expect, it, vi } from 'vitest';
import { makeCloudEvent, makeEventGridEvent } from '../../generated/src/fixtures.ts';
import { createAzureFunctionsHandler } from '../../runtime/azure-functions.ts';
import { createWebhookServer } from '../../runtime/node-http.ts';
import type { Router, RouterOptions } from '../../runtime/router-core.ts';
import {
  Admitted,
  type Answer,
  BodyTooLarge,
  createFetchHandler,
  createWebhookCore,
  createWebhookHandler,
  type WebhookOptions,
} from '../../runtime/webhook.ts';
import { createRouter, type PackageHandlers as Handlers, quiet, recorder } from './catalog.ts';

const JSON_TYPE = { 'content-type': 'application/json' };

type Body = string | Uint8Array | ReadableStream<Uint8Array> | null;

/** A request as a server hands it over; the target as it came (it may be malformed, which a `Request` cannot be). */
function request(method: string, url: string, headers: Record<string, string>, body: Body) {
  const stream =
    body === null || body instanceof ReadableStream ? body : (new Response(body as BodyInit).body as ReadableStream<Uint8Array>);
  return { method, url, headers: new Headers(headers), body: stream };
}

/** The answer, its body read as text. */
async function answered(response: Promise<Response>) {
  const r = await response;
  return { status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() };
}

function handlerOf(router: Router, options: WebhookOptions = {}) {
  const webhook = createWebhookHandler(router, options);
  return (method: string, url: string, headers: Record<string, string>, body: Body) =>
    answered(webhook(request(method, url, headers, body)));
}

function setup(handlers: Handlers = {}, options: WebhookOptions = {}, routerOptions: RouterOptions = {}) {
  const seen: string[] = [];
  const all: Handlers = {
    'Microsoft.Communication.SMSReceived': (e) => {
      seen.push(e.id);
    },
    ...handlers,
  };
  const handle = handlerOf(createRouter(all, { log: quiet, ...routerOptions }), options);
  return { handle, seen };
}

const sms = (seed = 1) => makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed });
const ce = (seed = 1) => makeCloudEvent('Microsoft.Communication.SMSReceived', undefined, { seed });

/** A body that fails the test if anyone reads it. */
const unreadable = (): ReadableStream<Uint8Array> =>
  new ReadableStream({
    pull() {
      throw new Error('the body must not be read');
    },
  });

describe('handshakes', () => {
  it('answers the Event Grid subscription validation', async () => {
    const { handle } = setup();
    const body = JSON.stringify([
      {
        id: '1',
        topic: '/x',
        subject: '',
        eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
        eventTime: '2024-01-01T00:00:00Z',
        data: { validationCode: 'ABC-123', validationUrl: 'https://x' },
        dataVersion: '1',
        metadataVersion: '1',
      },
    ]);
    const response = await handle('POST', '/api/events', { ...JSON_TYPE, 'aeg-event-type': 'SubscriptionValidation' }, body);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ validationResponse: 'ABC-123' });
  });

  it.each([
    ['the default origin', {}, 'eventgrid.azure.net', 200],
    ['an origin not allowed', {}, 'evil.example.com', 403],
    ['a configured origin', { allowedOrigins: ['hooks.contoso.com'] }, 'hooks.contoso.com', 200],
    ['no origin at all', {}, undefined, 400],
  ] as const)('CloudEvents abuse protection: %s', async (_, options, origin, status) => {
    const { handle } = setup({}, { ...options, allowedRate: '120' });
    const response = await handle('OPTIONS', '/', origin === undefined ? {} : { 'WebHook-Request-Origin': origin }, null);
    expect(response.status).toBe(status);
    if (status === 200)
      expect(response.headers).toMatchObject({ 'webhook-allowed-origin': origin, 'webhook-allowed-rate': '120' });
  });
});

describe('bodies and status codes', () => {
  it.each([
    ['an Event Grid array', JSON_TYPE, () => [sms(1), sms(2)], 2],
    ['a structured CloudEvent', { 'content-type': 'application/cloudevents+json; charset=utf-8' }, () => ce(1), 1],
    ['a CloudEvents batch', { 'content-type': 'application/cloudevents-batch+json' }, () => [ce(1), ce(2), ce(3)], 3],
  ])('accepts %s', async (_, headers, body, count) => {
    const { handle, seen } = setup();
    const response = await handle('POST', '/', headers, JSON.stringify(body()));
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(count);
  });

  it('accepts binary mode (ce-* headers, data as the body)', async () => {
    const { handle, seen } = setup();
    const event = ce(4);
    const headers = {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': event.id,
      'ce-source': event.source,
      'ce-type': event.type,
      'ce-time': String(event.time),
    };
    const response = await handle('POST', '/', headers, JSON.stringify(event.data));
    expect(response.status).toBe(200);
    expect(seen).toEqual([event.id]);
  });

  it('percent-decodes ce-* header values in binary mode', async () => {
    const subjects: (string | undefined)[] = [];
    const { handle } = setup({ 'Microsoft.Communication.SMSReceived': (e) => void subjects.push(e.subject) });
    const event = ce(5);
    const headers = {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': event.id,
      'ce-source': event.source,
      'ce-type': event.type,
      // "Ünïcode 100% /x" as the HTTP binding sends it; a malformed escape stays as it is.
      'ce-subject': '%C3%9Cn%C3%AFcode%20100%25%20%2Fx%ZZ',
    };
    expect((await handle('POST', '/', headers, JSON.stringify(event.data))).status).toBe(200);
    expect(subjects).toEqual(['Ünïcode 100% /x%ZZ']);
  });

  it('accepts a structured CloudEvent whose data is data_base64', async () => {
    const { handle, seen } = setup();
    const { data, ...event } = ce(6);
    const body = JSON.stringify({ ...event, data_base64: Buffer.from(JSON.stringify(data)).toString('base64') });
    const response = await handle('POST', '/', { 'content-type': 'application/cloudevents+json' }, body);
    expect([response.status, seen]).toEqual([200, [event.id]]);
    const bad = JSON.stringify({ ...event, data_base64: '%%%' });
    const log = recorder();
    const rejected = await handlerOf(createRouter({}, { log: log.log, rejectInvalid: true }))(
      'POST',
      '/',
      { 'content-type': 'application/cloudevents+json' },
      bad,
    );
    expect(rejected.status).toBe(400);
    expect(JSON.parse(rejected.body).events[0].errors[0]).toMatchObject({ path: '/data_base64', keyword: 'contentEncoding' });
  });

  it.each([
    ['malformed JSON', JSON_TYPE, '[{"id": ', 400],
    ['a truncated body', JSON_TYPE, JSON.stringify([sms()]).slice(0, 100), 400],
    ['invalid UTF-8', JSON_TYPE, new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]), 400],
    ['an unsupported content type', { 'content-type': 'text/plain' }, '[]', 415],
    ['no content type', {}, '[]', 415],
    ['a charset other than UTF-8', { 'content-type': 'application/json; charset=iso-8859-1' }, '[]', 415],
    ['an array as a structured CloudEvent', { 'content-type': 'application/cloudevents+json' }, '[]', 400],
    ['an object as a CloudEvents batch', { 'content-type': 'application/cloudevents-batch+json' }, '{}', 400],
  ] as const)('answers %s with %i', async (_, headers, body, status) => {
    const { handle } = setup();
    expect((await handle('POST', '/', headers, body)).status).toBe(status);
  });

  it('with rejectInvalid, lists the errors of invalid events per index (400: Event Grid never retries)', async () => {
    const { handle, seen } = setup({}, {}, { rejectInvalid: true });
    const response = await handle(
      'POST',
      '/',
      JSON_TYPE,
      JSON.stringify([sms(1), { ...sms(2), eventTime: 'noon' }, { ...sms(3), data: { From: 1 } }]),
    );
    expect(response.status).toBe(400);
    const body = JSON.parse(response.body);
    expect(body.events.map((e: { index: number }) => e.index)).toEqual([1, 2]);
    expect(body.events[0].errors[0]).toMatchObject({ path: '/eventTime', keyword: 'format' });
    expect(seen).toEqual([]);
  });

  it('by default acknowledges invalid events (200), dispatches the good ones and logs the bad one whole', async () => {
    const { log, lines } = recorder();
    const { handle, seen } = setup({}, {}, { log });
    const bad = { ...sms(2), id: '' };
    const response = await handle('POST', '/', JSON_TYPE, JSON.stringify([sms(1), bad, sms(3)]));
    expect([response.status, JSON.parse(response.body)]).toEqual([
      200,
      { received: 3, handled: 2, filtered: 0, unhandled: 0, unknown: 0, invalid: 1 },
    ]);
    expect(seen).toEqual([sms(1).id, sms(3).id]);
    expect(lines).toMatchObject([{ level: 'error' }]);
    expect(lines[0]?.message).toContain(JSON.stringify(bad));
  });

  it('with onInvalid, dispatches the good events of a batch and hands over the bad one (200)', async () => {
    const onInvalid = vi.fn();
    const { handle, seen } = setup({}, {}, { onInvalid });
    const response = await handle('POST', '/', JSON_TYPE, JSON.stringify([sms(1), { ...sms(2), id: '' }, sms(3)]));
    expect(response.status).toBe(200);
    expect(seen).toEqual([sms(1).id, sms(3).id]);
    expect(onInvalid).toHaveBeenCalledTimes(1);
  });

  it('answers 500 when a handler throws or rejects, logs the error, never sends it, and the process goes on', async () => {
    const { log, lines } = recorder();
    const { handle } = setup(
      {
        'Microsoft.Communication.SMSReceived': async () => {
          throw new Error('database down at 10.0.0.7, password hunter2');
        },
      },
      {},
      { log },
    );
    const response = await handle('POST', '/', JSON_TYPE, JSON.stringify([sms()]));
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toEqual({
      error: 'a handler failed; Event Grid will retry',
      events: [{ index: 0, status: 'failed', eventType: 'Microsoft.Communication.SMSReceived', id: sms().id }],
    });
    expect(response.body).not.toContain('hunter2');
    expect(lines).toMatchObject([{ level: 'error', message: 'eventgen: handler failed for event 0' }]);
    expect((await handle('POST', '/', JSON_TYPE, '[]')).status).toBe(200);
  });

  it('answers 500 when handlers outlive timeoutMs, aborts their signal, starts no further handler', async () => {
    const { log, lines } = recorder();
    let aborted = false;
    let calls = 0;
    const { handle } = setup(
      {
        'Microsoft.Communication.SMSReceived': (_, context) =>
          new Promise<void>(() => {
            calls++;
            context.signal.addEventListener('abort', () => {
              aborted = true;
            });
          }),
      },
      { timeoutMs: 50 },
      { log },
    );
    const response = await handle('POST', '/', JSON_TYPE, JSON.stringify([sms(1), sms(2)]));
    expect([response.status, JSON.parse(response.body).error]).toEqual([
      500,
      'handlers did not finish within 50 ms; Event Grid will retry',
    ]);
    expect([aborted, calls]).toEqual([true, 1]);
    expect(lines).toMatchObject([{ level: 'error', message: expect.stringContaining(JSON.stringify(sms(1).id)) }]);
  });

  it('counts time spent in synchronous handlers: a promise awaited after them gets only the time left', async () => {
    // The first handler takes the whole limit synchronously; the second returns a promise that would settle well
    // within a fresh limit. The timer starts only to wait for that promise, set for the time left (none): 500.
    let busy = true;
    const { handle } = setup(
      {
        'Microsoft.Communication.SMSReceived': () => {
          if (busy) {
            busy = false;
            const until = Date.now() + 60;
            while (Date.now() < until) {
              // the limit passes while this handler runs
            }
            return;
          }
          return new Promise<void>((resolve) => setTimeout(resolve, 30));
        },
      },
      { timeoutMs: 50 },
    );
    const response = await handle('POST', '/', JSON_TYPE, JSON.stringify([sms(1), sms(2)]));
    expect(response.status).toBe(500);
  });

  it('gives every handler of a request the same signal, already aborted when read after the time ran out', async () => {
    const signals: AbortSignal[] = [];
    let late: AbortSignal | undefined;
    const { handle } = setup(
      {
        'Microsoft.Communication.SMSReceived': (_, context) => {
          signals.push(context.signal);
          if (signals.length === 1) return;
          // Never settles: the time runs out while it is awaited; the signal is read only after that.
          return new Promise<void>(() =>
            setTimeout(() => {
              late = context.signal;
            }, 80),
          );
        },
      },
      { timeoutMs: 20 },
    );
    const response = await handle('POST', '/', JSON_TYPE, JSON.stringify([sms(1), sms(2)]));
    expect(response.status).toBe(500);
    expect(signals[0]).toBe(signals[1]);
    expect([signals[0]?.aborted, String(signals[0]?.reason)]).toEqual([true, 'Error: handlers did not finish within 20 ms']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(late).toBe(signals[0]);
    // A handler that reads the signal only after the time ran out gets it aborted too.
    let first: AbortSignal | undefined;
    const { handle: again } = setup(
      {
        'Microsoft.Communication.SMSReceived': (_, context) =>
          new Promise<void>(() =>
            setTimeout(() => {
              first = context.signal;
            }, 60),
          ),
      },
      { timeoutMs: 10 },
    );
    expect((await again('POST', '/', JSON_TYPE, JSON.stringify([sms(1)]))).status).toBe(500);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(first?.aborted).toBe(true);
  });

  it('sets no timer for a request whose handlers are all synchronous, and one for a handler that returns a promise', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      const sync = setup();
      expect((await sync.handle('POST', '/', JSON_TYPE, JSON.stringify([sms(1), sms(2)]))).status).toBe(200);
      expect(timers).not.toHaveBeenCalled();
      const pending = setup({ 'Microsoft.Communication.SMSReceived': async () => {} });
      expect((await pending.handle('POST', '/', JSON_TYPE, JSON.stringify([sms(1), sms(2)]))).status).toBe(200);
      expect(timers).toHaveBeenCalledTimes(1);
    } finally {
      timers.mockRestore();
    }
  });

  it('times a router made elsewhere from the start, and gives it an AbortSignal', async () => {
    let given: AbortSignal | undefined;
    const router: Router = {
      dispatch: (_, options) => {
        given = options?.signal;
        return new Promise(() => {});
      },
      log: quiet,
    };
    const response = await handlerOf(router, { timeoutMs: 20 })('POST', '/', JSON_TYPE, JSON.stringify([sms()]));
    expect(response.status).toBe(500);
    expect(given?.aborted).toBe(true);
  });

  it('answers 200 for an unknown event type and calls onUnknown; 400 when configured', async () => {
    const onUnknown = vi.fn();
    const unknown = JSON.stringify([{ ...sms(), eventType: 'Contoso.Other.Event' }]);
    expect((await setup({}, {}, { onUnknown }).handle('POST', '/', JSON_TYPE, unknown)).status).toBe(200);
    expect(onUnknown).toHaveBeenCalledTimes(1);
    expect((await setup({}, {}, { rejectUnknownEventTypes: true }).handle('POST', '/', JSON_TYPE, unknown)).status).toBe(400);
  });

  it('answers 405 to other methods', async () => {
    expect((await setup().handle('GET', '/', {}, null)).status).toBe(405);
  });
});

describe('limits and secrets', () => {
  it('answers 413 from Content-Length without reading the body', async () => {
    const { handle } = setup();
    expect((await handle('POST', '/', { ...JSON_TYPE, 'content-length': String(2 * 1024 * 1024) }, unreadable())).status).toBe(
      413,
    );
  });

  it('answers 413 once a streamed body passes 1 MiB, and stops reading there', async () => {
    const { handle } = setup();
    let pulled = 0;
    let cancelled = false;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled++;
          controller.enqueue(chunk);
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    expect((await handle('POST', '/', JSON_TYPE, endless)).status).toBe(413);
    expect([pulled, cancelled]).toEqual([17, true]);
  });

  it.each([
    ['the query parameter', '/events?secret=s3cret', {}, 200],
    ['the header', '/events', { 'x-webhook-secret': 's3cret' }, 200],
    ['a wrong secret', '/events?secret=guess', {}, 401],
    ['a secret of another length', '/events?secret=s3cret-and-more', {}, 401],
    ['no secret', '/events', {}, 401],
  ])('checks the shared secret in %s before reading the body', async (_, url, headers, status) => {
    const { handle } = setup({}, { secret: { value: 's3cret' } });
    const body = status === 401 ? unreadable() : '[]';
    expect((await handle('POST', url, { ...JSON_TYPE, ...headers }, body)).status).toBe(status);
  });

  it('guards the OPTIONS handshake with the secret too', async () => {
    const { handle } = setup({}, { secret: { value: 's3cret' } });
    expect((await handle('OPTIONS', '/', { 'webhook-request-origin': 'eventgrid.azure.net' }, null)).status).toBe(401);
  });

  it.each([
    ['empty', ''],
    ['blank', '  '],
    ['not a string', undefined as unknown as string],
  ])('refuses a secret that is %s when the handler is made, naming the option', async (_, value) => {
    const router = createRouter({}, { log: quiet });
    const message = /secret\.value is empty/;
    expect(() => createFetchHandler(router, { secret: { value } })).toThrow(message);
    expect(() => createWebhookHandler(router, { secret: { value } })).toThrow(message);
    expect(() => createAzureFunctionsHandler(router, { secret: { value } })).toThrow(message);
    await expect(createWebhookServer(router, { secret: { value } })).rejects.toThrow(message);
  });
});

describe('hostile bodies', () => {
  it.each([
    ['10,000-deep arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['10,000-deep objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
    [
      '10,000-deep data in a typed field',
      JSON.stringify([{ ...sms(), data: { From: '__deep__' } }]).replace(
        '"__deep__"',
        `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
      ),
    ],
    ['a number', '42'],
    ['null', 'null'],
    ['an array of nulls', '[null, null]'],
  ])('%s → 400 with rejectInvalid, 200 and a log line by default, never a crash', async (_, body) => {
    const response = await setup({}, {}, { rejectInvalid: true }).handle('POST', '/', JSON_TYPE, body);
    expect(response.status).toBe(400);
    const { log, lines } = recorder();
    const acknowledged = await setup({}, {}, { log }).handle('POST', '/', JSON_TYPE, body);
    expect(acknowledged.status).toBe(200);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.level === 'error' && l.message.startsWith('eventgen: invalid event'))).toBe(true);
  });

  it('does not let a body pollute prototypes', async () => {
    const { handle } = setup();
    const body = `[{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, ${JSON.stringify(sms()).slice(1)}]`;
    const response = await handle('POST', '/', JSON_TYPE, body);
    expect(response.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('failing collaborators and values that throw', () => {
  it('answers 500 with the failed events when a handler throws something hostile, even with a logger that throws', async () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('trap');
        },
        get: () => {
          throw new Error('trap');
        },
      },
    );
    const message = new Error('x');
    Object.defineProperty(message, 'message', {
      get: () => {
        throw new Error('getter');
      },
    });
    for (const thrown of [hostile, message, { toString: () => ({}) }]) {
      const log = {
        info: () => {},
        error: () => {
          throw new Error('logger down');
        },
      };
      const router = createRouter(
        {
          'Microsoft.Communication.SMSReceived': () => {
            throw thrown;
          },
        },
        { log },
      );
      const report = await router.dispatch([sms()]);
      expect(report.events).toMatchObject([{ status: 'failed', error: 'unknown error' }]);
      const response = await handlerOf(router)('POST', '/', JSON_TYPE, JSON.stringify([sms()]));
      expect([response.status, JSON.parse(response.body).events[0].status]).toEqual([500, 'failed']);
    }
  });

  it('answers 500, and does not reject, when the router fails and so does its logger', async () => {
    const router: Router = {
      dispatch: () => Promise.reject(new Error('router down')),
      log: {
        info: () => {},
        error: () => {
          throw new Error('logger down');
        },
      },
    };
    const response = await handlerOf(router)('POST', '/', JSON_TYPE, JSON.stringify([sms()]));
    expect([response.status, JSON.parse(response.body)]).toEqual([500, { error: 'internal error' }]);
  });

  it('reports events that throw while they are read as invalid, and dispatch resolves', async () => {
    const throwing = Object.defineProperty(sms(), 'data', {
      get: () => {
        throw new Error('boom');
      },
      enumerable: true,
    });
    const report = await createRouter({}, { log: quiet, rejectInvalid: true }).dispatch([sms(), throwing]);
    expect(report).toMatchObject({
      outcome: 'rejected',
      events: [{ index: 1, status: 'invalid', errors: [{ path: '/data', keyword: 'exception' }] }],
    });
  });

  it('the Azure Functions adapter answers when context.error throws', async () => {
    const context = {
      log: () => {},
      error: () => {
        throw new Error('logger down');
      },
    };
    const failing = createAzureFunctionsHandler(
      createRouter(
        {
          'Microsoft.Communication.SMSReceived': () => {
            throw new Error('handler down');
          },
        },
        { log: quiet },
      ),
    );
    const body = new Blob([JSON.stringify([sms()])]).stream() as unknown as AsyncIterable<Uint8Array>;
    const request = {
      method: 'POST',
      url: 'https://contoso.azurewebsites.net/api/events',
      headers: new Headers(JSON_TYPE),
      body,
    };
    expect((await failing(request, context)).status).toBe(500);
  });
});

describe('hostile request targets and headers', () => {
  it.each([
    ['//%', {}],
    ['http://[::1', {}],
    ['//%', { secret: { value: 's3cret' } }],
  ] as const)('answers 400 to the malformed request target %s (options %o)', async (url, options) => {
    const response = await setup({}, options).handle('POST', url, JSON_TYPE, '[]');
    expect([response.status, JSON.parse(response.body)]).toEqual([400, { error: 'malformed request target' }]);
  });

  it('the Azure Functions adapter answers 400 to a malformed URL', async () => {
    const handler = createAzureFunctionsHandler(createRouter({}, { log: quiet }));
    const request = { method: 'POST', url: 'http://[::1', headers: new Headers(JSON_TYPE), body: null };
    expect((await handler(request, { log: () => {}, error: () => {} })).status).toBe(400);
  });

  it('does not echo a huge header back', async () => {
    const huge = `text/${'x'.repeat(1 << 20)}`;
    const response = await setup().handle('POST', '/', { 'content-type': huge }, '[]');
    expect(response.status).toBe(415);
    expect(response.body.length).toBeLessThan(300);
    const origin = await setup().handle('OPTIONS', '/', { 'webhook-request-origin': huge }, null);
    expect([origin.status, origin.body.length < 300]).toEqual([403, true]);
  });
});

describe('createFetchHandler', () => {
  it('takes a plain Request and gives a Response', async () => {
    const seen: string[] = [];
    const handler = createFetchHandler(
      createRouter({ 'Microsoft.Communication.SMSReceived': (e) => void seen.push(e.id) }, { log: quiet }),
    );
    const response = await handler(
      new Request('https://contoso.example/api/events', {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify([sms(7)]),
      }),
    );
    expect(response).toBeInstanceOf(Response);
    expect([response.status, await response.json(), seen]).toEqual([
      200,
      { received: 1, handled: 1, filtered: 0, unhandled: 0, unknown: 0, invalid: 0 },
      [sms(7).id],
    ]);
    const options = await handler(
      new Request('https://contoso.example/api/events', {
        method: 'OPTIONS',
        headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' },
      }),
    );
    expect([options.status, options.headers.get('webhook-allowed-origin')]).toEqual([200, 'eventgrid.azure.net']);
  });

  it('reads only the request: arguments a server adds (a Worker env, ctx) are not a scope', async () => {
    const { log, lines } = recorder();
    const handler = createFetchHandler(createRouter({}, { log })) as (...args: unknown[]) => Promise<Response>;
    const response = await handler(
      new Request('https://contoso.example/', {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify([{ ...sms(), eventType: 'X.Y' }]),
      }),
      { log: { info: () => {}, error: () => {} } },
      {},
    );
    expect([response.status, lines.map((l) => l.level)]).toEqual([200, ['warn']]);
  });
});

describe('how the Fetch API handler reads a body', () => {
  const handler = () =>
    createFetchHandler(createRouter({ 'Microsoft.Communication.SMSReceived': () => {} }, { log: quiet }), {
      maxBodyBytes: 1000,
    });
  /** A request whose body is read through arrayBuffer() or its stream; each says when it is read. */
  const tracked = (text: string, headers: Record<string, string>, reported = text) => {
    const reads: string[] = [];
    const bytes = new TextEncoder().encode(reported);
    return {
      reads,
      request: {
        method: 'POST',
        url: 'https://contoso.example/',
        headers: new Headers(headers),
        get body() {
          reads.push('stream');
          return new Response(text).body;
        },
        arrayBuffer() {
          reads.push('arrayBuffer');
          return Promise.resolve(bytes.buffer.slice(0) as ArrayBuffer);
        },
      } as unknown as Request,
    };
  };
  const body = JSON.stringify([sms(3)]);

  it('reads a body of a declared length within the limit whole, never through its stream', async () => {
    const { reads, request } = tracked(body, { ...JSON_TYPE, 'content-length': String(body.length) });
    expect((await handler()(request)).status).toBe(200);
    expect(reads).toEqual(['arrayBuffer']);
  });

  it('reads a body of no declared length (chunked) through its stream, up to the limit', async () => {
    const { reads, request } = tracked(body, JSON_TYPE);
    expect((await handler()(request)).status).toBe(200);
    expect(reads).toEqual(['stream']);
    const long = tracked(JSON.stringify(Array.from({ length: 10 }, (_, i) => sms(i))), JSON_TYPE);
    expect((await handler()(long.request)).status).toBe(413);
    expect(long.reads).toEqual(['stream']);
  });

  it('answers 413 from a declared length over the limit without reading, and from a body longer than declared', async () => {
    const over = tracked(body, { ...JSON_TYPE, 'content-length': '1001' });
    expect((await handler()(over.request)).status).toBe(413);
    expect(over.reads).toEqual([]);
    const lying = tracked(body, { ...JSON_TYPE, 'content-length': '10' }, 'x'.repeat(1001));
    expect((await handler()(lying.request)).status).toBe(413);
    expect(lying.reads).toEqual(['arrayBuffer']);
  });

  it("reads a Request of the platform's own class through its stream, its chunks as they are; any other through arrayBuffer()", async () => {
    // Node's Request copies a body twice in arrayBuffer() (into one Buffer, then into a new ArrayBuffer); its stream
    // gives the body's bytes as they came, and a body of one chunk is not copied at all.
    const arrayBuffer = vi.spyOn(Request.prototype, 'arrayBuffer');
    const headers = { ...JSON_TYPE, 'content-length': String(body.length) };
    const own = new Request('https://contoso.example/', { method: 'POST', headers, body });
    const answered = await handler()(own);
    expect([answered.status, await answered.json()]).toEqual([200, expect.objectContaining({ handled: 1 })]);
    expect(arrayBuffer).not.toHaveBeenCalled();
    class Proxied extends Request {}
    const proxied = new Proxied('https://contoso.example/', { method: 'POST', headers, body });
    expect((await handler()(proxied)).status).toBe(200);
    expect(arrayBuffer).toHaveBeenCalledTimes(1);
    const over = new Request('https://contoso.example/', { method: 'POST', headers: JSON_TYPE, body: 'x'.repeat(1001) });
    expect((await handler()(over)).status).toBe(413);
    arrayBuffer.mockRestore();
  });

  it('reads through the stream when the declared length is not a plain number', async () => {
    const { reads, request } = tracked(body, { ...JSON_TYPE, 'content-length': '1e2' });
    expect((await handler()(request)).status).toBe(200);
    expect(reads).toEqual(['stream']);
  });
});

describe('the Azure Functions adapter', () => {
  it("logs to the invocation's context, not the console", async () => {
    const logged: string[] = [];
    const context = {
      log: (message: unknown) => void logged.push(`log ${String(message)}`),
      warn: (message: unknown) => void logged.push(`warn ${String(message)}`),
      error: (message: unknown) => void logged.push(`error ${String(message)}`),
    };
    const console = vi.spyOn(globalThis.console, 'warn');
    const handler = createAzureFunctionsHandler(createRouter({}));
    const body = new Response(JSON.stringify([{ ...sms(), eventType: 'Contoso.Other.Event' }])).body;
    const response = await handler(
      { method: 'POST', url: 'https://x/api/events', headers: new Headers(JSON_TYPE), body },
      context,
    );
    expect(response.status).toBe(200);
    expect(logged).toEqual([
      `warn eventgen: event "${sms().id}" of unknown type "Contoso.Other.Event" acknowledged, not handled`,
    ]);
    expect(console).not.toHaveBeenCalled();
    console.mockRestore();
  });
});

describe('the core in two steps (what node:http runs)', () => {
  const head = (headers: Record<string, string> = JSON_TYPE, url = '/') => ({
    method: 'POST',
    url,
    headers: new Headers(headers),
  });
  const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

  it('admits and answers at once, with no promise, when nothing is checked asynchronously or returned by a handler', async () => {
    const seen: string[] = [];
    const core = createWebhookCore(
      createRouter({ 'Microsoft.Communication.SMSReceived': (e) => void seen.push(e.id) }, { log: quiet }),
    );
    const admitted = core.admit(head());
    expect(admitted).toBeInstanceOf(Admitted);
    const answer = core.answer(admitted as Admitted, bytes([sms(1), sms(2)]));
    expect(answer).not.toBeInstanceOf(Promise);
    expect(seen).toEqual([sms(1).id, sms(2).id]);
    // The same answer as the one-call form, which reads the body itself.
    const whole = await core({ ...head(), readBody: async () => bytes([sms(1), sms(2)]) });
    expect(answer).toEqual(whole);
    expect(JSON.parse((answer as Answer).body)).toMatchObject({ received: 2, handled: 2 });
  });

  it('answers before the body when a check refuses the request, and explains a body it could not read', () => {
    const core = createWebhookCore(createRouter({}, { log: quiet }), { maxBodyBytes: 10 });
    expect(core.admit({ ...head(), method: 'GET' })).toMatchObject({ status: 405 });
    expect(core.admit(head({ 'content-type': 'text/plain' }))).toMatchObject({ status: 415 });
    expect(core.admit(head({ ...JSON_TYPE, 'content-length': '11' }))).toMatchObject({ status: 413 });
    const admitted = core.admit(head()) as Admitted;
    expect(core.unread(admitted, new BodyTooLarge())).toMatchObject({ status: 413 });
    expect(JSON.parse(core.unread(admitted, new Error('Premature close')).body)).toEqual({
      error: 'malformed JSON body: Premature close',
    });
    expect(core.answer(admitted, new TextEncoder().encode('[{'))).toMatchObject({ status: 400 });
  });

  it('gives a promise when a secret is checked or a handler returns one; none of the steps throws or rejects', async () => {
    const secret = createWebhookCore(createRouter({}, { log: quiet }), { secret: { value: 's3cret' } });
    const pending = secret.admit(head(JSON_TYPE, '/?secret=s3cret'));
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBeInstanceOf(Admitted);
    expect(await secret.admit(head(JSON_TYPE, '/?secret=nope'))).toMatchObject({ status: 401 });

    const slow = createWebhookCore(createRouter({ 'Microsoft.Communication.SMSReceived': async () => {} }, { log: quiet }));
    const answer = slow.answer(slow.admit(head()) as Admitted, bytes([sms()]));
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toMatchObject({ status: 200 });

    const broken: Router = {
      dispatch: () => Promise.reject(new Error('router down')),
      log: quiet,
    };
    const failing = createWebhookCore(broken);
    await expect(failing.answer(failing.admit(head()) as Admitted, bytes([sms()]))).resolves.toMatchObject({
      status: 500,
    });
    const throwing = {
      ...head(),
      get url(): string {
        throw new Error('no target');
      },
    };
    expect(failing.admit(throwing)).toMatchObject({ status: 500 });
  });
});
