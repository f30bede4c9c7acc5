/**
 * The typed router of this package: router-core.ts bound to the package's validators.
 * `createRouter({ 'Microsoft.Communication.SMSReceived': (event) => event.data.From })`.
 */
import { createRouterWith, type Handlers, type Router, type RouterOptions } from './router-core.js';
import { validateEvents } from './validators.js';

export * from './router-core.js';

/**
 * A typed router: one handler per event type. Inside each handler `event.data` has the type of its
 * event, with no cast. Serve it with createFetchHandler (webhook.ts), createWebhookServer
 * (node-http.ts) or createAzureFunctionsHandler (azure-functions.ts).
 */
export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  return createRouterWith(validateEvents, handlers, options);
}
