/**
 * The Fetch API handler in a real Hono app served on 127.0.0.1 (@hono/node-server): the route hands
 * Hono's raw Request to the handler and returns its Response, for events and both handshakes.
 */
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeCloudEvent, makeEventGridEvent } from '../../generated/src/fixtures.ts';
import { createFetchHandler } from '../../runtime/webhook.ts';
import { createRouter, quiet } from './catalog.ts';

const seen: string[] = [];
let server: ServerType;
let base = '';

beforeAll(async () => {
  const router = createRouter(
    {
      'Microsoft.Communication.SMSReceived': (event) => void seen.push(`${event.envelope} ${event.data.From}`),
    },
    { log: quiet },
  );
  const handler = createFetchHandler(router, { secret: { value: 'h0no' } });
  const app = new Hono();
  app.on(['POST', 'OPTIONS'], '/events', (c) => handler(c.req.raw));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('delivers Event Grid and CloudEvents batches to typed handlers through a Hono route', async () => {
  const post = (type: string, body: unknown) =>
    fetch(`${base}/events?secret=h0no`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });
  const eg = await post('application/json', [makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed: 1 })]);
  const ce = await post('application/cloudevents-batch+json', [
    makeCloudEvent('Microsoft.Communication.SMSReceived', undefined, { seed: 2 }),
  ]);
  expect([eg.status, ce.status]).toEqual([200, 200]);
  expect(seen).toEqual(['eventgrid 15555555555', 'cloudevents 15555555555']);
  expect((await post('application/json', [])).status).toBe(200);
  const denied = await fetch(`${base}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
  expect(denied.status).toBe(401);
});

it('answers both handshakes through Hono', async () => {
  const options = await fetch(`${base}/events?secret=h0no`, {
    method: 'OPTIONS',
    headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' },
  });
  expect([options.status, options.headers.get('webhook-allowed-origin')]).toEqual([200, 'eventgrid.azure.net']);
  const validation = await fetch(`${base}/events?secret=h0no`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        id: '1',
        subject: '',
        eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
        eventTime: '2024-01-01T00:00:00Z',
        data: { validationCode: 'H-1' },
        dataVersion: '1',
      },
    ]),
  });
  expect(await validation.json()).toEqual({ validationResponse: 'H-1' });
});

it('answers 413 to a body over the limit, through Hono', async () => {
  const big = JSON.stringify([{ pad: 'x'.repeat(1024 * 1024) }]);
  const response = await fetch(`${base}/events?secret=h0no`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: big,
  });
  expect(response.status).toBe(413);
});
