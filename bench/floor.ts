/**
 * The hand-written floor of P3 and P4: plain checks of the rules schemas/ and the envelope schema state for
 * the events the benchmarks use, written the way a person would write them for speed. Each returns true, or
 * every error with its path, keyword and message exactly as the generated validators report them (a test,
 * test/bench-floor.test.ts, checks that they agree on the bench's inputs and on a fuzzed corpus), so the floor
 * does the same work: the same properties (own ones only), the same types, RFC 3339 date-times checked by the
 * same function (generator/formats.mjs), every error listed.
 *
 * Written plainly, not after the generated code's structure (reviewed as such): each member is read once and
 * checked as it is; whether it is an own property (`hasOwnProperty`, to tell it from one inherited from a
 * prototype) is asked only once a check of it has failed, as a person who must ignore inherited members would
 * write it; a nested object or array is walked without asking, and an error under it is kept only when every
 * member on its path is own. The one exception is a required member of the envelope: being own is what makes
 * it present, so it is asked for each. No list of errors is made until the first error.
 *
 * The rules, from schemas/ (no field is required: the docs state none; no format: the docs state no type for
 * these fields) and generator/emit/envelopes.ts:
 * - SMSReceived data: an object; MessageId, From, To, Message, ReceivedTimestamp strings.
 * - ChatThreadCreatedWithUser data: an object; createdBy, recipientId, transactionId, threadId, createTime strings;
 *   properties an object whose topic is a string; members an array of objects whose displayName and memberId
 *   are strings; version a number.
 * - Event Grid envelope: an object with id, subject, eventType, eventTime, data and dataVersion; id, topic,
 *   subject, eventType non-empty strings; eventTime a date-time string; dataVersion a string; metadataVersion
 *   "1". The data is checked only when the envelope is valid (as validateEvent does).
 */
import { isDateTime } from '../generator/formats.mjs';

/** An error as the generated validators report it. */
export interface FloorError {
  path: string;
  keyword: string;
  message: string;
}

/** true, or every error. */
export type FloorResult = true | FloorError[];

const hasOwn = Object.prototype.hasOwnProperty;

