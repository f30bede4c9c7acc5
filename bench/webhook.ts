/**
 * P4: the webhook of a package generated now (bench/package.ts).
 * - A 1 MB Event Grid batch of SMS events through the webhook as node:http runs it: its core (`createWebhookCore`),
 *   given the request as the node:http adapter reads it (method, target, raw headers, the body's bytes) and answering
 *   with plain data (read the body, parse, validate every event, dispatch to no-op handlers, answer), against
 *   `JSON.parse` of the same body, and against the hand-written floor: the same body parsed, every event checked by
 *   bench/floor.ts, dispatched to a no-op. All start from the body's bytes. The Fetch API handler (a `Request` made
 *   from the bytes, the `Response` read back: what Hono, Next.js, Bun, Deno and Workers run) is timed in the same
 *   rounds and judged in a row of its own. Rounds in rotating order, the heap collected before each contestant; a
 *   ratio is the median of the rounds' ratios.
 * - Requests per second over loopback: the webhook server against a bare node:http server that parses the JSON
 *   and against one that also checks every event with the floor; and the Fetch API handler as a Hono route on
 *   @hono/node-server against Hono answering the same request alone (each Hono server in a process of its own,
 *   bench/hono-server.ts). The load generator (autocannon) runs in a child process (bench/load.mjs), so it does not
 *   share the server's event loop and core; each server is warmed up, then loaded for fifteen rounds of 1 s in
 *   rotating order (short rounds, so that a burst of other work on a shared machine spoils few of them); its figure is
 *   the median, and a ratio is the median of the rounds' ratios.
 * Both run in a process of their own, which loads only the package, the floor and node:http (see {@link run}).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as floor from './floor.ts';
import { inChild, isChild, median, type Options, type Result, ROOT, type Row, times, withTarget } from './harness.ts';
import { generatedPackage, type Package } from './package.ts';

const SMS = 'Microsoft.Communication.SMSReceived';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * One contestant of the 1 MB rows. `prepare` makes, outside the timed span, what the contestant is handed (the body's
 * bytes; for the Fetch API handler a `Request`, which the server makes before any handler runs); `handle` is timed:
 * the body to the answer's status (JSON.parse and the floor: 200 for a body they accept).
 */
interface Contestant {
  readonly prepare: (bytes: Uint8Array) => unknown;
  readonly handle: (prepared: never) => number | Promise<number>;
}

/** What the package exports, whichever runtime it has: the webhook's core, the Fetch API handler, or the earlier API. */
interface WebhookApi {
  createWebhookCore?: (router: unknown) => CoreApi;
  createFetchHandler?: (router: unknown) => (request: Request) => Promise<Response>;
  createRequestHandler?: (router: unknown) => (m: string, u: string, h: object, b: string) => Promise<{ status: number }>;
}

type Head = {
  method: string;
  url: string;
  headers: { get(name: string): string | null; forEach(callback: (value: string, name: string) => void): void };
};
type Answered = { status: number; body: string };

/** The webhook's core: a request → its answer, and (in this runtime) the same in the two steps node-http.ts takes. */
interface CoreApi {
  (request: Head & { readBody(limit: number): Promise<Uint8Array> }): Promise<Answered>;
  admit?: (request: Head) => object | Promise<object>;
  answer?: (admitted: object, body: Uint8Array) => Answered | Promise<Answered>;
}

