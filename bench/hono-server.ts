/**
 * A server of P4's Hono row, in a process of its own: `node --import tsx bench/hono-server.ts <mode> <package index>`
 * serves on 127.0.0.1 (a free port) with Hono on @hono/node-server and prints `{"url"}` once it listens.
 * - `eventgen`: the package's Fetch API handler as a Hono route (`app.post('/', (c) => handler(c.req.raw))`), with a
 *   router whose SMSReceived handler does nothing;
 * - `alone`: Hono answering the same request alone: the body read with Hono's own `c.req.text()`, parsed, `{}` sent.
 * SIGTERM closes it.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Package } from './package.ts';

const [mode, index] = process.argv.slice(2);
const app = new Hono();
if (mode === 'eventgen') {
  const pkg = (await import(index as string)) as Package;
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const handler = pkg.createFetchHandler(pkg.createRouter({ 'Microsoft.Communication.SMSReceived': () => {} }, { log: quiet }));
  app.post('/', (c) => handler(c.req.raw));
} else if (mode === 'alone') {
  app.post('/', async (c) => {
    JSON.parse(await c.req.text());
    return c.json({});
  });
} else throw new Error(`bench/hono-server.ts: unknown mode ${mode}`);

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}/` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
