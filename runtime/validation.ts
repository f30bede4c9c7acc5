/**
 * Validation on top of the validators ajv compiled at generate time (validators.compiled.js): every
 * error with its JSON pointer, never a throw whatever the input, the Standard Schema v1 interface on
 * each validator, and the checks of a whole event (envelope first, then `data` by event type).
 * validators.ts binds it to this package's schemas.
 */
import type { CloudEvent, EventGridEvent } from './envelopes.js';
import type { AnyEvent, EventDataMap, EventType } from './events.js';
import { escapeToken, splitPointer } from './pointer.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** One reason a value is invalid. */
export interface ValidationError {
  /** JSON pointer of the offending value ("" is the value itself; for a missing property, where it belongs). */
  path: string;
  /** The JSON Schema keyword that failed: "required", "type", "format", … */
  keyword: string;
  /** A readable message that starts with the path. */
  message: string;
}

/** Every error, never only the first. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationError[] };

/** An error as ajv reports it (https://ajv.js.org/api.html#error-objects). */
export interface CompiledError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  /** Set on errors about a property's name (`propertyNames`). */
  propertyName?: string;
}

/** A validator compiled by ajv: true when `value` is valid; otherwise its errors are in `errors`. */
export type Compiled = ((value: unknown) => boolean) & { errors?: CompiledError[] | null };

/**
 * A validator of eventgen's own code (validators.compiled.js): the errors of `value`, already in their final shape and
 * starting with `prefix`, or undefined when it is valid (nothing is allocated then). `final` tells it from ajv's.
 */
export type FinalCompiled = ((value: unknown, prefix?: string) => ValidationError[] | undefined) & {
  readonly final: true;
};

/** Either kind of compiled validator. */
export type AnyCompiled = Compiled | FinalCompiled;

/**
 * A validator: call it for `{ ok: true, value } | { ok: false, errors }`, or hand it to anything that takes
 * a Standard Schema (its `~standard.validate` gives `{ value }` or `{ issues }`, paths as arrays of keys).
 */
export type Validator<T> = ((value: unknown) => ValidationResult<T>) & StandardSchemaV1<unknown, T>;

/** An envelope validator that reads Event Grid events in one form or another; see {@link EventGridForm}. */
export type EventGridValidator = ((
  value: unknown,
  options?: { form?: EventGridForm },
) => ValidationResult<EventGridEvent>) &
  StandardSchemaV1<unknown, EventGridEvent>;

/** An ajv error in the shape the package reports (eventgen's own code makes its errors in that shape at once). */
export function toError(e: CompiledError, prefix: string): ValidationError {
  const keyword = e.keyword;
  // The common errors first, read in as few property loads as they need: a type or a format error names no property.
  if ((keyword === 'type' || keyword === 'format') && e.propertyName === undefined) {
    const path = prefix === '' ? e.instancePath : prefix + e.instancePath;
    return { path, keyword, message: `${path || '(root)'} ${e.message ?? `fails ${keyword}`}` };
  }
  const named = e.propertyName ?? (keyword === 'required' ? e.params.missingProperty : e.params.propertyName);
  const path = `${prefix}${e.instancePath}${typeof named === 'string' ? `/${escapeToken(named)}` : ''}`;
  const message =
    e.keyword === 'required'
      ? 'is required'
      : typeof named === 'string'
        ? `is not an allowed name (${e.message ?? e.keyword})`
        : (e.message ?? `fails ${e.keyword}`);
  return { path, keyword: e.keyword, message: `${path || '(root)'} ${message}` };
}

/** What was thrown, as text; never throws itself (a thrown Proxy or a throwing `message` getter included). */
export function reasonOf(error: unknown): string {
  try {
    const reason = error instanceof Error ? error.message : String(error);
    return typeof reason === 'string' ? reason.slice(0, 200) : 'unknown error';
  } catch {
    return 'unknown error';
  }
}

/**
 * The errors of a value that threw while it was read (a throwing getter, a Proxy whose traps throw):
 * one `exception` error per place where reading fails, found by reading the value again the way
 * a validator does (own keys, then each property), at most 10; the value's own path when reading
 * it again does not throw.
 */
function unreadable(value: unknown, prefix: string, thrown: unknown): ValidationError[] {
  const errors: ValidationError[] = [];
  const fail = (path: string, error: unknown) =>
    errors.push({
      path,
      keyword: 'exception',
      message: `${path || '(root)'} cannot be read: ${reasonOf(error)}`,
    });
  const seen = new Set<object>();
  const stack: [unknown, string][] = [[value, prefix]];
  // Iterative, so nesting of any depth answers; bounded, so a huge value answers too.
  let budget = 100_000;
  while (stack.length > 0 && errors.length < 10 && budget > 0) {
    const [node, path] = stack.pop() as [unknown, string];
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    let keys: string[];
    try {
      keys = Object.keys(node);
    } catch (error) {
      fail(path, error);
      continue;
    }
    const children: [unknown, string][] = [];
    for (const key of keys.slice(0, budget)) {
      const at = `${path}/${escapeToken(key)}`;
      try {
        children.push([(node as Record<string, unknown>)[key], at]);
      } catch (error) {
        fail(at, error);
      }
    }
    budget -= keys.length + 1;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as [unknown, string]);
  }
  if (errors.length === 0)
    errors.push({
      path: prefix,
      keyword: 'exception',
      message: `${prefix || '(root)'} cannot be validated: ${reasonOf(thrown)}`,
    });
  return errors;
}

/** The errors of a value (paths starting with `prefix`), or undefined when it is valid. Never throws. */
type Check = (value: unknown, prefix: string) => ValidationError[] | undefined;

function isFinal(compiled: AnyCompiled): compiled is FinalCompiled {
  return (compiled as Partial<FinalCompiled>).final === true;
}

