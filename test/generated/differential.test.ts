/**
 * Differential testing, as Ajv tests its two implementations: the generated standalone
 * validators and ajv interpreting schemas/ at test time must agree on every doc sample,
 * every fixture, every mutant, and on at least 10,000 generated values per run.
 * The fast-check seed is fixed for reproducible CI runs; set FC_SEED to explore others.
 * On failure fast-check prints the seed and the counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  type EventType,
  makeCloudEvent,
  makeData,
  makeEventGridEvent,
  mutantsOf,
  validateCloudEvent,
  validateEventGridEvent,
} from '../../generated/src/index.ts';
import { dataValidators } from '../../generated/src/validators.ts';
import { CLOUD_EVENT_ID, EVENT_GRID_ANY_ID } from '../../generator/emit/envelopes.ts';
import { eventSchemas, oracle } from './oracle.ts';

const ajv = oracle();
const generated = (eventType: EventType, value: unknown) => dataValidators[eventType](value).ok;
const agree = (eventType: EventType, value: unknown) => generated(eventType, value) === ajv.data(eventType, value);

describe('generated validators agree with ajv on schemas/', () => {
  it('every doc sample (all valid)', () => {
    for (const [eventType, schema] of eventSchemas()) {
      for (const example of schema.examples ?? []) {
        expect(generated(eventType as EventType, example)).toBe(true);
        expect(ajv.data(eventType, example)).toBe(true);
      }
    }
  });

  it('every fixture (all valid) and every mutant (all invalid)', () => {
    for (const eventType of EVENT_TYPES) {
      for (let seed = 0; seed < 50; seed++) {
        const data = makeData(eventType, undefined, { seed });
        expect([generated(eventType, data), ajv.data(eventType, data)]).toEqual([true, true]);
        const eg = makeEventGridEvent(eventType, undefined, { seed });
        expect([validateEventGridEvent(eg).ok, ajv.envelope(EVENT_GRID_ANY_ID, eg)]).toEqual([true, true]);
        const ce = makeCloudEvent(eventType, undefined, { seed });
        expect([validateCloudEvent(ce).ok, ajv.envelope(CLOUD_EVENT_ID, ce)]).toEqual([true, true]);
      }
      for (const mutant of mutantsOf(eventType)) {
        expect([generated(eventType, mutant.data), ajv.data(eventType, mutant.data)], mutant.description).toEqual([false, false]);
      }
    }
  });

  const seed = Number(process.env.FC_SEED ?? 20261122);

  /** A fixture with some leaves replaced by arbitrary JSON, dates and near-dates, or removed. */
  const mutated = fc
    .record({
      eventType: fc.constantFrom(...EVENT_TYPES),
      seed: fc.nat(),
      edits: fc.array(
        fc.record({
          at: fc.nat(),
          value: fc.oneof(
            fc.jsonValue({ maxDepth: 2 }),
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.constantFrom(
              '2020-02-30T00:00:00Z',
              '2020-01-01T00:00:00',
              '8f60490d-0719-4d9d-a1a6-835362fb752e',
              'https://x.y/z',
              '',
            ),
          ),
          remove: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
    })
    .map(({ eventType, seed, edits }) => {
      const data = makeData(eventType, undefined, { seed }) as unknown as Record<string, unknown>;
      for (const edit of edits) {
        const keys = leafParents(data);
        const target = keys[edit.at % Math.max(keys.length, 1)];
        if (!target) continue;
        const [parent, key] = target;
        if (edit.remove && !Array.isArray(parent)) delete parent[key];
        else (parent as Record<string, unknown>)[key] = edit.value;
      }
      return { eventType, data };
    });

  it('10,000 generated values (seeded)', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.oneof(mutated, fc.record({ eventType: fc.constantFrom(...EVENT_TYPES), data: fc.anything() })),
        ({ eventType, data }) => {
          checked++;
          return agree(eventType, data);
        },
      ),
      { numRuns: 10_000, seed },
    );
    expect(checked).toBeGreaterThanOrEqual(10_000);
  });
});

/** Every [container, key] of the value, depth first. */
function leafParents(value: unknown): [Record<string, unknown>, string][] {
  const out: [Record<string, unknown>, string][] = [];
  const walk = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return;
    for (const key of Object.keys(v)) {
      out.push([v as Record<string, unknown>, key]);
      walk((v as Record<string, unknown>)[key]);
    }
  };
  walk(value);
  return out;
}
