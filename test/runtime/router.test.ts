/** The typed router (runtime/router-core.ts) and Event Grid subscription filters; no event dropped silently. */
import { describe, expect, it, vi } from 'vitest';
import { makeCloudEvent, makeEventGridEvent } from '../../generated/src/fixtures.ts';
import {
  DISPATCH_NOW,
  type HandlerContext,
  matchesFilter,
  type NowRouter,
  type SubscriptionFilter,
  TimeLimit,
} from '../../runtime/router-core.ts';
import { createRouter, quiet, recorder } from './catalog.ts';

describe('matchesFilter, with the filter example of the docs', () => {
  // docs/event-grid-source.fr-FR.md: "filter": { includedEventTypes: [SMSReceived, SMSDeliveryReportReceived], subjectBeginsWith: "phonenumber/1555" }
  const docs: SubscriptionFilter = {
    includedEventTypes: ['Microsoft.Communication.SMSReceived', 'Microsoft.Communication.SMSDeliveryReportReceived'],
    subjectBeginsWith: 'phonenumber/1555',
  };
  it.each([
    ['SMSReceived to 1555…', docs, 'Microsoft.Communication.SMSReceived', 'phonenumber/15555555555', true],
    ['a delivery report to 1555…', docs, 'Microsoft.Communication.SMSDeliveryReportReceived', 'phonenumber/15551234567', true],
    ['subjects compare without case by default', docs, 'Microsoft.Communication.SMSReceived', 'PhoneNumber/15555555555', true],
    ['event types compare without case', docs, 'microsoft.communication.smsreceived', 'phonenumber/15555555555', true],
    ['another area code', docs, 'Microsoft.Communication.SMSReceived', 'phonenumber/14255550100', false],
    ['another event type', docs, 'Microsoft.Communication.ChatMessageReceived', 'phonenumber/15555555555', false],
    // The samples in the same docs have a leading slash, which this prefix does not match: Event Grid does no normalising.
    ['the leading slash of the doc samples', docs, 'Microsoft.Communication.SMSReceived', '/phonenumber/15555555555', false],
    [
      'case-sensitive when asked',
      { ...docs, isSubjectCaseSensitive: true },
      'Microsoft.Communication.SMSReceived',
      'PhoneNumber/15555555555',
      false,
    ],
    ['subjectEndsWith', { subjectEndsWith: '.txt' }, 'Microsoft.Storage.BlobCreated', '/blobs/a.TXT', true],
    ['no filter matches all', {}, 'Any.Type', undefined, true],
  ] as const)('%s', (_, filter, eventType, subject, want) => {
    expect(matchesFilter(filter, { eventType, subject })).toBe(want);
  });
});

