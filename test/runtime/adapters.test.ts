/**
 * The node:http and Azure Functions adapters take no Fetch API `Request` or `Response`: they hand the webhook's
 * core what they read of a request (node:http reads `rawHeaders` and the request's own events) and write its
 * answer as it is. Differential test: on the same generated requests (methods, targets, content types and
 * charsets in any case, repeated headers, whitespace, secrets, handshakes, binary mode, bodies valid, invalid,
 * malformed, not UTF-8, too large, declared or chunked), each adapter answers exactly as the Fetch API handler:
 * the same status, headers (names, values, order) and body, the same events handled and the same log lines.
 * The fast-check seed is fixed for reproducible CI runs; set FC_SEED to explore others.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCloudEvent, makeEventGridEvent } from '../../generated/src/fixtures.ts';
import { createAzureFunctionsHandler } from '../../runtime/azure-functions.ts';
import { createWebhookServer, type WebhookServer } from '../../runtime/node-http.ts';
import type { RouterOptions } from '../../runtime/router-core.ts';
import { createWebhookHandler, type WebhookOptions } from '../../runtime/webhook.ts';
import { createRouter, type PackageHandlers as Handlers } from './catalog.ts';

const seed = Number(process.env.FC_SEED ?? 20261123);
const SMS = 'Microsoft.Communication.SMSReceived';

/** What one side did with a request: the handler calls and the log lines. */
interface Effects {
  handled: string[];
  lines: string[];
}

function effects(): Effects {
  return { handled: [], lines: [] };
}

/** A router whose handler records each event (and throws for ids that start with "fail"), logging into `into`. */
function recordingRouter(into: Effects, options: RouterOptions) {
  const record = (event: { eventType: string; id: string }) => {
    if (event.id.startsWith('fail')) throw new Error(`injected failure for ${event.id}`);
    into.handled.push(`${event.eventType} ${event.id}`);
  };
  const handlers = { [SMS]: record, 'Microsoft.Communication.ChatMessageDeleted': record } as Handlers;
  const line = (level: string) => (message: string, error?: unknown) =>
    void into.lines.push(`${level} ${message}${error === undefined ? '' : ` ${String(error)}`}`);
  return createRouter(handlers, { ...options, log: { info: line('info'), warn: line('warn'), error: line('error') } });
}

const WEBHOOK_OPTIONS: WebhookOptions[] = [
  {},
  { secret: { value: 's3cret' } },
  { maxBodyBytes: 2048 },
  { allowedOrigins: ['hooks.contoso.com', 'eventgrid.azure.net'], allowedRate: ' 120 ' },
];
const ROUTER_OPTIONS: RouterOptions[] = [
  {},
  { rejectInvalid: true },
  { rejectUnknownEventTypes: true },
  { filter: { subjectBeginsWith: '/phonenumber/1555' } },
];

/** One configuration, served three ways, each with its own router and effects. */
interface Setup {
  node: WebhookServer;
  fetch: ReturnType<typeof createWebhookHandler>;
  azure: ReturnType<typeof createAzureFunctionsHandler>;
  effects: { node: Effects; fetch: Effects; azure: Effects };
}

const setups: Setup[] = [];
beforeAll(async () => {
  for (const options of WEBHOOK_OPTIONS) {
    for (const routerOptions of ROUTER_OPTIONS) {
      const all = { node: effects(), fetch: effects(), azure: effects() };
      setups.push({
        node: await createWebhookServer(recordingRouter(all.node, routerOptions), { ...options, host: '127.0.0.1' }),
        fetch: createWebhookHandler(recordingRouter(all.fetch, routerOptions), options),
        azure: createAzureFunctionsHandler(recordingRouter(all.azure, routerOptions), options),
        effects: all,
      });
    }
  }
});
afterAll(async () => {
  await Promise.all(setups.map((s) => s.node.close()));
});

interface Sent {
  method: string;
  target: string;
  headers: [string, string][];
  body: Uint8Array;
  chunked: boolean;
}

interface Answered {
  status: number;
  headers: [string, string][];
  body: string;
}

/** Sends `request` over a raw connection (headers exactly as given) and reads the whole answer. */
function overTcp(server: WebhookServer, request: Sent): Promise<Answered> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    const head = [`${request.method} ${request.target} HTTP/1.1`, ...request.headers.map(([n, v]) => `${n}: ${v}`), '', ''];
    socket.write(head.join('\r\n'));
    if (request.chunked) {
      const half = request.body.byteLength >> 1;
      for (const part of [request.body.subarray(0, half), request.body.subarray(half)]) {
        if (part.byteLength === 0) continue;
        socket.write(`${part.byteLength.toString(16)}\r\n`);
        socket.write(part);
        socket.write('\r\n');
      }
      socket.write('0\r\n\r\n');
    } else socket.write(request.body);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const [status = '', ...lines] = text.slice(0, end).split('\r\n');
      const headers = lines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as [string, string];
      });
      const body = Buffer.from(text.slice(end + 4), 'latin1').toString('utf8');
      resolve({ status: Number(status.slice(9, 12)), headers, body });
    });
  });
}

