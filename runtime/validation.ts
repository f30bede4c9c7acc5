/**
 * Validation on top of the validators ajv compiled at generate time (validators.compiled.js): every
 * error with its JSON pointer, never a throw whatever the input, the Standard Schema v1 interface on
 * each validator, and the checks of a whole event (envelope first, then `data` by event type).
 * validators.ts binds it to this package's schemas.
 */
export {
  type Catalog,
  type Envelope,
  EVENT_BY_EVENT,
  type EventByEvent,
  type EventGridForm,
  type EventGridValidator,
  type EventOutcome,
  type EventValidation,
  envelopeOf,
  eventValidation,
  isJsonMediaType,
} from './event-validation.js';
export {
  type AnyCompiled,
  type Compiled,
  type CompiledError,
  type FinalCompiled,
  issuesOf,
  pathOf,
  reasonOf,
  standard,
  toError,
  type ValidationError,
  type ValidationResult,
  type Validator,
  validator,
} from './schema-validator.js';