describe('createRouter', () => {
  it('gives each handler its typed event in either envelope', async () => {
    const seen: string[] = [];
    const router = createRouter(
      {
        'Microsoft.Communication.SMSReceived': (event) => {
          seen.push(`${event.envelope} ${event.data.From} ${event.source === undefined}`);
        },
        'Microsoft.Communication.ChatThreadCreatedWithUser': async (event, context) => {
          seen.push(`${context.index} ${(event.data.members ?? []).map((m) => m.displayName).join('+')}`);
        },
      },
      { log: quiet },
    );
    const report = await router.dispatch([
      makeEventGridEvent('Microsoft.Communication.SMSReceived'),
      makeCloudEvent('Microsoft.Communication.ChatThreadCreatedWithUser'),
      makeEventGridEvent('Microsoft.Communication.ChatMessageDeleted'),
    ]);
    expect(seen).toEqual(['eventgrid 15555555555 false', '1 Bob+John']);
    expect(report.events.map((e) => e.status)).toEqual(['handled', 'handled', 'no-handler']);
  });

  it('applies a subscription filter', async () => {
    const handled = vi.fn();
    const router = createRouter(
      { 'Microsoft.Communication.SMSReceived': handled },
      { filter: { subjectBeginsWith: '/phonenumber/1555' }, log: quiet },
    );
    const report = await router.dispatch([
      makeEventGridEvent('Microsoft.Communication.SMSReceived'),
      makeEventGridEvent('Microsoft.Communication.SMSReceived', { subject: '/phonenumber/14255550100' }),
    ]);
    expect(handled).toHaveBeenCalledTimes(1);
    expect(report.events.map((e) => e.status)).toEqual(['handled', 'filtered']);
  });

  it('passes unknown event types to onUnknown, or rejects them when asked', async () => {
    const onUnknown = vi.fn((_, context: HandlerContext) => context.log.info('taken'));
    const { log, lines } = recorder();
    const unknown = { ...makeEventGridEvent('Microsoft.Communication.SMSReceived'), eventType: 'Contoso.New.Thing' };
    const accepted = await createRouter({}, { onUnknown, log }).dispatch([unknown]);
    expect(accepted).toMatchObject({ outcome: 'dispatched', events: [{ status: 'unknown', eventType: 'Contoso.New.Thing' }] });
    expect(onUnknown).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'unknown', eventType: 'Contoso.New.Thing' }),
      expect.objectContaining({ index: 0 }),
    );
    expect(lines).toEqual([{ level: 'info', message: 'taken' }]); // the context's log is the router's
    const rejected = await createRouter({}, { rejectUnknownEventTypes: true, log: quiet }).dispatch([unknown]);
    expect(rejected.outcome).toBe('rejected');
  });

  it('with rejectInvalid, rejects a batch with an invalid event before any handler runs, unless onInvalid takes it', async () => {
    const handled = vi.fn();
    const batch = [
      makeEventGridEvent('Microsoft.Communication.SMSReceived'),
      { ...makeEventGridEvent('Microsoft.Communication.SMSReceived'), data: { From: 15555555555 } },
    ];
    const { log, lines } = recorder();
    const rejected = await createRouter(
      { 'Microsoft.Communication.SMSReceived': handled },
      { log, rejectInvalid: true },
    ).dispatch(batch);
    expect(rejected).toMatchObject({ outcome: 'rejected', events: [{ index: 1, status: 'invalid' }] });
    expect(handled).not.toHaveBeenCalled();
    // Event Grid drops a 400 without a dead-letter destination: every event of the batch is in the log, whole.
    expect(lines.map((l) => l.level)).toEqual(['error', 'error']);
    for (const [i, event] of batch.entries()) expect(lines[i]?.message).toContain(JSON.stringify(event));

    const onInvalid = vi.fn();
    const taken = await createRouter({ 'Microsoft.Communication.SMSReceived': handled }, { onInvalid, log: quiet }).dispatch(
      batch,
    );
    expect(taken.events.map((e) => e.status)).toEqual(['handled', 'invalid']);
    expect(handled).toHaveBeenCalledTimes(1);
    expect(onInvalid).toHaveBeenCalledTimes(1);
  });

  it('reports a handler that throws or rejects, logs it and goes on', async () => {
    const log = { info: vi.fn(), error: vi.fn() };
    const router = createRouter(
      {
        'Microsoft.Communication.SMSReceived': () => {
          throw new Error('boom');
        },
        'Microsoft.Communication.ChatMessageDeleted': async () => Promise.reject(new Error('async boom')),
        'Microsoft.Communication.UserDisconnected': () => {},
      },
      { log },
    );
    const report = await router.dispatch(
      (
        [
          'Microsoft.Communication.SMSReceived',
          'Microsoft.Communication.ChatMessageDeleted',
          'Microsoft.Communication.UserDisconnected',
        ] as const
      ).map((t) => makeEventGridEvent(t)),
    );
    expect(report.events.map((e) => (e.status === 'failed' ? e.error : e.status))).toEqual(['boom', 'async boom', 'handled']);
    expect(log.error).toHaveBeenCalledTimes(2);
  });
});