/** What node:http adds of its own (framing and connection management), left out of the comparison. */
const NODE_OWN = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

function streamOf(body: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      const half = body.byteLength >> 1;
      if (half > 0) controller.enqueue(body.slice(0, half));
      if (body.byteLength > half) controller.enqueue(body.slice(half));
      controller.close();
    },
  });
}

function headersOf(request: Sent): Headers {
  const headers = new Headers();
  for (const [name, value] of request.headers) headers.append(name, value);
  return headers;
}

async function throughFetch(setup: Setup, request: Sent): Promise<Answered> {
  const body = streamOf(request.body);
  const response = await setup.fetch({ method: request.method, url: request.target, headers: headersOf(request), body });
  return { status: response.status, headers: [...response.headers], body: await response.text() };
}

async function throughAzure(setup: Setup, request: Sent): Promise<Answered> {
  const body = streamOf(request.body);
  const url = new URL(request.target, 'https://contoso.azurewebsites.net').href;
  const answer = await setup.azure(
    { method: request.method, url, headers: headersOf(request), body },
    { log: () => {}, error: () => {} },
  );
  return { status: answer.status, headers: Object.entries(answer.headers), body: answer.body };
}

// The requests.
const bodies = {
  'event grid batch': (s: number) => [
    makeEventGridEvent(SMS, undefined, { seed: s }),
    makeEventGridEvent(SMS, undefined, { seed: s + 1 }),
  ],
  'a larger batch': (s: number) => Array.from({ length: 6 }, (_, i) => makeEventGridEvent(SMS, undefined, { seed: s + i })),
  'cloudevents batch': (s: number) => [makeCloudEvent(SMS, undefined, { seed: s })],
  'one cloudevent': (s: number) => makeCloudEvent(SMS, undefined, { seed: s }),
  'an invalid and an unknown event': (s: number) => [
    { ...makeEventGridEvent(SMS, undefined, { seed: s }), eventTime: 'noon' },
    { ...makeEventGridEvent(SMS, undefined, { seed: s }), eventType: 'Contoso.Other.Event' },
    makeEventGridEvent('Microsoft.Communication.ChatMessageDeleted', undefined, { seed: s }),
  ],
  'a failing handler': (s: number) => [{ ...makeEventGridEvent(SMS, undefined, { seed: s }), id: `fail-${s}` }],
  'subscription validation': (s: number) => [
    {
      id: String(s),
      subject: '',
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: '2024-01-01T00:00:00Z',
      data: { validationCode: `C0DE-${s}` },
      dataVersion: '1',
    },
  ],
  'validation without a code': () => [{ eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: {} }],
  'SMS data (binary mode)': (s: number) => makeEventGridEvent(SMS, undefined, { seed: s }).data,
  'a number': () => 42,
} as const;
const raw = {
  'malformed JSON': new TextEncoder().encode('[{"id": '),
  'not UTF-8': new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]),
  'a BOM then []': new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x5d]),
  empty: new Uint8Array(),
} as const;

const casing = fc.constantFrom(
  (n: string) => n,
  (n: string) => n.toUpperCase(),
  (n: string) => n.replace(/(^|-)\w/g, (c) => c.toUpperCase()),
);
const padded = fc.constantFrom(
  (v: string) => v,
  (v: string) => ` ${v}`,
  (v: string) => `${v} \t`,
);

