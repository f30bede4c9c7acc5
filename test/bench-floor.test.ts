/**
 * The hand-written floor of the benchmarks (bench/floor.ts) checks what the generated validators check: on
 * fixtures and on values fuzzed from them (fields removed, replaced by arbitrary JSON, near-date-times, wrong
 * types; envelopes broken), its verdict and its errors (path, keyword, message, in order) are the generated
 * validators'. So P3 and P4 compare like with like.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as floor from '../bench/floor.ts';
import {
  makeAcsChatThreadCreatedWithUserEventData,
  makeAcsSmsReceivedEventData,
  makeEventGridEvent,
  validateAcsChatThreadCreatedWithUserEventData,
  validateAcsSmsReceivedEventData,
  validateEvent,
} from '../generated/src/index.ts';

const SMS = 'Microsoft.Communication.SMSReceived';
const CHAT = 'Microsoft.Communication.ChatThreadCreatedWithUser';
const seed = Number(process.env.FC_SEED ?? 20261123);

const leaf = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '2020-02-30T00:00:00Z',
    '2016-12-31T23:59:60Z',
    '2020-01-01 00:00:00+05',
    'noon',
    '',
    '1',
    1.5,
    7,
    null,
    [],
    {},
  ),
);
const edits = fc.array(fc.record({ at: fc.nat(), value: leaf, remove: fc.boolean() }), { maxLength: 4 });

/** `value` with some of its places (the value itself included) removed or replaced. */
function edited(value: unknown, list: { at: number; value: unknown; remove: boolean }[]): unknown {
  let root = structuredClone(value);
  for (const edit of list) {
    const places: [Record<string, unknown> | undefined, string][] = [[undefined, '']];
    const walk = (v: unknown) => {
      if (typeof v !== 'object' || v === null) return;
      for (const key of Object.keys(v)) {
        places.push([v as Record<string, unknown>, key]);
        walk((v as Record<string, unknown>)[key]);
      }
    };
    walk(root);
    const [parent, key] = places[edit.at % places.length] as [Record<string, unknown> | undefined, string];
    if (parent === undefined) root = edit.value;
    else if (edit.remove && !Array.isArray(parent)) delete parent[key];
    else parent[key] = edit.value;
  }
  return root;
}

const errorsOf = (result: { ok: boolean; errors?: unknown }) => (result.ok ? true : result.errors);

describe('the floor agrees with the generated validators', () => {
  it('SMSReceived data', () => {
    fc.assert(
      fc.property(fc.nat(), edits, (s, list) => {
        const value = edited(makeAcsSmsReceivedEventData(undefined, { seed: s }), list);
        expect(floor.smsReceivedData(value)).toEqual(errorsOf(validateAcsSmsReceivedEventData(value)));
      }),
      { numRuns: 3_000, seed },
    );
  });

  it('ChatThreadCreatedWithUser data', () => {
    fc.assert(
      fc.property(fc.nat(), edits, (s, list) => {
        const value = edited(makeAcsChatThreadCreatedWithUserEventData(undefined, { seed: s }), list);
        expect(floor.chatThreadCreatedWithUserData(value)).toEqual(
          errorsOf(validateAcsChatThreadCreatedWithUserEventData(value)),
        );
      }),
      { numRuns: 3_000, seed },
    );
  });

  it('members only inherited from a prototype are not there, at the top and below (own properties only)', () => {
    const inherited = (proto: object, own: object = {}) => Object.assign(Object.create(proto) as object, own);
    const sms = makeAcsSmsReceivedEventData();
    const chat = makeAcsChatThreadCreatedWithUserEventData();
    const smsValues = [
      inherited({ MessageId: 1, ReceivedTimestamp: 'noon' }, { From: 2 }),
      inherited({ ReceivedTimestamp: 3 }, { ...sms }),
    ];
    for (const value of smsValues) expect(floor.smsReceivedData(value)).toEqual(errorsOf(validateAcsSmsReceivedEventData(value)));
    const chatValues = [
      inherited({ properties: { topic: 1 }, members: [{ displayName: 1 }, 'x'], version: 1.5, createTime: 'x' }),
      { ...chat, properties: inherited({ topic: 1 }), members: [inherited({ displayName: 1 }, { memberId: 2 })] },
      inherited({ members: 'x', properties: 'y' }, { threadId: 1 }),
    ];
    for (const value of chatValues)
      expect(floor.chatThreadCreatedWithUserData(value)).toEqual(errorsOf(validateAcsChatThreadCreatedWithUserEventData(value)));
    const event = makeEventGridEvent(SMS);
    const events = [
      inherited({ eventType: SMS }, { ...event }),
      inherited({ id: 'x', subject: 's', topic: '', metadataVersion: '2' }, { ...event, id: undefined, subject: undefined }),
      { ...event, data: inherited({ MessageId: 1 }, { From: 1 }) },
    ];
    for (const value of events) {
      const outcome = validateEvent(value);
      const hand = floor.eventGridEvent(value);
      expect(hand).toEqual(outcome.kind === 'valid' ? true : outcome.kind === 'invalid' ? outcome.errors : 'unknown');
    }
  });

  it('whole Event Grid events (envelope first, then data)', () => {
    fc.assert(
      fc.property(fc.constantFrom(SMS, CHAT), fc.nat(), edits, (eventType, s, list) => {
        const value = edited(makeEventGridEvent(eventType, undefined, { seed: s }), list);
        const outcome = validateEvent(value);
        const hand = floor.eventGridEvent(value);
        if (hand === undefined) expect(outcome.kind).not.toBe('valid');
        else expect(hand).toEqual(outcome.kind === 'valid' ? true : outcome.kind === 'invalid' ? outcome.errors : 'unknown');
      }),
      { numRuns: 3_000, seed },
    );
  });
});
