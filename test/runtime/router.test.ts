/** The typed router and Event Grid subscription filters. */
import { describe, expect, it, vi } from 'vitest';
import {
  createRouter,
  makeCloudEvent,
  makeEventGridEvent,
  matchesFilter,
  type SubscriptionFilter,
} from '../../generated/src/index.ts';

const quiet = { info: () => {}, error: () => {} };

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
          seen.push(`${context.index} ${event.data.members.map((m) => m.displayName).join('+')}`);
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
    const onUnknown = vi.fn();
    const unknown = { ...makeEventGridEvent('Microsoft.Communication.SMSReceived'), eventType: 'Contoso.New.Thing' };
    const accepted = await createRouter({}, { onUnknown, log: quiet }).dispatch([unknown]);
    expect(accepted).toMatchObject({ outcome: 'dispatched', events: [{ status: 'unknown', eventType: 'Contoso.New.Thing' }] });
    expect(onUnknown).toHaveBeenCalledWith(expect.objectContaining({ kind: 'unknown', eventType: 'Contoso.New.Thing' }), {
      index: 0,
      log: quiet,
    });
    const rejected = await createRouter({}, { rejectUnknownEventTypes: true, log: quiet }).dispatch([unknown]);
    expect(rejected.outcome).toBe('rejected');
  });

  it('rejects a batch with an invalid event before any handler runs, unless onInvalid takes it', async () => {
    const handled = vi.fn();
    const batch = [
      makeEventGridEvent('Microsoft.Communication.SMSReceived'),
      { ...makeEventGridEvent('Microsoft.Communication.SMSReceived'), data: { From: 15555555555 } },
    ];
    const rejected = await createRouter({ 'Microsoft.Communication.SMSReceived': handled }, { log: quiet }).dispatch(batch);
    expect(rejected).toMatchObject({ outcome: 'rejected', events: [{ index: 1, status: 'invalid' }] });
    expect(handled).not.toHaveBeenCalled();

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