/** The headers of a request as node:http gives them (`rawHeaders`), looked up as the adapter does: names without case. */
class RawHeaderList {
  readonly #raw: readonly string[];
  constructor(raw: readonly string[]) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const key = name.toLowerCase();
    for (let i = 0; i < this.#raw.length; i += 2)
      if ((this.#raw[i] as string).toLowerCase() === key) return this.#raw[i + 1] as string;
    return null;
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (let i = 0; i < this.#raw.length; i += 2) callback(this.#raw[i + 1] as string, (this.#raw[i] as string).toLowerCase());
  }
}

/** A value of a step of the core, awaited only when it is a promise (as node-http.ts does). */
const settled = async <T>(step: T | Promise<T>): Promise<T> => (step instanceof Promise ? await step : step);

/**
 * The webhook as node:http runs it (node-http.ts): the core, `createWebhookCore(router)`, given what the adapter reads of
 * a request (method, target, the raw headers, the body's bytes once read) and answering with plain data, which the adapter
 * writes as it is. No Fetch API object is made on that path. undefined when the package has no core (an earlier runtime).
 */
function coreOf(pkg: Package, router: unknown): Contestant | undefined {
  const api = pkg as unknown as WebhookApi;
  if (!api.createWebhookCore) return undefined;
  const core = api.createWebhookCore(router);
  const { admit, answer } = core;
  return {
    prepare: (bytes) => bytes,
    handle: async (bytes: Uint8Array) => {
      const headers = new RawHeaderList(['content-type', 'application/json', 'content-length', String(bytes.byteLength)]);
      const head = { method: 'POST', url: '/', headers };
      if (!admit || !answer) return (await core({ ...head, readBody: () => Promise.resolve(bytes) })).status;
      // Admitted, then answered from the body's bytes, as node-http.ts does (no promise unless one is returned).
      const admitted = await settled(admit(head));
      if ('status' in admitted) return (admitted as Answered).status;
      return (await settled(answer(admitted, bytes))).status;
    },
  };
}

/**
 * The Fetch API handler (a Request in, a Response out: what Hono, Next.js, Bun, Deno and Workers run), or the earlier
 * `createRequestHandler(router)(method, url, headers, body)`. The Request is made before the timed span, as a server
 * makes it before calling its handler, with the headers an HTTP request of the body has (`Content-Length` included);
 * the handler reads its body, and the Response it answers is read back, inside it.
 */
function fetchOf(pkg: Package, router: unknown): Contestant {
  const api = pkg as unknown as WebhookApi;
  if (api.createFetchHandler) {
    const handle = api.createFetchHandler(router);
    return {
      prepare: (bytes) =>
        new Request('http://127.0.0.1/', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(bytes.byteLength) },
          body: bytes as Uint8Array<ArrayBuffer>,
        }),
      handle: async (request: Request) => {
        const response = await handle(request);
        await response.arrayBuffer();
        return response.status;
      },
    };
  }
  if (api.createRequestHandler) {
    const handle = api.createRequestHandler(router);
    return {
      prepare: (bytes) => decoder.decode(bytes),
      handle: async (text: string) => (await handle('POST', '/', { 'content-type': 'application/json' }, text)).status,
    };
  }
  throw new Error('the generated package exports neither createFetchHandler nor createRequestHandler');
}

/** The batches of the 1 MB rows, taken in turn: the largest SMS batch under 1 MB (Event Grid's limit), from four seeds. */
function megabyteBatches(pkg: Package): string[] {
  const one = JSON.stringify(pkg.makeBatch(SMS, 1)[0]).length + 1;
  let count = Math.floor(1_000_000 / one);
  const batch = (seed: number) => JSON.stringify(pkg.makeBatch(SMS, count, { seed: 1 + seed * 100_000 }));
  const bodies = [0, 1, 2, 3].map(batch);
  while (bodies.some((body) => body.length > 1_000_000)) {
    count--;
    for (let seed = 0; seed < bodies.length; seed++) bodies[seed] = batch(seed);
  }
  return bodies;
}

/** The floor's request: parse, check every event, dispatch the valid ones to a no-op; 200 or 400 as the webhook answers. */
function floorHandle(text: string, handlers: Readonly<Record<string, (event: unknown) => void>>): number {
  const events: unknown = JSON.parse(text);
  if (!Array.isArray(events)) return 400;
  let invalid = false;
  for (const event of events) {
    const result = floor.eventGridEvent(event);
    if (result === true) handlers[(event as { eventType: string }).eventType]?.(event);
    else if (result !== undefined) invalid = true;
  }
  return invalid ? 400 : 200;
}

const decoder = new TextDecoder();

/** `JSON.parse` and the floor start from the body's bytes too: decoding them is in the timed span. */
const fromBytes = (handle: (text: string) => number): Contestant => ({
  prepare: (bytes) => bytes,
  handle: (bytes: Uint8Array) => handle(decoder.decode(bytes)),
});

/**
 * Times each contestant once per round on the round's body (the bodies taken in turn), in an order that rotates from
 * round to round, the heap collected before each (outside the timed span, with what `prepare` makes). Each
 * contestant's times, round by round, after a few rounds of warm-up.
 */
async function timeRounds(
  contestants: Readonly<Record<string, Contestant>>,
  bodies: readonly Uint8Array[],
  rounds: number,
): Promise<Record<string, number[]>> {
  const names = Object.keys(contestants);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const collect = (globalThis as { gc?: () => void }).gc as () => void;
  for (let round = -Math.min(3, rounds); round < rounds; round++) {
    const body = bodies[(round + bodies.length) % bodies.length] as Uint8Array;
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + Math.max(round, 0)) % names.length] as string;
      const contestant = contestants[name] as Contestant;
      const prepared = contestant.prepare(body);
      // The garbage of the contestant before is collected before this one is timed, not during.
      collect();
      const started = performance.now();
      const status = await contestant.handle(prepared as never);
      const ms = performance.now() - started;
      if (status !== 200) throw new Error(`${name} answered ${status}`);
      if (round >= 0) samples[name]?.push(ms);
    }
  }
  return samples;
}

