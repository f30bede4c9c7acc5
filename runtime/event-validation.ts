/**
 * The checks of a whole event (envelope first, then `data` by event type) and of a batch, bound to a catalog of
 * compiled validators (validators.ts binds it to this package's).
 */
import type { CloudEvent, EventGridEvent } from './envelopes.js';
import type { AnyEvent, EventDataMap, EventType } from './events.js';
import {
  type AnyCompiled,
  type Check,
  checkOf,
  issuesOf,
  reasonOf,
  standard,
  unreadable,
  type ValidationError,
  type ValidationResult,
  type Validator,
  validator,
} from './schema-validator.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/**
 * How strictly to read an Event Grid envelope. "any" (the default) accepts the publish form,
 * which @azure/eventgrid sends without `topic` and `metadataVersion`, and the delivered form,
 * which Event Grid stamps with both; either is checked when present. "delivered" requires both.
 */
export type EventGridForm = 'any' | 'delivered';

/** An envelope validator that reads Event Grid events in one form or another; see {@link EventGridForm}. */
export type EventGridValidator = ((
  value: unknown,
  options?: { form?: EventGridForm },
) => ValidationResult<EventGridEvent>) &
  StandardSchemaV1<unknown, EventGridEvent>;

export type Envelope = 'eventgrid' | 'cloudevents';

/**
 * What `validateEvent` found: a valid event, an invalid one, or a well-formed event of a type these
 * schemas do not know. `data` of a valid event is its `data`, or for a CloudEvent that carries
 * `data_base64`, the decoded bytes (as JSON when the content type is JSON).
 */
export type EventOutcome =
  | {
      kind: 'valid';
      envelope: Envelope;
      eventType: EventType;
      event: AnyEvent;
      data: EventDataMap[EventType];
    }
  | {
      kind: 'invalid';
      envelope: Envelope | undefined;
      eventType: string | undefined;
      errors: ValidationError[];
    }
  | { kind: 'unknown'; envelope: Envelope; eventType: string; event: EventGridEvent | CloudEvent };

/** Tells the envelope apart by its attributes: `eventType` is Event Grid, `specversion` is CloudEvents. */
export function envelopeOf(value: unknown): Envelope | undefined {
  try {
    return detect(value);
  } catch {
    return undefined; // a value that cannot be read is neither
  }
}

function detect(value: unknown): Envelope | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (Object.hasOwn(value, 'eventType')) return 'eventgrid';
  if (Object.hasOwn(value, 'specversion')) return 'cloudevents';
  return undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether a media type is JSON: `application/json`, `text/json`, or a `+json` suffix. */
