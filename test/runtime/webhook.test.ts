/** The pure request handler: handshakes, content types, status codes, hostile bodies. */
import { describe, expect, it, vi } from 'vitest';
import {
  createAzureFunctionsHandler,
  createRequestHandler,
  createRouter,
  type Handlers,
  makeCloudEvent,
  makeEventGridEvent,
  type Router,
  type RouterOptions,
  type WebhookOptions,
} from '../../generated/src/index.ts';

const quiet = { info: () => {}, error: () => {} };
const JSON_TYPE = { 'content-type': 'application/json' };

function setup(handlers: Handlers = {}, options: WebhookOptions = {}, routerOptions: RouterOptions = {}) {
  const seen: string[] = [];
  const all: Handlers = {
    'Microsoft.Communication.SMSReceived': (e) => {
      seen.push(e.id);
    },
    ...handlers,
  };
  const handle = createRequestHandler(createRouter(all, { log: quiet, ...routerOptions }), options);
  return { handle, seen };
}

const sms = (seed = 1) => makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed });
const ce = (seed = 1) => makeCloudEvent('Microsoft.Communication.SMSReceived', undefined, { seed });

/** A body that fails the test if anyone reads it. */
const unreadable: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]() {
    throw new Error('the body must not be read');
  },
};

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

  it('lists the errors of invalid events per index (400: Event Grid dead-letters, no retry)', async () => {
    const { handle, seen } = setup();
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

  it('with onInvalid, dispatches the good events of a batch and hands over the bad one (200)', async () => {
    const onInvalid = vi.fn();
    const { handle, seen } = setup({}, {}, { onInvalid });
    const response = await handle('POST', '/', JSON_TYPE, JSON.stringify([sms(1), { ...sms(2), id: '' }, sms(3)]));
    expect(response.status).toBe(200);
    expect(seen).toEqual([sms(1).id, sms(3).id]);
    expect(onInvalid).toHaveBeenCalledTimes(1);
  });

  it('answers 500 when a handler throws or rejects, and the process goes on', async () => {
    const { handle } = setup({
      'Microsoft.Communication.SMSReceived': async () => {
        throw new Error('database down');
      },
    });
    const response = await handle('POST', '/', JSON_TYPE, JSON.stringify([sms()]));
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body).events[0]).toMatchObject({ status: 'failed', error: 'database down' });
    expect((await handle('POST', '/', JSON_TYPE, '[]')).status).toBe(200);
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
    expect((await handle('POST', '/', { ...JSON_TYPE, 'content-length': String(2 * 1024 * 1024) }, unreadable)).status).toBe(413);
  });

  it('answers 413 once a streamed body passes 1 MiB, and stops reading there', async () => {
    const { handle } = setup();
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const endless: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          pulled++;
          yield chunk;
        }
      },
    };
    expect((await handle('POST', '/', JSON_TYPE, endless)).status).toBe(413);
    expect(pulled).toBe(17);
  });

  it.each([
    ['the query parameter', '/events?secret=s3cret', {}, 200],
    ['the header', '/events', { 'x-webhook-secret': 's3cret' }, 200],
    ['a wrong secret', '/events?secret=guess', {}, 401],
    ['a secret of another length', '/events?secret=s3cret-and-more', {}, 401],
    ['no secret', '/events', {}, 401],
  ])('checks the shared secret in %s before reading the body', async (_, url, headers, status) => {
    const { handle } = setup({}, { secret: { value: 's3cret' } });
    const body = status === 401 ? unreadable : '[]';
    expect((await handle('POST', url, { ...JSON_TYPE, ...headers }, body)).status).toBe(status);
  });

  it('guards the OPTIONS handshake with the secret too', async () => {
    const { handle } = setup({}, { secret: { value: 's3cret' } });
    expect((await handle('OPTIONS', '/', { 'webhook-request-origin': 'eventgrid.azure.net' }, null)).status).toBe(401);
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
  ])('%s → 400, never a crash', async (_, body) => {
    const response = await setup().handle('POST', '/', JSON_TYPE, body);
    expect(response.status).toBe(400);
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
      const response = await createRequestHandler(router)('POST', '/', JSON_TYPE, JSON.stringify([sms()]));
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
    const response = await createRequestHandler(router)('POST', '/', JSON_TYPE, JSON.stringify([sms()]));
    expect([response.status, JSON.parse(response.body)]).toEqual([500, { error: 'internal error' }]);
  });

  it('reports events that throw while they are read as invalid, and dispatch resolves', async () => {
    const throwing = Object.defineProperty(sms(), 'data', {
      get: () => {
        throw new Error('boom');
      },
      enumerable: true,
    });
    const report = await createRouter({}, { log: quiet }).dispatch([sms(), throwing]);
    expect(report).toMatchObject({
      outcome: 'rejected',
      events: [{ index: 1, status: 'invalid', errors: [{ path: '/data', keyword: 'exception' }] }],
    });
  });

  it('the Azure Functions adapter answers when context.error throws', async () => {
    const context = {
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
    expect((await handler(request, { error: () => {} })).status).toBe(400);
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
