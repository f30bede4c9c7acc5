/**
 * The runtime's tests run on the validation of the committed schemas/ without a generated package:
 * runtime/validation.ts over ajv compiling schemas/ and the envelopes at test time (the differential
 * tests' oracle, which agrees with the standalone validators the package ships), and the router of
 * runtime/router-core.ts over it. Events come from the committed package's fixture factories.
 */

import type { EventType } from '../../generated/src/events.ts';
import type { RoutedEvent } from '../../generated/src/router.ts';
import { createAjv } from '../../generator/ajv.ts';
import { CLOUD_EVENT, EVENT_GRID_ANY, EVENT_GRID_DELIVERED } from '../../generator/emit/envelopes.ts';
import type { JsonSchema } from '../../generator/ir.ts';
import {
  createRouterWith,
  type HandlerContext,
  type Handlers,
  type Router,
  type RouterOptions,
} from '../../runtime/router-core.ts';
import { type Compiled, eventValidation } from '../../runtime/validation.ts';
import { eventSchemas, schemaFiles } from '../generated/oracle.ts';

export function catalog(files: ReadonlyMap<string, JsonSchema> = schemaFiles()) {
  const ajv = createAjv({ standalone: false });
  for (const schema of files.values()) ajv.addSchema(schema);
  for (const schema of [EVENT_GRID_ANY, EVENT_GRID_DELIVERED, CLOUD_EVENT]) ajv.addSchema(schema);
  const compiled = (id: unknown) => ajv.getSchema(String(id)) as unknown as Compiled;
  const data: Record<string, Compiled> = {};
  for (const [eventType, schema] of eventSchemas(files)) {
    Object.defineProperty(data, eventType, { value: compiled(schema.$id), enumerable: true });
  }
  return {
    envelopes: {
      EventGridEvent: compiled(EVENT_GRID_ANY.$id),
      EventGridDeliveredEvent: compiled(EVENT_GRID_DELIVERED.$id),
      CloudEvent: compiled(CLOUD_EVENT.$id),
    },
    data,
  };
}

/** validateEvent, validateEvents, … of runtime/validation.ts over schemas/. */
export const validation = eventValidation(catalog());

/** Handlers typed by the committed package's event types, with the runtime's handler context. */
export type PackageHandlers = {
  [T in EventType]?: (event: RoutedEvent<T>, context: HandlerContext) => void | Promise<void>;
};

/**
 * A router of runtime/router-core.ts, as the package's createRouter makes it. Handlers are typed by the
 * committed package's event types (runtime/ is typed by its stand-in, runtime/events.d.ts).
 */
export function createRouter(handlers: PackageHandlers, options: RouterOptions = {}): Router {
  return createRouterWith(validation.validateEvents, handlers as unknown as Handlers, options);
}

/** A logger that keeps every line. */
export function recorder() {
  const lines: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  return {
    lines,
    log: {
      info: (message: string) => void lines.push({ level: 'info', message }),
      warn: (message: string) => void lines.push({ level: 'warn', message }),
      error: (message: string) => void lines.push({ level: 'error', message }),
    },
  };
}

export const quiet = { info: () => {}, warn: () => {}, error: () => {} };
