/**
 * The webhook as an Azure Functions (v4 programming model) HTTP handler:
 * `app.http('events', { methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: createAzureFunctionsHandler(router) })`.
 * The request and context types below are the parts of @azure/functions' `HttpRequest` and
 * `InvocationContext` it uses, so this package does not depend on @azure/functions.
 */
import type { Router } from './router.js';
import { createRequestHandler, type WebhookOptions } from './webhook.js';

/** The part of @azure/functions' HttpRequest the adapter reads. */
export interface FunctionsHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null; keys(): Iterable<string> };
  readonly body: AsyncIterable<Uint8Array> | null;
}

/** The part of @azure/functions' InvocationContext the adapter uses. */
export interface FunctionsInvocationContext {
  error(...args: unknown[]): void;
}

/** An @azure/functions HttpResponseInit. */
export interface FunctionsHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function createAzureFunctionsHandler(
  router: Router,
  options: WebhookOptions = {},
): (request: FunctionsHttpRequest, context: FunctionsInvocationContext) => Promise<FunctionsHttpResponse> {
  const handle = createRequestHandler(router, options);
  return async (request, context) => {
    const response = await handle(request.method, request.url, request.headers, request.body);
    if (response.status >= 500) {
      try {
        context.error(`eventgen: answered ${response.status}: ${response.body}`);
      } catch {
        // a failing logger must not turn the answer into an exception
      }
    }
    return response;
  };
}