/**
 * The check of a compiled validator: eventgen's own code answers in the final shape (nothing is allocated for a valid
 * value); ajv's errors are converted. A function of its own per validator, so that each call site sees one validator.
 */
function checkOf(compiled: AnyCompiled): Check {
  if (isFinal(compiled))
    return (value, prefix) => {
      try {
        return compiled(value, prefix);
      } catch (error) {
        return unreadable(value, prefix, error);
      }
    };
  return (value, prefix) => {
    try {
      if (compiled(value)) return undefined;
    } catch (error) {
      return unreadable(value, prefix, error);
    }
    return (compiled.errors ?? []).map((e) => toError(e, prefix));
  };
}

function runner<T>(compiled: AnyCompiled): (value: unknown) => ValidationResult<T> {
  const check = checkOf(compiled);
  return (value) => {
    const errors = check(value, '');
    return errors === undefined ? { ok: true, value: value as T } : { ok: false, errors };
  };
}

/**
 * A JSON pointer as a Standard Schema path: its tokens, unescaped, with the index of an array item as a
 * number (the value is walked to tell `/items/0` from a property named "0"). Never throws.
 */
export function pathOf(pointer: string, root: unknown): PropertyKey[] {
  if (pointer === '') return [];
  const tokens = splitPointer(pointer);
  const path: PropertyKey[] = [];
  let node: unknown = root;
  for (const token of tokens) {
    try {
      if (Array.isArray(node) && /^(?:0|[1-9]\d*)$/.test(token)) {
        path.push(Number(token));
        node = node[Number(token)];
        continue;
      }
      node =
        typeof node === 'object' && node !== null && Object.hasOwn(node, token)
          ? (node as Record<string, unknown>)[token]
          : undefined;
    } catch {
      node = undefined;
    }
    path.push(token);
  }
  return path;
}

/** Errors as Standard Schema issues. */
export function issuesOf(errors: readonly ValidationError[], value: unknown): StandardSchemaV1.Issue[] {
  return errors.map((e) => ({ message: e.message, path: pathOf(e.path, value) }));
}

/**
 * `validate` with the Standard Schema v1 interface added (vendor "eventgen"); as a Standard Schema it
 * is called with the value alone.
 */
export function standard<T, F extends (value: unknown, ...options: never[]) => ValidationResult<T>>(
  validate: F,
): F & StandardSchemaV1<unknown, T> {
  const props: StandardSchemaV1.Props<unknown, T> = {
    version: 1,
    vendor: 'eventgen',
    validate: (value) => {
      const result = (validate as (value: unknown) => ValidationResult<T>)(value);
      return result.ok ? { value: result.value } : { issues: issuesOf(result.errors, value) };
    },
  };
  return Object.assign(validate, { '~standard': props });
}

/** The validator of one event's data (or of any schema ajv compiled): call it, or use it as a Standard Schema. */
export function validator<T>(compiled: AnyCompiled): Validator<T> {
  return standard(runner<T>(compiled));
}

/**
 * How strictly to read an Event Grid envelope. "any" (the default) accepts the publish form,
 * which @azure/eventgrid sends without `topic` and `metadataVersion`, and the delivered form,
 * which Event Grid stamps with both; either is checked when present. "delivered" requires both.
 */
export type EventGridForm = 'any' | 'delivered';

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
 * `validateEvents` one event at a time, as a property of it under this key (`Symbol.for`, so that routing.ts finds it
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

export function eventValidation(catalog: Catalog): EventValidation {
  const { envelopes, data: compiledData } = catalog;
  // The data validator of each event type (own properties of the catalog, which never changes), in a Map: an
  // event's type, a string just parsed, is found without first being looked up among the interned strings.
  const dataValidators = new Map<string, Check>();
  for (const eventType of Object.getOwnPropertyNames(compiledData))
    dataValidators.set(eventType, checkOf(compiledData[eventType] as AnyCompiled));
  const eventGrid = checkOf(envelopes.EventGridEvent);
  const eventGridDelivered = checkOf(envelopes.EventGridDeliveredEvent);
  const cloudEvent = checkOf(envelopes.CloudEvent);
  const isEventType = (eventType: unknown): eventType is EventType =>
    typeof eventType === 'string' && dataValidators.has(eventType);

  function validateEvent(value: unknown, options: { form?: EventGridForm } = {}): EventOutcome {
    let envelope: Envelope | undefined;
    let eventType: string | undefined;
    try {
      envelope = detect(value);
      if (envelope === undefined) {
        const message =
          '(root) is neither an Event Grid event (no "eventType") nor a CloudEvent (no "specversion")';
        return {
          kind: 'invalid',
          envelope,
          eventType: undefined,
          errors: [{ path: '', keyword: 'envelope', message }],
        };
      }
      const envelopeCheck =
        envelope === 'cloudevents'
          ? cloudEvent
          : options.form === 'delivered'
            ? eventGridDelivered
            : eventGrid;
      const envelopeErrors = envelopeCheck(value, '');
      const record = value as Record<string, unknown>;
      const rawType = envelope === 'eventgrid' ? record.eventType : record.type;
      eventType = typeof rawType === 'string' ? rawType : undefined;
      if (envelopeErrors !== undefined)
        return { kind: 'invalid', envelope, eventType, errors: envelopeErrors };
      const dataValidator = eventType === undefined ? undefined : dataValidators.get(eventType);
      if (dataValidator === undefined)
        return {
          kind: 'unknown',
          envelope,
          eventType: eventType ?? '',
          event: value as EventGridEvent | CloudEvent,
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
        event: value as AnyEvent,
        data: data as never,
      };
    } catch (error) {
      return { kind: 'invalid', envelope, eventType, errors: unreadable(value, '', error) };
    }
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