/** The median over the rounds of `name`'s time over `to`'s in the same round. */
const perRound = (samples: Record<string, number[]>, name: string, to: string) =>
  median((samples[name] as number[]).map((value, round) => value / ((samples[to] as number[])[round] as number)));

/** The rows of the 1 MB batch: the core (or the only handler of an earlier runtime) and the Fetch API handler. */
async function batchRows(pkg: Package, router: unknown, quick: boolean): Promise<{ rows: Row[]; details: object }> {
  const handlers = { [SMS]: () => {} };
  const fetchHandler = fetchOf(pkg, router);
  // The first row measures what node:http runs (the core); a package without one is measured on its only handler.
  const core = coreOf(pkg, router);
  const texts = megabyteBatches(pkg);
  const bytes = texts.map((text) => new TextEncoder().encode(text));
  const count = (JSON.parse(texts[0] as string) as unknown[]).length;
  const contestants: Record<string, Contestant> = {
    handler: core ?? fetchHandler,
    ...(core ? { fetch: fetchHandler } : {}),
    'JSON.parse': fromBytes((text) => (Array.isArray(JSON.parse(text)) ? 200 : 400)),
    floor: fromBytes((text) => floorHandle(text, handlers)),
  };
  const rounds = quick ? 2 : 40;
  // Honesty first: every contestant accepts every batch (timeRounds checks each answer).
  const samples = await timeRounds(contestants, bytes, rounds);
  const ms = Object.fromEntries(Object.keys(contestants).map((n) => [n, median(samples[n] as number[])]));
  const size = `${(Math.max(...texts.map((t) => t.length)) / 1e6).toFixed(2)} MB batch (${count} SMS events)`;
  const row = (name: string, label: string, limit: number) =>
    withTarget(
      {
        bench: 'P4',
        case: `${size}: ${label} vs JSON.parse`,
        eventgen: ms[name] as number,
        baseline: ms['JSON.parse'] as number,
        unit: 'ms per body',
        ratio: perRound(samples, name, 'JSON.parse'),
        columns: { 'vs floor': times(perRound(samples, name, 'floor')) },
      },
      '≤',
      limit,
      quick,
    );
  const rows = [row('handler', core ? 'webhook core (as node:http runs it)' : 'handler', 1.5)];
  if (core) rows.push(row('fetch', 'Fetch API handler (Request in, Response read back)', 1.4));
  return {
    rows,
    details: { bodyBytes: texts.map((t) => t.length), events: count, handler: core ? 'core' : 'fetch', medianMs: ms, rounds },
  };
}