const requests = fc
  .record({
    setup: fc.nat({ max: WEBHOOK_OPTIONS.length * ROUTER_OPTIONS.length - 1 }),
    method: fc.constantFrom('POST', 'POST', 'POST', 'OPTIONS', 'GET', 'PUT'),
    target: fc.constantFrom(
      '/',
      '/api/events',
      '/api/events?secret=s3cret',
      '/?secret=wrong',
      '/%zz/a/./b?x=%',
      '/?secret=s3cret&secret=x',
    ),
    contentType: fc.oneof(
      { arbitrary: fc.constant('application/json'), weight: 4 },
      { arbitrary: fc.constant(null), weight: 1 },
      fc.constantFrom(
        'application/json; charset=utf-8',
        'Application/JSON; Charset="UTF-8"',
        'application/json;charset=iso-8859-1',
        'application/cloudevents+json',
        'application/cloudevents-batch+json; charset=utf8',
        'application/vnd.contoso+json',
        'text/plain',
      ),
    ),
    repeatedContentType: fc.constantFrom(false, false, false, false, true),
    secret: fc.option(fc.constantFrom('s3cret', 'wrong')),
    origin: fc.option(fc.constantFrom('eventgrid.azure.net', 'EventGrid.Azure.Net', 'hooks.contoso.com', 'evil.example')),
    binary: fc.option(
      fc.record({
        type: fc.constantFrom(SMS, 'Contoso.Other.Event'),
        subject: fc.constantFrom('/x', '%C3%9Cn%20100%25%ZZ'),
        repeatedId: fc.boolean(),
      }),
    ),
    body: fc.oneof({ arbitrary: fc.constantFrom(...Object.keys(bodies)), weight: 4 }, fc.constantFrom(...Object.keys(raw))),
    bodySeed: fc.nat({ max: 1000 }),
    chunked: fc.boolean(),
    nameCase: casing,
    valuePad: padded,
  })
  .map((r): { setup: number; sent: Sent } => {
    const headers: [string, string][] = [
      ['Host', 'contoso.example'],
      ['Connection', 'close'],
    ];
    const header = (name: string, value: string) => headers.push([r.nameCase(name), r.valuePad(value)]);
    if (r.contentType !== null) header('content-type', r.contentType);
    if (r.repeatedContentType) header('content-type', 'application/json');
    if (r.secret !== null) header('x-webhook-secret', r.secret);
    if (r.origin !== null) header('webhook-request-origin', r.origin);
    if (r.binary !== null) {
      header('ce-specversion', '1.0');
      header('ce-id', `ce-${r.bodySeed}`);
      if (r.binary.repeatedId) header('ce-id', 'again');
      header('ce-source', '/contoso');
      header('ce-type', r.binary.type);
      header('ce-subject', r.binary.subject);
    }
    const body =
      r.body in raw
        ? raw[r.body as keyof typeof raw]
        : new TextEncoder().encode(JSON.stringify(bodies[r.body as keyof typeof bodies](r.bodySeed)));
    headers.push(r.chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(body.byteLength)]);
    return { setup: r.setup, sent: { method: r.method, target: r.target, headers, body, chunked: r.chunked } };
  });

function reset(setup: Setup): void {
  for (const e of Object.values(setup.effects)) {
    e.handled.length = 0;
    e.lines.length = 0;
  }
}

describe('the adapters answer exactly as the Fetch API handler', () => {
  it('node:http: 1,000 generated requests (seeded), over real connections', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(requests, async ({ setup: index, sent }) => {
        const setup = setups[index] as Setup;
        reset(setup);
        const viaFetch = await throughFetch(setup, sent);
        const viaNode = await overTcp(setup.node, sent);
        statuses.add(viaNode.status);
        expect({ ...viaNode, headers: viaNode.headers.filter(([name]) => !NODE_OWN.has(name)) }).toEqual(viaFetch);
        const length = viaNode.headers.find(([name]) => name === 'content-length')?.[1];
        expect(length).toBe(String(Buffer.byteLength(viaFetch.body)));
        expect(setup.effects.node).toEqual(setup.effects.fetch);
      }),
      { numRuns: 1000, seed },
    );
    // The generated requests reach every answer the webhook gives.
    expect([...statuses].sort()).toEqual([200, 400, 401, 403, 405, 413, 415, 500]);
  });

  it('Azure Functions: 1,000 generated requests (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async ({ setup: index, sent }) => {
        const setup = setups[index] as Setup;
        reset(setup);
        const absolute = { ...sent, target: new URL(sent.target, 'https://contoso.azurewebsites.net').href };
        const viaFetch = await throughFetch(setup, absolute);
        const viaAzure = await throughAzure(setup, sent);
        expect(viaAzure).toEqual(viaFetch);
        expect(setup.effects.azure).toEqual(setup.effects.fetch);
      }),
      { numRuns: 1000, seed },
    );
  });
});

/** Starts the node:http adapter in a child process run with `flags`; its URL, and a function that stops it. */
async function childServer(flags: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const script = `
    const { createWebhookServer } = await import(${JSON.stringify(new URL('../../runtime/node-http.ts', import.meta.url).pathname)});
    const router = { dispatch: async () => ({ outcome: 'dispatched', events: [] }) };
    const server = await createWebhookServer(router);
    process.stdout.write(server.url + '\\n');
    process.stdin.resume();
    process.stdin.on('end', () => server.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, [...flags, '--no-warnings', '--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`the server process exited ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** A POST whose header holds a NUL (which `new Headers()` refuses) over a raw connection; the status line and body. */
function nulHeader(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.end(
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Note: a\0b\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]',
    );
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve(`${text.slice(0, text.indexOf('\r\n'))} ${text.slice(text.indexOf('\r\n\r\n') + 4)}`);
    });
  });
}

describe('node:http: headers that Headers refuses', () => {
  it('are answered 400 by node itself with its strict parser, and by the adapter with a lenient one', async () => {
    for (const [flags, expected] of [
      [[], /^HTTP\/1\.1 400 Bad Request\s*$/],
      [['--insecure-http-parser'], /^HTTP\/1\.1 400 Bad Request \{"error":"malformed header"\}$/],
    ] as const) {
      const server = await childServer([...flags]);
      try {
        expect(await nulHeader(server.url)).toMatch(expected);
      } finally {
        await server.stop();
      }
    }
  }, 30_000);
});
