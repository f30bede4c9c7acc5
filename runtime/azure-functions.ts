/**
 * The webhook as an Azure Functions (v4 programming model) HTTP handler, a translation around the
 * core of webhook.ts (its answers are the Fetch API handler's, as plain data, so no Response is made):
 * `app.http('events', { methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: createAzureFunctionsHandler(router) })`.
 * Logs go to the invocation's context (`context.log`, `context.warn`, `context.error`), so they reach
 * Application Insights with the invocation id, unless the router was given a logger of its own.
 * The request and context types below are the parts of @azure/functions' `HttpRequest` and
 * `InvocationContext` it uses, so this package does not depend on @azure/functions.
 */
import type { Logger, Router } from './router-core.js';
import { createWebhookCore, type IncomingRequest, readBody, type WebhookOptions } from './webhook.js';

/** The part of @azure/functions' HttpRequest the adapter reads. */
export interface FunctionsHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null;
}

/** The part of @azure/functions' InvocationContext the adapter uses. */
export interface FunctionsInvocationContext {
  log(...args: unknown[]): void;
  warn?(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** An @azure/functions HttpResponseInit. */
export interface FunctionsHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The invocation's context as a Logger; a context method that throws is the router's to survive. */
function contextLogger(context: FunctionsInvocationContext): Logger {
  return {
    info: (message) => context.log(message),
    warn: (message) => (context.warn ? context.warn(message) : context.log(message)),
    error: (message, error) => (error === undefined ? context.error(message) : context.error(message, error)),
  };
}

/** An async iterable of chunks as a ReadableStream (a ReadableStream is passed on as it is). */
function streamOf(body: FunctionsHttpRequest['body']): ReadableStream<Uint8Array> | null {
  if (body === null || body instanceof ReadableStream) return body;
  const iterator = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

export function createAzureFunctionsHandler(
  router: Router,
  options: WebhookOptions = {},
): (request: FunctionsHttpRequest, context: FunctionsInvocationContext) => Promise<FunctionsHttpResponse> {
  const handle = createWebhookCore(router, options);
  return async (request, context) => {
    const { method, url, headers } = request;
    const body = streamOf(request.body);
    const web: IncomingRequest = { method, url, headers, readBody: (limit) => readBody(body, limit) };
    const answer = await handle(web, { log: contextLogger(context) });
    return { status: answer.status, headers: { ...answer.headers }, body: answer.body };
  };
}