/** Runs the load generator against `url` in a child process; requests per second. */
function load(url: string, bodyFile: string, seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench/load.mjs'), url, bodyFile, '10', String(seconds)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench/load.mjs exited ${code}`));
      const result = JSON.parse(out) as { rps: number; non2xx: number; errors: number };
      if (result.non2xx > 0 || result.errors > 0)
        return reject(new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`));
      resolve(result.rps);
    });
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)),
  );
}

/** A bare node:http server: reads the body, `answer`s it (200 or 400), replies `{}`. */
function bareServer(answer: (text: string) => number): Server {
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const status = answer(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
}

/** Set in the environment of the process that measures (see {@link run}): the package's index and the options. */
const CHILD = 'EVENTGEN_BENCH_P4_CHILD';

/**
 * P4, measured in a process of its own that loads only the package, the floor and node:http (what a webhook deployment
 * runs), not in the bench's: what other benchmarks load would weigh on every contestant here. P3's schemasafe, for
 * one, subclasses String, and once any module has, every `String.prototype.charCodeAt` call in the process is several
 * times slower (V8 no longer inlines it): the date-time checks of the package and of the floor, the node:http adapter.
 */
export async function run(options: Options): Promise<Result> {
  const { schemasDir } = await generatedPackage();
  const index = path.join(path.dirname(schemasDir), 'generated/src/index.ts');
  return inChild<Result>(fileURLToPath(import.meta.url), CHILD, { index, quick: options.quick });
}

/** Starts a Hono server of bench/hono-server.ts in a process of its own; its URL and how to stop it. */
function honoServer(mode: 'eventgen' | 'alone', index: string): Promise<{ url: string; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/hono-server.ts'), mode, index], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench/hono-server.ts ${mode} exited ${code} before listening`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!out.includes('\n')) return;
      const { url } = JSON.parse(out.split('\n')[0] as string) as { url: string };
      resolve({
        url,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

/** The servers of the loopback rows, started; their URLs, and how to stop them all. */
async function startServers(pkg: Package, router: unknown, index: string) {
  const handlers = { [SMS]: () => {} };
  const server = await pkg.createWebhookServer(router as Parameters<Package['createWebhookServer']>[0], {
    host: '127.0.0.1',
    port: 0,
  });
  const bare = bareServer((t) => {
    JSON.parse(t);
    return 200;
  });
  const floorServer = bareServer((t) => floorHandle(t, handlers));
  const hono = await honoServer('eventgen', index);
  const honoAlone = await honoServer('alone', index);
  const urls: Record<string, string> = {
    webhook: server.url,
    bare: await listen(bare),
    floor: await listen(floorServer),
    hono: hono.url,
    honoAlone: honoAlone.url,
  };
  const stop = async () => {
    await server.close();
    await new Promise((resolve) => bare.close(resolve));
    await new Promise((resolve) => floorServer.close(resolve));
    await hono.stop();
    await honoAlone.stop();
  };
  return { urls, stop };
}

/**
 * The loopback rows: the load generator in a child process; 10 connections, 10-event batches. Each server is warmed up,
 * then loaded in rounds in rotating order; a round loads every server back to back, so a ratio per round compares them
 * under the same load of the machine, and a row's ratio is the median of those (a burst of other work spoils a round,
 * not a server).
 */
async function loopbackRows(pkg: Package, router: unknown, index: string, quick: boolean) {
  const work = mkdtempSync(path.join(tmpdir(), 'eventgen-bench-p4-'));
  const small = path.join(work, 'batch.json');
  writeFileSync(small, JSON.stringify(pkg.makeBatch(SMS, 10)));
  const seconds = quick ? 0.3 : 1;
  const loadRounds = quick ? 1 : 15;
  const { urls, stop } = await startServers(pkg, router, index);
  const runs: Record<string, number[]> = Object.fromEntries(Object.keys(urls).map((name) => [name, []]));
  try {
    const order = Object.keys(urls);
    if (!quick) for (const name of order) await load(urls[name] as string, small, 1);
    for (let round = 0; round < loadRounds; round++) {
      for (let k = 0; k < order.length; k++) {
        const name = order[(k + round) % order.length] as string;
        runs[name]?.push(await load(urls[name] as string, small, seconds));
      }
    }
  } finally {
    await stop();
    rmSync(work, { recursive: true, force: true });
  }
  const rps = Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, median(list)])) as Record<string, number>;
  const paired = (name: string, to: string) =>
    median((runs[name] as number[]).map((value, round) => value / ((runs[to] as number[])[round] as number)));
  const rows = [
    withTarget(
      {
        bench: 'P4',
        case: 'loopback, 10 connections, 10-event batches: webhook vs bare node:http + JSON.parse',
        eventgen: rps.webhook as number,
        baseline: rps.bare as number,
        unit: 'requests/s',
        ratio: paired('webhook', 'bare'),
        columns: { 'vs floor': times(paired('webhook', 'floor')) },
      },
      '≥',
      0.8,
      quick,
    ),
    withTarget(
      {
        bench: 'P4',
        case: 'loopback, 10 connections, 10-event batches: Hono + createFetchHandler vs Hono alone (@hono/node-server)',
        eventgen: rps.hono as number,
        baseline: rps.honoAlone as number,
        unit: 'requests/s',
        ratio: paired('hono', 'honoAlone'),
      },
      '≥',
      0.8,
      quick,
    ),
  ];
  return { rows, details: { rps, runs, seconds } };
}

/** The measurements of P4 on `pkg`, in the process that measures. `EVENTGEN_BENCH_P4=batch` times the 1 MB rows alone. */
async function measure(pkg: Package, index: string, { quick }: Options): Promise<Result> {
  const router = pkg.createRouter({ [SMS]: () => {} }, { log: quiet });
  const batch = await batchRows(pkg, router, quick);
  const loopback =
    process.env.EVENTGEN_BENCH_P4 === 'batch' ? { rows: [], details: {} } : await loopbackRows(pkg, router, index, quick);
  return { name: 'P4 webhook', rows: [...batch.rows, ...loopback.rows], details: { ...batch.details, ...loopback.details } };
}

if (isChild(import.meta.url, CHILD)) {
  const { index, quick } = JSON.parse(process.env[CHILD] as string) as { index: string; quick: boolean };
  const result = await measure((await import(index)) as Package, index, { quick });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
