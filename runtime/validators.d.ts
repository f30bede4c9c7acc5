/** Stand-in for the generated `src/validators.ts`: the declarations runtime/ uses; see events.d.ts. */
import type { CloudEvent, EventGridEvent } from './envelopes.js';
import type { AnyEvent, EventType } from './events.js';

export interface ValidationError {
  path: string;
  keyword: string;
  message: string;
}
export type EventGridForm = 'any' | 'delivered';
export type Envelope = 'eventgrid' | 'cloudevents';
export type EventOutcome =
  | { kind: 'valid'; envelope: Envelope; eventType: EventType; event: AnyEvent }
  | {
      kind: 'invalid';
      envelope: Envelope | undefined;
      eventType: string | undefined;
      errors: ValidationError[];
    }
  | { kind: 'unknown'; envelope: Envelope; eventType: string; event: EventGridEvent | CloudEvent };
export declare function validateEvents(
  value: unknown,
  options?: { form?: EventGridForm },
): { ok: boolean; outcomes: EventOutcome[] };