export function isJsonMediaType(value: string | undefined): boolean {
  const type = (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}

/**
 * The data a CloudEvent carries as `data_base64` (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md#31-handling-of-data):
 * the decoded bytes, parsed as JSON when `datacontenttype` is JSON or absent; errors at `/data_base64`.
 */
function decodeBase64Data(
  encoded: unknown,
  contentType: unknown,
): { data: unknown } | { errors: ValidationError[] } {
  const fail = (keyword: string, reason: string) => ({
    errors: [{ path: '/data_base64', keyword, message: `/data_base64 ${reason}` }],
  });
  if (typeof encoded !== 'string' || !BASE64.test(encoded)) return fail('contentEncoding', 'must be base64');
  const binary = atob(encoded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (contentType !== undefined && !(typeof contentType === 'string' && isJsonMediaType(contentType)))
    return { data: bytes };
  try {
    return { data: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch (error) {
    return fail('contentMediaType', `must hold JSON in UTF-8 (datacontenttype is JSON): ${reasonOf(error)}`);
  }
}

/** The validators ajv compiled for one package: the envelopes, and the data of each event type. */
export interface Catalog {
  readonly envelopes: {
    readonly EventGridEvent: AnyCompiled;
    readonly EventGridDeliveredEvent: AnyCompiled;
    readonly CloudEvent: AnyCompiled;
  };
  /** The data validator of each event type, as own properties (an event type may be named "__proto__"). */
  readonly data: Readonly<Record<string, AnyCompiled>>;
}

/** The checks of whole events, bound to a catalog of compiled validators (see validators.ts). */
export interface EventValidation {
  /** Whether `eventType` is one of the documented event types. */
  isEventType(eventType: unknown): eventType is EventType;
  /**
   * Validates an Event Grid envelope (not its data): required attributes, their types, `eventTime` as RFC 3339.
   * As a Standard Schema it reads the default form, "any".
   */
  validateEventGridEvent: EventGridValidator;
  /**
   * Validates a CloudEvents 1.0 envelope (not its data): `specversion` exactly "1.0", non-empty `id`,
   * `source` (a URI-reference) and `type`, RFC 3339 `time`, attribute names of lower-case letters and digits.
   */
  validateCloudEvent: Validator<CloudEvent>;
  /**
   * Validates a whole event: the envelope first, then `data` with the validator of its event type.
   * Error paths are JSON pointers into the event (`/data/MessageId`). Never throws: a value that throws
   * while it is read (a getter, a Proxy) is invalid, with an `exception` error where reading failed.
   * As a Standard Schema, an event of a type these schemas do not know is an issue at its type attribute.
   */
  validateEvent: ((value: unknown, options?: { form?: EventGridForm }) => EventOutcome) &
    StandardSchemaV1<unknown, AnyEvent>;
  /**
   * `validateEvent` for a batch: one outcome per index; a value that is not an array is one invalid
   * outcome, and so is an array that cannot be read. Never throws. As a Standard Schema, the batch
   * is valid when every event is, and issue paths start with the event's index.
   */
  validateEvents: ((
    value: unknown,
    options?: { form?: EventGridForm },
  ) => { ok: boolean; outcomes: EventOutcome[] }) &
    StandardSchemaV1<unknown, AnyEvent[]>;
}

/** The outcome of a batch that is not an array of events, or cannot be read as one. */
function invalidOutcome(errors: ValidationError[]): EventOutcome {
  return { kind: 'invalid', envelope: undefined, eventType: undefined, errors };
}

/**
 * `validateEvents` one event at a time, as a property of it under this key (`Symbol.for`, so that router-core.ts finds it
 * without importing this module): a router validates each event just before dispatching it, in one pass over a batch.
 */
export const EVENT_BY_EVENT: unique symbol = Symbol.for('eventgen.validateEvents.eventByEvent');

/** What `validateEvents[EVENT_BY_EVENT]` holds: its loop taken apart. */
export interface EventByEvent {
  /** The number of events of a batch, or the one invalid outcome of a value that is not an array or cannot be read. */
  count(value: unknown): number | EventOutcome;
  /** The outcome of the event at `index` of a batch `count` took (an event that cannot be read is invalid). */
  at(batch: readonly unknown[], index: number, options?: { form?: EventGridForm }): EventOutcome;
}

/** The checks a catalog binds: the envelopes', and the data validator of each event type. */
interface Checks {
  readonly eventGrid: Check;
  readonly eventGridDelivered: Check;
  readonly cloudEvent: Check;
  /** By event type (own properties of the catalog, which never changes), in a Map: an event's type, a string just parsed, is found without first being looked up among the interned strings. */
  readonly data: ReadonlyMap<string, Check>;
}

const NEITHER = '(root) is neither an Event Grid event (no "eventType") nor a CloudEvent (no "specversion")';

/** The outcome of an event whose envelope is valid: its data checked by the validator of its type, if it has one. */
function dataOutcome(
  checks: Checks,
  record: Record<string, unknown>,
  envelope: Envelope,
  eventType: string | undefined,
): EventOutcome {
  const dataValidator = eventType === undefined ? undefined : checks.data.get(eventType);
  if (dataValidator === undefined)
    return {
      kind: 'unknown',
      envelope,
      eventType: eventType ?? '',
      event: record as EventGridEvent | CloudEvent,
    };
  let data = record.data;
  if (envelope === 'cloudevents' && Object.hasOwn(record, 'data_base64')) {
    const decoded = decodeBase64Data(record.data_base64, record.datacontenttype);
    if ('errors' in decoded) return { kind: 'invalid', envelope, eventType, errors: decoded.errors };
    data = decoded.data;
  }
  const dataErrors = dataValidator(data, '/data');
  if (dataErrors !== undefined) return { kind: 'invalid', envelope, eventType, errors: dataErrors };
  return {
    kind: 'valid',
    envelope,
    eventType: eventType as EventType,
    event: record as AnyEvent,
    data: data as never,
  };
}

/** `validateEvent` on the checks of a catalog. Never throws. */
function validateWith(checks: Checks, value: unknown, form: EventGridForm | undefined): EventOutcome {
  let envelope: Envelope | undefined;
  let eventType: string | undefined;
  try {
    envelope = detect(value);
    if (envelope === undefined)
      return {
        kind: 'invalid',
        envelope,
        eventType,
        errors: [{ path: '', keyword: 'envelope', message: NEITHER }],
      };
    const envelopeCheck =
      envelope === 'cloudevents'
        ? checks.cloudEvent
        : form === 'delivered'
          ? checks.eventGridDelivered
          : checks.eventGrid;
    const envelopeErrors = envelopeCheck(value, '');
    const record = value as Record<string, unknown>;
    const rawType = envelope === 'eventgrid' ? record.eventType : record.type;
    eventType = typeof rawType === 'string' ? rawType : undefined;
    if (envelopeErrors !== undefined) return { kind: 'invalid', envelope, eventType, errors: envelopeErrors };
    return dataOutcome(checks, record, envelope, eventType);
  } catch (error) {
    return { kind: 'invalid', envelope, eventType, errors: unreadable(value, '', error) };
  }
}

export function eventValidation(catalog: Catalog): EventValidation {
  const { envelopes, data: compiledData } = catalog;
  const dataValidators = new Map<string, Check>();
  for (const eventType of Object.getOwnPropertyNames(compiledData))
    dataValidators.set(eventType, checkOf(compiledData[eventType] as AnyCompiled));
  const checks: Checks = {
    eventGrid: checkOf(envelopes.EventGridEvent),
    eventGridDelivered: checkOf(envelopes.EventGridDeliveredEvent),
    cloudEvent: checkOf(envelopes.CloudEvent),
    data: dataValidators,
  };
  const { eventGrid, eventGridDelivered } = checks;
  const isEventType = (eventType: unknown): eventType is EventType =>
    typeof eventType === 'string' && dataValidators.has(eventType);

  function validateEvent(value: unknown, options: { form?: EventGridForm } = {}): EventOutcome {
    return validateWith(checks, value, options.form);
  }

  /** The number of events of a batch, or the one invalid outcome of a value that is not an array or cannot be read. */
  function count(value: unknown): number | EventOutcome {
    try {
      if (!Array.isArray(value))
        return invalidOutcome([{ path: '', keyword: 'type', message: '(root) must be an array of events' }]);
      return value.length;
    } catch (error) {
      return invalidOutcome(unreadable(value, '', error));
    }
  }

  /** The outcome of the event at `index` of a batch `count` took; an event that cannot be read is invalid. */
  function at(
    batch: readonly unknown[],
    index: number,
    options: { form?: EventGridForm } = {},
  ): EventOutcome {
    let event: unknown;
    try {
      event = batch[index];
    } catch (error) {
      // The event itself cannot be read: its outcome's paths are relative to the event, so "".
      const errors = [
        { path: '', keyword: 'exception', message: `(root) cannot be read: ${reasonOf(error)}` },
      ];
      return { kind: 'invalid', envelope: undefined, eventType: undefined, errors };
    }
    return validateEvent(event, options);
  }

  function validateEvents(
    value: unknown,
    options: { form?: EventGridForm } = {},
  ): { ok: boolean; outcomes: EventOutcome[] } {
    const length = count(value);
    if (typeof length !== 'number') return { ok: false, outcomes: [length] };
    const batch = value as readonly unknown[];
    const outcomes: EventOutcome[] = [];
    let ok = true;
    for (let index = 0; index < length; index++) {
      const outcome = at(batch, index, options);
      if (outcome.kind !== 'valid') ok = false;
      outcomes.push(outcome);
    }
    return { ok, outcomes };
  }

  /** An event's outcome as Standard Schema issues, paths relative to the event. */
  const outcomeIssues = (outcome: EventOutcome, event: unknown): StandardSchemaV1.Issue[] =>
    outcome.kind === 'invalid'
      ? issuesOf(outcome.errors, event)
      : outcome.kind === 'unknown'
        ? [
            {
              message: `${outcome.envelope === 'eventgrid' ? '/eventType' : '/type'} is an event type these schemas do not know: ${JSON.stringify(outcome.eventType.slice(0, 200))}`,
              path: [outcome.envelope === 'eventgrid' ? 'eventType' : 'type'],
            },
          ]
        : [];

  const eventProps: StandardSchemaV1.Props<unknown, AnyEvent> = {
    version: 1,
    vendor: 'eventgen',
    validate: (value) => {
      const outcome = validateEvent(value);
      return outcome.kind === 'valid' ? { value: outcome.event } : { issues: outcomeIssues(outcome, value) };
    },
  };
  const eventsProps: StandardSchemaV1.Props<unknown, AnyEvent[]> = {
    version: 1,
    vendor: 'eventgen',
    validate: (value) => {
      const { ok, outcomes } = validateEvents(value);
      if (ok) return { value: outcomes.map((o) => (o as { event: AnyEvent }).event) };
      if (!Array.isArray(value)) return { issues: outcomeIssues(outcomes[0] as EventOutcome, value) };
      return {
        issues: outcomes.flatMap((outcome, index) => {
          let event: unknown;
          try {
            event = value[index];
          } catch {
            event = undefined;
          }
          return outcomeIssues(outcome, event).map((issue) => ({
            ...issue,
            path: [index, ...(issue.path ?? [])],
          }));
        }),
      };
    },
  };

  return {
    isEventType,
    validateEventGridEvent: standard((value: unknown, options: { form?: EventGridForm } = {}) => {
      const errors = (options.form === 'delivered' ? eventGridDelivered : eventGrid)(value, '');
      return errors === undefined
        ? { ok: true as const, value: value as EventGridEvent }
        : { ok: false as const, errors };
    }),
    validateCloudEvent: validator<CloudEvent>(envelopes.CloudEvent),
    validateEvent: Object.assign(validateEvent, { '~standard': eventProps }),
    validateEvents: Object.assign(validateEvents, {
      '~standard': eventsProps,
      [EVENT_BY_EVENT]: { count, at } satisfies EventByEvent,
    }),
  };
}
