/** Stand-in for the generated `src/validators.ts`: the declarations runtime/ uses; see events.d.ts. */
import type { EventValidation } from './validation.js';

export type {
  EventGridForm,
  EventOutcome,
  ValidationError,
  ValidationResult,
  Validator,
} from './validation.js';
export declare const isEventType: EventValidation['isEventType'];
export declare const validateEvent: EventValidation['validateEvent'];
export declare const validateEvents: EventValidation['validateEvents'];
