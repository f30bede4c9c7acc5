/** The generated validators: per event data, both envelopes, validateEvent and batches, hostile input. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dataValidators,
  EVENT_TYPES,
  envelopeOf,
  isAcsSmsReceivedEventData,
  isEventType,
  makeCloudEvent,
  makeEventGridEvent,
  validateAcsSmsReceivedEventData,
  validateCloudEvent,
  validateEvent,
  validateEventGridEvent,
  validateEvents,
} from '../../generated/src/index.ts';
import { shippedDocs } from '../helpers.ts';
import { buildPackage, removeBuilt } from './build.ts';
import { eventSchemas, SCHEMAS_DIR } from './oracle.ts';

const sms = () => makeEventGridEvent('Microsoft.Communication.SMSReceived');
const ce = () => makeCloudEvent('Microsoft.Communication.SMSReceived');
const paths = (r: { ok: boolean; errors?: { path: string }[] }) =>
  r.ok ? [] : [...new Set((r.errors ?? []).map((e) => e.path))];

describe('data validators', () => {
  it('accept every documented sample', () => {
    for (const [eventType, schema] of eventSchemas()) {
      for (const example of schema.examples ?? []) {
        const outcome = validateEvent({ ...makeEventGridEvent(eventType as never), data: example });
        expect(outcome.kind, `${eventType}: ${JSON.stringify(outcome)}`).toBe('valid');
      }
    }
    expect(EVENT_TYPES).toHaveLength(12);
  });

  it('return every error with its JSON pointer, keyword and message', () => {
    const result = validateAcsSmsReceivedEventData({
      MessageId: 1,
      From: 1,
      To: '2',
      Message: 'x',
      // No doc states ReceivedTimestamp's type: its date-time look is a hint, not a rule.
      ReceivedTimestamp: 'yesterday',
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: '/MessageId', keyword: 'type', message: '/MessageId must be string' },
        { path: '/From', keyword: 'type', message: '/From must be string' },
      ],
    });
  });

  it('accept a missing field: no doc states that any SMSReceived field is required', () => {
    const { MessageId: _, ...rest } = sms().data;
    expect(validateAcsSmsReceivedEventData(rest).ok).toBe(true);
    expect(validateAcsSmsReceivedEventData({}).ok).toBe(true);
  });

  it('report a field missing that a person made required, at the path where it belongs', async () => {
    const files = new Map(
      readdirSync(SCHEMAS_DIR).map((f) => [f, readFileSync(path.join(SCHEMAS_DIR, f), 'utf8')] as [string, string]),
    );
    const file = 'Microsoft.Communication.SMSReceived.schema.json';
    const curated = JSON.parse(files.get(file) as string);
    curated.required = ['MessageId'];
    const { pkg } = await buildPackage(shippedDocs(), files.set(file, JSON.stringify(curated)));
    const { MessageId: _, ...rest } = sms().data;
    expect(pkg.validateAcsSmsReceivedEventData(rest)).toMatchObject({
      ok: false,
      errors: [{ path: '/MessageId', keyword: 'required' }],
    });
    // Own properties only: an inherited MessageId does not satisfy required.
    expect(pkg.validateAcsSmsReceivedEventData(Object.create({ MessageId: 'inherited' })).ok).toBe(false);
    removeBuilt();
  });

  it('accept unknown properties (producers add fields over time)', () => {
    expect(validateAcsSmsReceivedEventData({ ...sms().data, NewField: { x: 1 } }).ok).toBe(true);
  });

  it('narrow with the type guard', () => {
    const value: unknown = sms().data;
    expect(isAcsSmsReceivedEventData(value)).toBe(true);
    if (isAcsSmsReceivedEventData(value)) expect(value.From).toBeTypeOf('string');
    expect(isAcsSmsReceivedEventData({ From: 15555555555 })).toBe(false);
    expect(isAcsSmsReceivedEventData('sms')).toBe(false);
  });
});

describe('envelopes', () => {
  const { topic: _t, metadataVersion: _m, ...publish } = sms();
  it.each([
    ['a delivered Event Grid event', sms(), {}, []],
    ['the publish form (no topic, no metadataVersion)', publish, {}, []],
    [
      'the publish form when the delivered form is required',
      publish,
      { form: 'delivered' as const },
      ['/topic', '/metadataVersion'],
    ],
    ['an empty id', { ...sms(), id: '' }, {}, ['/id']],
    ['eventTime that is not RFC 3339', { ...sms(), eventTime: '18/09/2020' }, {}, ['/eventTime']],
    ['metadataVersion other than "1"', { ...sms(), metadataVersion: '2' }, {}, ['/metadataVersion']],
    ['no data', { ...sms(), data: undefined }, {}, ['/data']],
    ['an empty dataVersion (Event Grid stamps one)', { ...sms(), dataVersion: '' }, {}, []],
  ])('Event Grid: %s', (_, event, options, want) => {
    expect(paths(validateEventGridEvent(JSON.parse(JSON.stringify(event)), options))).toEqual(want);
  });

  it.each([
    ['a structured CloudEvent', ce(), []],
    ['specversion "1"', { ...ce(), specversion: '1' }, ['/specversion']],
    ['no source', { ...ce(), source: undefined }, ['/source']],
    ['a source that is no URI-reference', { ...ce(), source: 'not a uri {x}' }, ['/source']],
    ['time that is not RFC 3339', { ...ce(), time: '2020-09-18' }, ['/time']],
    ['an extension named with upper case', { ...ce(), myExtension: 'x' }, ['/myExtension']],
    ['a lower-case extension', { ...ce(), myextension: 'x', count2: 3 }, []],
    ['an extension holding an object', { ...ce(), ext: { a: 1 } }, ['/ext']],
    ['both data and data_base64', { ...ce(), data_base64: 'AAAA' }, ['']],
  ])('CloudEvents: %s', (_, event, want) => {
    expect(paths(validateCloudEvent(JSON.parse(JSON.stringify(event))))).toEqual(want);
  });
});

describe('validateEvent', () => {
  it('says which envelope and type a valid event has', () => {
    expect(validateEvent(ce())).toMatchObject({
      kind: 'valid',
      envelope: 'cloudevents',
      eventType: 'Microsoft.Communication.SMSReceived',
    });
  });

  it('reports an unknown event type as its own outcome', () => {
    const outcome = validateEvent({ ...sms(), eventType: 'Contoso.Unknown.Thing', data: { anything: true } });
    expect(outcome).toMatchObject({ kind: 'unknown', envelope: 'eventgrid', eventType: 'Contoso.Unknown.Thing' });
  });

  it('prefixes data errors with /data', () => {
    const outcome = validateEvent({ ...ce(), data: { ...ce().data, From: 7 } });
    expect(outcome).toMatchObject({
      kind: 'invalid',
      errors: [{ path: '/data/From', keyword: 'type', message: '/data/From must be string' }],
    });
  });

  it('checks a batch per index', () => {
    const { ok, outcomes } = validateEvents([sms(), { ...sms(), id: 5 }, ce(), 'nope']);
    expect(ok).toBe(false);
    expect(outcomes.map((o) => o.kind)).toEqual(['valid', 'invalid', 'valid', 'invalid']);
    expect(validateEvents({ not: 'an array' }).ok).toBe(false);
  });
});

describe('hostile input never throws', () => {
  let deep: unknown = {};
  for (let i = 0; i < 10_000; i++) deep = { x: deep, y: [deep] };
  let deepArray: unknown = [];
  for (let i = 0; i < 10_000; i++) deepArray = [deepArray];
  const mega = 'x'.repeat(1 << 20);
  const megaDigits = `2020-01-01T00:00:00.${'1'.repeat(1 << 20)}Z`;

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'event'],
    ['an array for an object', [1, 2]],
    ['a function', () => 1],
  ])('%s', (_, value) => {
    const outcome = validateEvent(value);
    expect(['invalid', 'unknown', 'valid']).toContain(outcome.kind);
    expect(validateAcsSmsReceivedEventData(value).ok).toBe(false);
  });

  it.each([
    ['10,000-deep nesting in data (unknown fields are allowed)', { ...sms(), data: deep }, 'valid', true],
    ['10,000-deep nesting in a field', { ...sms(), data: { ...sms().data, From: deep } }, 'invalid', false],
    ['10,000-deep arrays', { ...sms(), data: deepArray }, 'invalid', false],
    [
      'a megabyte of fraction digits in a date-time field (RFC 3339 allows them)',
      { ...sms(), data: { ...sms().data, ReceivedTimestamp: megaDigits } },
      'valid',
      true,
    ],
    ['a megabyte event type', { ...sms(), eventType: mega }, 'unknown', true],
    ['a megabyte CloudEvents source', { ...ce(), source: `/${mega}` }, 'valid', true],
  ])('%s', (_, value, kind, dataOk) => {
    expect(validateEvent(value).kind).toBe(kind);
    expect(validateAcsSmsReceivedEventData((value as { data: unknown }).data).ok).toBe(dataOk);
  });

  it('treats __proto__, constructor and prototype keys as data, without pollution', () => {
    const body = `{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "eventType": "Microsoft.Communication.SMSReceived",
      "id": "1", "subject": "s", "eventTime": "2020-01-01T00:00:00Z", "dataVersion": "1",
      "data": {"__proto__": {"MessageId": "m"}, "constructor": 1, "prototype": 2, "From": "a", "To": "b", "Message": "c", "ReceivedTimestamp": "2020-01-01T00:00:00Z"}}`;
    const outcome = validateEvent(JSON.parse(body));
    expect(outcome.kind).toBe('valid');
    if (outcome.kind === 'valid') expect(Object.hasOwn(outcome.event.data as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('values that throw while they are read', () => {
  const boom = () => {
    throw new Error('boom');
  };
  /** A Proxy whose every trap throws. */
  const hostile = () =>
    new Proxy(
      {},
      {
        get: boom,
        has: boom,
        ownKeys: boom,
        getOwnPropertyDescriptor: boom,
        getPrototypeOf: boom,
        defineProperty: boom,
        set: boom,
      },
    );
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  /** An event whose `data.From` getter throws. */
  const throwingField = () => {
    const event = JSON.parse(JSON.stringify(sms()));
    Object.defineProperty(event.data, 'From', { get: boom, enumerable: true });
    return event;
  };
  const exception = (path: string) =>
    expect.objectContaining({ path, keyword: 'exception', message: expect.stringContaining(path || '(root)') });

  it.each([
    ['a Proxy whose traps throw', hostile, ''],
    ['a revoked Proxy', revoked, ''],
    [
      'a throwing getter for the whole data',
      () => Object.defineProperty(sms(), 'data', { get: boom, enumerable: true }),
      '/data',
    ],
    [
      'a throwing getter for eventType',
      () => Object.defineProperty(sms(), 'eventType', { get: boom, enumerable: true }),
      '/eventType',
    ],
    ['a throwing getter deep in data', throwingField, '/data/From'],
    ['a Proxy as data', () => ({ ...sms(), data: hostile() }), '/data'],
  ])('validateEvent answers for %s, naming where reading failed', (_, make, path) => {
    const outcome = validateEvent(make());
    expect(outcome.kind).toBe('invalid');
    if (outcome.kind === 'invalid') expect(outcome.errors).toContainEqual(exception(path));
  });

  it('every validate*, is* and envelope function answers', () => {
    for (const [value, path] of [
      [hostile(), ''],
      [revoked(), ''],
      [throwingField().data, '/From'],
    ] as const) {
      expect(validateAcsSmsReceivedEventData(value)).toMatchObject({ ok: false, errors: [exception(path)] });
      expect(isAcsSmsReceivedEventData(value)).toBe(false);
      expect(dataValidators['Microsoft.Communication.SMSReceived'](value).ok).toBe(false);
      expect(validateEventGridEvent(value).ok).toBe(false);
      expect(validateEventGridEvent(value, { form: 'delivered' }).ok).toBe(false);
      expect(validateCloudEvent(value).ok).toBe(false);
      expect(envelopeOf(value)).toBeUndefined();
      expect(isEventType(value)).toBe(false);
    }
  });

  it('validateEvents answers for a hostile batch, and for a batch holding a hostile event', () => {
    const hostileArray = new Proxy([], { get: boom, getOwnPropertyDescriptor: boom, ownKeys: boom });
    for (const batch of [hostileArray, revoked()]) {
      expect(validateEvents(batch)).toMatchObject({ ok: false, outcomes: [{ kind: 'invalid', errors: [exception('')] }] });
    }
    expect(validateEvents(hostile())).toMatchObject({
      ok: false,
      outcomes: [{ kind: 'invalid', errors: [{ keyword: 'type' }] }],
    });
    const events = [sms(), hostile(), throwingField(), ce()];
    const { ok, outcomes } = validateEvents(events);
    expect([ok, outcomes.map((o) => o.kind)]).toEqual([false, ['valid', 'invalid', 'invalid', 'valid']]);
    // An array whose element cannot even be read: that element's outcome is invalid.
    const unreadable = new Proxy([sms(), sms()], { get: (target, key) => (key === '1' ? boom() : Reflect.get(target, key)) });
    expect(validateEvents(unreadable).outcomes).toMatchObject([{ kind: 'valid' }, { kind: 'invalid', errors: [exception('')] }]);
  });

  it('answers when what is thrown is itself hostile', () => {
    const getter = (thrown: () => unknown) =>
      Object.defineProperty(sms(), 'data', {
        get() {
          throw thrown();
        },
        enumerable: true,
      });
    const message = new Error('x');
    Object.defineProperty(message, 'message', { get: boom });
    for (const thrown of [hostile, revoked, () => message, () => ({ toString: boom }), () => Symbol('s')]) {
      expect(validateEvent(getter(thrown)), String(thrown)).toMatchObject({ kind: 'invalid', errors: [exception('/data')] });
    }
  });
});
