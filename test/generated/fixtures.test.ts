/** The generated fixture factories: deterministic, overridable, always valid; mutants always rejected at their path. */
import { describe, expect, it, vi } from 'vitest';
import {
  EVENT_TYPES,
  makeAcsChatThreadCreatedWithUserEventData,
  makeAcsSmsReceivedCloudEvent,
  makeAcsSmsReceivedEventGridEvent,
  makeBatch,
  makeCloudEvent,
  makeData,
  makeEventGridEvent,
  mutantsOf,
  validateEvent,
  validateEventGridEvent,
} from '../../generated/src/index.ts';
import { dataValidators } from '../../generated/src/validators.ts';

describe('fixtures', () => {
  it('are the same for the same seed, whatever the clock says', () => {
    const first = JSON.stringify([
      makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed: 42 }),
      makeCloudEvent('Microsoft.Communication.ChatMessageDeleted', undefined, { seed: 42 }),
    ]);
    vi.useFakeTimers({ now: new Date('2099-12-31T23:59:59Z') });
    try {
      const later = JSON.stringify([
        makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed: 42 }),
        makeCloudEvent('Microsoft.Communication.ChatMessageDeleted', undefined, { seed: 42 }),
      ]);
      expect(later).toBe(first);
    } finally {
      vi.useRealTimers();
    }
  });

  it('pin the values for a seed, on every platform', () => {
    const event = makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed: 7 });
    expect({ id: event.id, eventTime: event.eventTime, received: event.data.ReceivedTimestamp }).toMatchInlineSnapshot(`
      {
        "eventTime": "2024-07-29T22:13:24.501Z",
        "id": "b953f8b3-0cf4-46f1-b65d-55d4ce797bf4",
        "received": "2020-09-18T00:27:45.32Z",
      }
    `);
  });

  it('differ between seeds', () => {
    const ids = new Set(
      Array.from({ length: 100 }, (_, seed) => makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed }).id),
    );
    expect(ids.size).toBe(100);
  });

  it('start from the doc sample with placeholders made real', () => {
    const event = makeAcsSmsReceivedEventGridEvent();
    expect(event.data.Message).toBe('Great to connect with ACS events ');
    expect(event.topic).not.toMatch(/[{}]/);
    expect(makeAcsSmsReceivedCloudEvent().source).toBe(event.topic);
  });

  it('merge deep-partial overrides and replace arrays whole', () => {
    const data = makeAcsChatThreadCreatedWithUserEventData({
      properties: { topic: 'Overridden' },
      members: [{ displayName: 'Only', memberId: '8:acs:1' }],
    });
    expect(data.properties?.topic).toBe('Overridden');
    expect(data.members).toEqual([{ displayName: 'Only', memberId: '8:acs:1' }]);
    expect(data.threadId).toBe(makeAcsChatThreadCreatedWithUserEventData().threadId);
    const event = makeAcsSmsReceivedEventGridEvent({ subject: '/phonenumber/1', data: { Message: 'hi' } });
    expect([event.subject, event.data.Message, event.data.From]).toEqual(['/phonenumber/1', 'hi', '15555555555']);
  });

  it('make batches with distinct ids', () => {
    const batch = makeBatch('Microsoft.Communication.SMSReceived', 500, { envelope: 'cloudevents', seed: 3 });
    expect(new Set(batch.map((e) => e.id)).size).toBe(500);
    expect(batch.every((e) => validateEvent(e).kind === 'valid')).toBe(true);
  });

  it.each(EVENT_TYPES)('%s: 1,000 seeds of data, Event Grid and CloudEvents fixtures all validate', (eventType) => {
    for (let seed = 0; seed < 1000; seed++) {
      const data = makeData(eventType, undefined, { seed });
      expect(dataValidators[eventType](data).ok, `seed ${seed}`).toBe(true);
      const eg = makeEventGridEvent(eventType, undefined, { seed });
      expect(validateEvent(eg).kind, `seed ${seed}`).toBe('valid');
      expect(validateEventGridEvent(eg, { form: 'delivered' }).ok).toBe(true);
      expect(validateEvent(makeCloudEvent(eventType, undefined, { seed })).kind, `seed ${seed}`).toBe('valid');
    }
  });
});

describe('mutants', () => {
  it.each(EVENT_TYPES)('%s: every mutant is rejected with exactly its path and keyword', (eventType) => {
    const mutants = mutantsOf(eventType);
    expect(mutants.length).toBeGreaterThan(3);
    for (const mutant of mutants) {
      const result = dataValidators[eventType](mutant.data);
      expect(result.ok, mutant.description).toBe(false);
      if (result.ok) continue;
      expect([...new Set(result.errors.map((e) => e.path))], mutant.description).toEqual([mutant.path]);
      expect(
        result.errors.map((e) => e.keyword),
        mutant.description,
      ).toContain(mutant.keyword);
    }
  });

  it('cover each wrong type (no doc states a format here), and drop only what the contract requires (nothing, here)', () => {
    const descriptions = mutantsOf('Microsoft.Communication.SMSDeliveryReportReceived').map((m) => m.description);
    expect(descriptions).toEqual(
      expect.arrayContaining([
        '/MessageId: boolean instead of string',
        '/ReceivedTimestamp: boolean instead of string',
        '/DeliveryAttempts/0/SegmentsSucceeded: boolean instead of number',
        'data: boolean instead of object',
      ]),
    );
    expect(descriptions.filter((d) => d.includes('bad date-time'))).toEqual([]);
    // No doc states a field of this event is required: dropping one is no mutant.
    expect(descriptions.filter((d) => d.startsWith('drop '))).toEqual([]);
  });
});
