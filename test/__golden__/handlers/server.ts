// Serves the handlers of this folder on node:http: `npx tsx server.ts` here, or compile it with your app.
// HOST (default 127.0.0.1), PORT (default 8080), WEBHOOK_SECRET (optional: checked in the `secret` query
// parameter or the `x-webhook-secret` header). For Entra ID, Hono, Azure Functions: see the package's README.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import { createWebhookServer } from '../generated/src/node-http.js';
import { createRouter } from '../generated/src/router.js';
import { handlers } from './index.js';

const secret = process.env.WEBHOOK_SECRET;
void createWebhookServer(createRouter(handlers), {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 8080),
  ...(secret ? { secret: { value: secret } } : {}),
}).then((server) => {
  console.info(`eventgen webhook listening on ${server.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void server.close().then(() => console.info('eventgen webhook closed'));
    });
  }
});
