/**
 * P4: a 1 MB Event Grid batch of SMS events through the pure request handler (parse, validate,
 * dispatch to no-op handlers) against JSON.parse of the same body alone; and requests per
 * second over loopback (autocannon, bounded duration) against a bare node:http server that only
 * parses the JSON.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { Bench } from 'tinybench';
import { createRequestHandler, createRouter, createWebhookServer, makeBatch } from '../generated/src/index.ts';
import type { Options, Result } from './harness.ts';

const quiet = { info: () => {}, error: () => {} };

/** The largest SMS batch that stays under 1 MB, Event Grid's limit. */
function megabyteBatch(): string {
  const one = JSON.stringify(makeBatch('Microsoft.Communication.SMSReceived', 1)[0]).length + 1;
  let count = Math.floor(1_000_000 / one);
  let body = JSON.stringify(makeBatch('Microsoft.Communication.SMSReceived', count));
  while (body.length > 1_000_000) body = JSON.stringify(makeBatch('Microsoft.Communication.SMSReceived', --count));
  return body;
}

async function requestsPerSecond(url: string, body: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: 10,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result.requests.average;
}

export async function run({ quick }: Options): Promise<Result> {
  const router = createRouter({ 'Microsoft.Communication.SMSReceived': () => {} }, { log: quiet });
  const handle = createRequestHandler(router);
  const body = megabyteBatch();
  const check = await handle('POST', '/', { 'content-type': 'application/json' }, body);
  if (check.status !== 200) throw new Error(`the handler answered ${check.status}: ${check.body.slice(0, 300)}`);

  const bench = new Bench({ time: quick ? 20 : 2000, warmupTime: quick ? 5 : 200 } as ConstructorParameters<typeof Bench>[0]);
  bench
    .add('handler', async () => handle('POST', '/', { 'content-type': 'application/json' }, body))
    .add('JSON.parse', () => JSON.parse(body));
  await bench.run();
  const mean = Object.fromEntries(
    bench.tasks.map((t) => [t.name, t.result.state === 'completed' ? t.result.latency.mean : Number.NaN]),
  );
  const ours = mean.handler as number;
  const parse = mean['JSON.parse'] as number;

  const small = JSON.stringify(makeBatch('Microsoft.Communication.SMSReceived', 10));
  const server = await createWebhookServer(router, { host: '127.0.0.1', port: 0 });
  const bare = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const seconds = quick ? 0.3 : 5;
  let rpsOurs: number;
  let rpsBare: number;
  try {
    rpsOurs = await requestsPerSecond(server.url, small, seconds);
    rpsBare = await requestsPerSecond(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/`, small, seconds);
  } finally {
    await server.close();
    await new Promise((resolve) => bare.close(resolve));
  }
  return {
    name: 'P4 webhook',
    rows: [
      {
        bench: 'P4',
        case: `${(body.length / 1e6).toFixed(2)} MB batch (${JSON.parse(body).length} SMS events): handler vs JSON.parse`,
        eventgen: ours,
        baseline: parse,
        unit: 'ms per body',
        ratio: ours / parse,
        target: '≤ 1.5',
        met: ours / parse <= 1.5,
      },
      {
        bench: 'P4',
        case: 'loopback, 10 connections, 10-event batches: webhook vs bare node:http + JSON.parse',
        eventgen: rpsOurs,
        baseline: rpsBare,
        unit: 'requests/s',
        ratio: rpsOurs / rpsBare,
      },
    ],
    details: { bodyBytes: body.length, meanMs: mean, rps: { eventgen: rpsOurs, bare: rpsBare }, seconds },
  };
}