function add(errors: FloorError[] | undefined, path: string, keyword: string, message: string): FloorError[] {
  const error = { path, keyword, message: `${path || '(root)'} ${message}` };
  if (errors === undefined) return [error];
  errors.push(error);
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Each property is checked by its own lines, not by a helper shared across properties: a shared helper reads
// properties by a variable key from objects of every shape, and V8's keyed loads then go megamorphic.

/** The data of Microsoft.Communication.SMSReceived; `at` prefixes every path. */
export function smsReceivedData(value: unknown, at = ''): FloorResult {
  if (!isObject(value)) return add(undefined, at, 'type', 'must be object');
  let errors: FloorError[] | undefined;
  const messageId = value.MessageId;
  if (messageId !== undefined && typeof messageId !== 'string' && hasOwn.call(value, 'MessageId'))
    errors = add(errors, `${at}/MessageId`, 'type', 'must be string');
  const from = value.From;
  if (from !== undefined && typeof from !== 'string' && hasOwn.call(value, 'From'))
    errors = add(errors, `${at}/From`, 'type', 'must be string');
  const to = value.To;
  if (to !== undefined && typeof to !== 'string' && hasOwn.call(value, 'To'))
    errors = add(errors, `${at}/To`, 'type', 'must be string');
  const message = value.Message;
  if (message !== undefined && typeof message !== 'string' && hasOwn.call(value, 'Message'))
    errors = add(errors, `${at}/Message`, 'type', 'must be string');
  const received = value.ReceivedTimestamp;
  if (received !== undefined && typeof received !== 'string' && hasOwn.call(value, 'ReceivedTimestamp'))
    errors = add(errors, `${at}/ReceivedTimestamp`, 'type', 'must be string');
  return errors ?? true;
}

/** The data of Microsoft.Communication.ChatThreadCreatedWithUser; `at` prefixes every path. */
export function chatThreadCreatedWithUserData(value: unknown, at = ''): FloorResult {
  if (!isObject(value)) return add(undefined, at, 'type', 'must be object');
  let errors: FloorError[] | undefined;
  const createdBy = value.createdBy;
  if (createdBy !== undefined && typeof createdBy !== 'string' && hasOwn.call(value, 'createdBy'))
    errors = add(errors, `${at}/createdBy`, 'type', 'must be string');
  const properties = value.properties;
  if (properties !== undefined) {
    if (isObject(properties)) {
      const topic = properties.topic;
      if (
        topic !== undefined &&
        typeof topic !== 'string' &&
        hasOwn.call(properties, 'topic') &&
        hasOwn.call(value, 'properties')
      )
        errors = add(errors, `${at}/properties/topic`, 'type', 'must be string');
    } else if (hasOwn.call(value, 'properties')) errors = add(errors, `${at}/properties`, 'type', 'must be object');
  }
  const members = value.members;
  if (members !== undefined) {
    if (Array.isArray(members)) {
      for (let i = 0; i < members.length; i++) {
        const member: unknown = members[i];
        if (isObject(member)) {
          const name = member.displayName;
          if (
            name !== undefined &&
            typeof name !== 'string' &&
            hasOwn.call(member, 'displayName') &&
            hasOwn.call(value, 'members')
          )
            errors = add(errors, `${at}/members/${i}/displayName`, 'type', 'must be string');
          const id = member.memberId;
          if (id !== undefined && typeof id !== 'string' && hasOwn.call(member, 'memberId') && hasOwn.call(value, 'members'))
            errors = add(errors, `${at}/members/${i}/memberId`, 'type', 'must be string');
        } else if (hasOwn.call(value, 'members')) errors = add(errors, `${at}/members/${i}`, 'type', 'must be object');
      }
    } else if (hasOwn.call(value, 'members')) errors = add(errors, `${at}/members`, 'type', 'must be array');
  }
  const createTime = value.createTime;
  if (createTime !== undefined && typeof createTime !== 'string' && hasOwn.call(value, 'createTime'))
    errors = add(errors, `${at}/createTime`, 'type', 'must be string');
  const version = value.version;
  if (version !== undefined && typeof version !== 'number' && hasOwn.call(value, 'version'))
    errors = add(errors, `${at}/version`, 'type', 'must be number');
  const recipientId = value.recipientId;
  if (recipientId !== undefined && typeof recipientId !== 'string' && hasOwn.call(value, 'recipientId'))
    errors = add(errors, `${at}/recipientId`, 'type', 'must be string');
  const transactionId = value.transactionId;
  if (transactionId !== undefined && typeof transactionId !== 'string' && hasOwn.call(value, 'transactionId'))
    errors = add(errors, `${at}/transactionId`, 'type', 'must be string');
  const threadId = value.threadId;
  if (threadId !== undefined && typeof threadId !== 'string' && hasOwn.call(value, 'threadId'))
    errors = add(errors, `${at}/threadId`, 'type', 'must be string');
  return errors ?? true;
}

/**
 * The Event Grid envelope (not its data), in the "any" form: topic and metadataVersion checked when present.
 * A required member is missing when absent, inherited or undefined (as ajv's `ownProperties` reads it): being own
 * is asked of each, since it is what makes it present.
 */
export function eventGridEnvelope(value: Record<string, unknown>): FloorResult {
  let errors: FloorError[] | undefined;
  const { id, topic, subject, eventType, eventTime, data, dataVersion, metadataVersion } = value;
  const hasId = id !== undefined && hasOwn.call(value, 'id');
  const hasSubject = subject !== undefined && hasOwn.call(value, 'subject');
  const hasEventType = eventType !== undefined && hasOwn.call(value, 'eventType');
  const hasEventTime = eventTime !== undefined && hasOwn.call(value, 'eventTime');
  const hasDataVersion = dataVersion !== undefined && hasOwn.call(value, 'dataVersion');
  if (!hasId) errors = add(errors, '/id', 'required', 'is required');
  if (!hasSubject) errors = add(errors, '/subject', 'required', 'is required');
  if (!hasEventType) errors = add(errors, '/eventType', 'required', 'is required');
  if (!hasEventTime) errors = add(errors, '/eventTime', 'required', 'is required');
  if (data === undefined || !hasOwn.call(value, 'data')) errors = add(errors, '/data', 'required', 'is required');
  if (!hasDataVersion) errors = add(errors, '/dataVersion', 'required', 'is required');
  if (hasId) {
    if (typeof id !== 'string') errors = add(errors, '/id', 'type', 'must be string');
    else if (id.length === 0) errors = add(errors, '/id', 'minLength', 'must NOT have fewer than 1 characters');
  }
  if (topic !== undefined) {
    if (typeof topic !== 'string') {
      if (hasOwn.call(value, 'topic')) errors = add(errors, '/topic', 'type', 'must be string');
    } else if (topic.length === 0 && hasOwn.call(value, 'topic'))
      errors = add(errors, '/topic', 'minLength', 'must NOT have fewer than 1 characters');
  }
  if (hasSubject) {
    if (typeof subject !== 'string') errors = add(errors, '/subject', 'type', 'must be string');
    else if (subject.length === 0) errors = add(errors, '/subject', 'minLength', 'must NOT have fewer than 1 characters');
  }
  if (hasEventType) {
    if (typeof eventType !== 'string') errors = add(errors, '/eventType', 'type', 'must be string');
    else if (eventType.length === 0) errors = add(errors, '/eventType', 'minLength', 'must NOT have fewer than 1 characters');
  }
  if (hasEventTime) {
    if (typeof eventTime !== 'string') errors = add(errors, '/eventTime', 'type', 'must be string');
    else if (!isDateTime(eventTime)) errors = add(errors, '/eventTime', 'format', 'must match format "date-time"');
  }
  if (hasDataVersion && typeof dataVersion !== 'string') errors = add(errors, '/dataVersion', 'type', 'must be string');
  if (metadataVersion !== undefined && metadataVersion !== '1' && hasOwn.call(value, 'metadataVersion'))
    errors = add(errors, '/metadataVersion', 'const', 'must be equal to constant');
  return errors ?? true;
}

/** The data checks the floor has, by event type. */
const DATA: Readonly<Record<string, (value: unknown, at: string) => FloorResult>> = {
  'Microsoft.Communication.SMSReceived': smsReceivedData,
  'Microsoft.Communication.ChatThreadCreatedWithUser': chatThreadCreatedWithUserData,
};

const NEITHER = '(root) is neither an Event Grid event (no "eventType") nor a CloudEvent (no "specversion")';

/**
 * A whole Event Grid event, as validateEvent checks it: the envelope, then (when the envelope is valid) the
 * data with the check of its event type. undefined for an event the floor has no data check for (a CloudEvent,
 * or another event type).
 */
export function eventGridEvent(value: unknown): FloorResult | undefined {
  if (!isObject(value)) return [{ path: '', keyword: 'envelope', message: NEITHER }];
  if (!hasOwn.call(value, 'eventType'))
    return hasOwn.call(value, 'specversion') ? undefined : [{ path: '', keyword: 'envelope', message: NEITHER }];
  const envelope = eventGridEnvelope(value);
  if (envelope !== true) return envelope;
  const data = hasOwn.call(DATA, value.eventType as string) ? DATA[value.eventType as string] : undefined;
  return data === undefined ? undefined : data(value.data, '/data');
}