describe('no event lost silently', () => {
  const sms = (seed = 1) => makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed });

  it('acknowledges an invalid event by default, dispatches the valid ones, and logs the invalid one whole with its errors', async () => {
    const handled = vi.fn();
    const { log, lines } = recorder();
    const invalid = { ...sms(2), data: { From: 15555555555 } };
    const report = await createRouter({ 'Microsoft.Communication.SMSReceived': handled }, { log }).dispatch([sms(1), invalid]);
    expect(report).toMatchObject({ outcome: 'dispatched', events: [{ status: 'handled' }, { index: 1, status: 'invalid' }] });
    expect(handled).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      {
        level: 'error',
        message: `eventgen: invalid event 1 acknowledged, not handled (/data/From must be string): ${JSON.stringify(invalid)}`,
      },
    ]);
  });

  it('logs an event of an unknown type with its type and id (warn) unless onUnknown takes it', async () => {
    const { log, lines } = recorder();
    const unknown = { ...sms(), eventType: 'Contoso.New.Thing' };
    await createRouter({}, { log }).dispatch([unknown]);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: `eventgen: event "${unknown.id}" of unknown type "Contoso.New.Thing" acknowledged, not handled`,
      },
    ]);
    const taken = recorder();
    await createRouter({}, { log: taken.log, onUnknown: () => {} }).dispatch([unknown]);
    expect(taken.lines).toEqual([]);
  });

  it('logs a documented event that has no handler', async () => {
    const { log, lines } = recorder();
    const report = await createRouter({}, { log }).dispatch([sms()]);
    expect(report.events).toMatchObject([{ status: 'no-handler' }]);
    expect(lines).toEqual([
      {
        level: 'info',
        message: `eventgen: no handler for Microsoft.Communication.SMSReceived event "${sms().id}": acknowledged`,
      },
    ]);
  });

  it('reads its handlers once, when it is made, as own properties', async () => {
    const seen: string[] = [];
    const handlers: Record<string, (event: { id: string }) => void> = {
      'Microsoft.Communication.SMSReceived': (event) => void seen.push(`first ${event.id}`),
    };
    const router = createRouter(handlers as never, { log: quiet });
    handlers['Microsoft.Communication.SMSReceived'] = (event) => void seen.push(`later ${event.id}`);
    handlers['Microsoft.Communication.ChatMessageDeleted'] = () => void seen.push('added later');
    const inherited = createRouter(Object.create(handlers) as never, { log: quiet });
    const report = await router.dispatch([sms()]);
    expect(report.events).toMatchObject([{ status: 'handled' }]);
    expect(seen).toEqual([`first ${sms().id}`]);
    expect((await inherited.dispatch([sms()])).events).toMatchObject([{ status: 'no-handler' }]);
  });

  it("logs to the request's logger when the router has none of its own", async () => {
    const request = recorder();
    await createRouter({}).dispatch([{ ...sms(), eventType: 'Contoso.New.Thing' }], { log: request.log });
    expect(request.lines.map((l) => l.level)).toEqual(['warn']);
    const own = recorder();
    await createRouter({}, { log: own.log }).dispatch([{ ...sms(), eventType: 'Contoso.New.Thing' }], { log: request.log });
    expect([own.lines.length, request.lines.length]).toEqual([1, 1]);
  });

  it('starts no further handler once the signal is aborted, and gives handlers the signal', async () => {
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const router = createRouter(
      {
        'Microsoft.Communication.SMSReceived': (_, context) => {
          signals.push(context.signal);
          controller.abort();
        },
      },
      { log: quiet },
    );
    const report = await router.dispatch([sms(1), sms(2)], { signal: controller.signal });
    expect(report.events.map((e) => e.status)).toEqual(['handled', 'aborted']);
    expect(signals).toEqual([controller.signal]);
  });

  it('reports at once, with no promise, when no handler returns one; waits for those that do, in order', async () => {
    const order: string[] = [];
    const handlers = {
      'Microsoft.Communication.SMSReceived': (event: { id: string }) => {
        order.push(`start ${event.id}`);
        if (event.id === sms(2).id)
          return new Promise<void>((resolve) =>
            setTimeout(() => {
              order.push(`end ${event.id}`);
              resolve();
            }, 5),
          );
        if (event.id === sms(3).id) return Promise.reject(new Error('rejected'));
      },
    };
    const router = createRouter(handlers, { log: quiet }) as NowRouter;
    const now = router[DISPATCH_NOW]([sms(1), sms(4)]);
    expect(now).toMatchObject({ outcome: 'dispatched', events: [{ status: 'handled' }, { status: 'handled' }] });
    order.length = 0;
    const later = router[DISPATCH_NOW]([sms(1), sms(2), sms(3), sms(4)]);
    expect(later).toBeInstanceOf(Promise);
    expect(order).toEqual([`start ${sms(1).id}`, `start ${sms(2).id}`]);
    const report = await later;
    expect(order).toEqual([
      `start ${sms(1).id}`,
      `start ${sms(2).id}`,
      `end ${sms(2).id}`,
      `start ${sms(3).id}`,
      `start ${sms(4).id}`,
    ]);
    expect(report.events.map((e) => [e.index, e.status])).toEqual([
      [0, 'handled'],
      [1, 'handled'],
      [2, 'failed'],
      [3, 'handled'],
    ]);
    // dispatch itself always answers with a promise, and the same report.
    expect(await router.dispatch([sms(1), sms(2), sms(3), sms(4)])).toEqual(report);
  });

  it('with a TimeLimit: no AbortSignal unless a handler reads one, the same one for every handler, no handler after the time is up', async () => {
    const seen: AbortSignal[] = [];
    const router = createRouter(
      {
        'Microsoft.Communication.SMSReceived': (event, context) => {
          if (event.id !== sms(1).id) seen.push(context.signal);
        },
      },
      { log: quiet },
    );
    const limit = new TimeLimit(Number.POSITIVE_INFINITY);
    await router.dispatch([sms(1)], { limit });
    expect([limit.watched, limit.waiting, limit.expired]).toEqual([true, false, false]);
    await router.dispatch([sms(2), sms(3)], { limit });
    expect(seen).toEqual([limit.signal, limit.signal]);
    expect(limit.signal.aborted).toBe(false);
    const short = new TimeLimit(1, () => new Error('over'));
    const report = await createRouter(
      { 'Microsoft.Communication.SMSReceived': () => new Promise<void>((resolve) => setTimeout(resolve, 30)) },
      { log: quiet },
    ).dispatch([sms(1), sms(2)], { limit: short });
    expect(report.events.map((e) => e.status)).toEqual(['handled', 'aborted']);
    expect([short.expired, short.signal.aborted, String(short.signal.reason)]).toEqual([true, true, 'Error: over']);
  });

  it('validates each event as it dispatches it: an event that cannot be read is invalid, the others are handled', async () => {
    const seen: string[] = [];
    const batch = [sms(1), undefined, sms(3)];
    Object.defineProperty(batch, 1, {
      get: () => {
        throw new Error('unreadable');
      },
    });
    const { log, lines } = recorder();
    const router = createRouter({ 'Microsoft.Communication.SMSReceived': (event) => void seen.push(event.id) }, { log });
    const report = await router.dispatch(batch);
    // Logged as invalid (not a failed handler: a retry would not read it either), with what could be read of it.
    expect(lines).toMatchObject([{ level: 'error', message: expect.stringContaining('(cannot be read: unreadable)') }]);
    expect(report.events.map((e) => [e.index, e.status])).toEqual([
      [0, 'handled'],
      [1, 'invalid'],
      [2, 'handled'],
    ]);
    expect(report.events[1]).toMatchObject({ errors: [{ path: '', keyword: 'exception' }] });
    expect(seen).toEqual([sms(1).id, sms(3).id]);
    // The same with rejectInvalid: the batch is rejected whole, every event logged, none handled.
    const rejected = await createRouter(
      { 'Microsoft.Communication.SMSReceived': (event) => void seen.push(event.id) },
      { log: quiet, rejectInvalid: true },
    ).dispatch(batch);
    expect(rejected).toMatchObject({ outcome: 'rejected', events: [{ index: 1, status: 'invalid' }] });
    expect(seen).toHaveLength(2);
    // Not a batch at all: one invalid outcome, as validateEvents gives it.
    expect((await router.dispatch({ not: 'an array' } as never)).events).toMatchObject([
      { index: 0, status: 'invalid', errors: [{ keyword: 'type', message: '(root) must be an array of events' }] },
    ]);
  });

  it('routes the data of a CloudEvent sent as data_base64, decoded', async () => {
    const seen: unknown[] = [];
    const event = makeCloudEvent('Microsoft.Communication.SMSReceived', undefined, { seed: 3 });
    const { data, ...rest } = event;
    const encoded = { ...rest, data_base64: Buffer.from(JSON.stringify(data)).toString('base64') };
    const router = createRouter({ 'Microsoft.Communication.SMSReceived': (e) => void seen.push(e.data) }, { log: quiet });
    expect((await router.dispatch([encoded])).events).toMatchObject([{ status: 'handled' }]);
    expect(seen).toEqual([data]);
  });
});
