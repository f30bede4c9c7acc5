/**
 * Differential testing, as Ajv tests its two implementations: the generated standalone
 * validators and ajv interpreting schemas/ at test time must agree on every doc sample,
 * every fixture, every mutant, and on at least 10,000 generated values per run: the same
 * verdict and the same errors (path and keyword, in order). The generated validators are
 * compiled for what the schemas use (no dynamic scope, `.length` for the envelopes'
 * `minLength: 1`) and check formats with generator/formats.mjs; the oracle is ajv with
 * everything on, and a second reference is plain ajv with ajv-formats' own formats, so a
 * format that diverged from ajv-formats would show here as well as in test/formats.test.ts.
 * The fast-check seed is fixed for reproducible CI runs; set FC_SEED to explore others.
 * On failure fast-check prints the seed and the counterexample.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
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
  validateEvent,
  validateEventGridEvent,
} from '../../generated/src/index.ts';
import { dataValidators } from '../../generated/src/validators.ts';
import { CLOUD_EVENT, CLOUD_EVENT_ID, EVENT_GRID_ANY, EVENT_GRID_ANY_ID } from '../../generator/emit/envelopes.ts';
import { eventSchemas, oracle, schemaFiles } from './oracle.ts';

const ajv = oracle();
const generated = (eventType: EventType, value: unknown) => dataValidators[eventType](value).ok;

/** Plain ajv 2020 with ajv-formats' full formats: none of eventgen's formats or options but the error ones. */
const reference = new Ajv2020({ allErrors: true, strict: false, ownProperties: true });
addFormats.default(reference);
for (const schema of [...schemaFiles().values(), EVENT_GRID_ANY, CLOUD_EVENT]) reference.addSchema(schema);
const referenceVerdict = (id: string, value: unknown) => reference.getSchema(id)?.(value) as boolean;

/** The generated validator's errors of a value, as paths and keywords ([] when valid). */
const generatedErrors = (eventType: EventType, value: unknown) => {
  const result = dataValidators[eventType](value);
  return result.ok ? [] : result.errors.map(({ path, keyword }) => ({ path, keyword }));
};

/** Verdicts and errors equal: the generated validator's, the oracle's, and the reference's verdict. */
function agree(eventType: EventType, value: unknown): boolean {
  const ours = generatedErrors(eventType, value);
  expect(ours).toEqual(ajv.errors(ajv.idOf(eventType), value));
  return (
    generated(eventType, value) === ajv.data(eventType, value) &&
    (ours.length === 0) === referenceVerdict(ajv.idOf(eventType), value)
  );
}

/** Date-time-like strings: valid, at a boundary of a field, or slightly off (RFC 3339 as ajv-formats reads it). */
const nearDateTime = fc
  .tuple(
    fc.constantFrom('2024', '2000', '1900', '2023', '0000'),
    fc.constantFrom('01', '02', '12', '13', '00'),
    fc.constantFrom('01', '28', '29', '30', '31', '32'),
    fc.constantFrom('T', 't', ' ', '_'),
    fc.constantFrom('00', '23', '24'),
    fc.constantFrom('00', '59', '60'),
    fc.constantFrom('00', '59', '60', '61'),
    fc.constantFrom('', '.1', '.123456789', '.99999999999999999', '.'),
    fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+01:00', '-08:00', '+0530', '+05', '+24:00', ''),
  )
  .map(([y, m, d, t, h, mi, s, f, z]) => `${y}-${m}-${d}${t}${h}:${mi}:${s}${f}${z}`);

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
            nearDateTime,
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

/** An event of `eventType` made with seed `s`, with `edits` to its envelope and, unless null, `dataValue` in one field of its data. */
function editedEvent(
  eventType: EventType,
  s: number,
  edits: { key: string; value: unknown; remove: boolean }[],
  dataValue: unknown,
): Record<string, unknown> {
  const event = makeEventGridEvent(eventType, undefined, { seed: s }) as unknown as Record<string, unknown>;
  for (const edit of edits) {
    if (edit.remove) delete event[edit.key];
    else event[edit.key] = edit.value;
  }
  if (dataValue !== null && typeof event.data === 'object' && event.data !== null) {
    const keys = Object.keys(event.data);
    if (keys.length > 0) (event.data as Record<string, unknown>)[keys[s % keys.length] as string] = dataValue;
  }
  return event;
}

/** validateEvent's outcome for `event` is ajv's verdict, with ajv's errors (path and keyword), envelope first. */
function expectAsAjv(event: Record<string, unknown>, outcome: ReturnType<typeof validateEvent>): void {
  const errorsOf = (o: typeof outcome) => (o.kind === 'invalid' ? o.errors.map(({ path, keyword }) => ({ path, keyword })) : []);
  if (!Object.hasOwn(event, 'eventType')) {
    // Without `eventType` it is no Event Grid event: validateEvent says so before any schema is checked.
    expect(outcome.kind === 'invalid' && outcome.errors.map((e) => e.keyword)).toEqual(['envelope']);
    return;
  }
  const envelope = ajv.errors(EVENT_GRID_ANY_ID, event);
  expect(referenceVerdict(EVENT_GRID_ANY_ID, event)).toBe(envelope.length === 0);
  if (envelope.length > 0) {
    expect(outcome.kind).toBe('invalid');
    expect(errorsOf(outcome)).toEqual(envelope);
    return;
  }
  const type = event.eventType as string;
  if (!EVENT_TYPES.includes(type as EventType)) {
    expect(outcome.kind).toBe('unknown');
    return;
  }
  const data = ajv.errors(ajv.idOf(type), event.data, '/data');
  expect(referenceVerdict(ajv.idOf(type), event.data)).toBe(data.length === 0);
  expect(outcome.kind).toBe(data.length === 0 ? 'valid' : 'invalid');
  expect(errorsOf(outcome)).toEqual(outcome.kind === 'invalid' ? data : []);
}

describe('validateEvent agrees with ajv on whole Event Grid events', () => {
  const seed = Number(process.env.FC_SEED ?? 20261123);
  const envelopeEdit = fc.record({
    key: fc.constantFrom('id', 'topic', 'subject', 'eventType', 'eventTime', 'data', 'dataVersion', 'metadataVersion'),
    value: fc.oneof(fc.jsonValue({ maxDepth: 1 }), nearDateTime, fc.constantFrom('', '1', '2', 'x', undefined)),
    remove: fc.boolean(),
  });

  it('5,000 events with edited envelopes and data (seeded): the same verdict and the same errors', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENT_TYPES),
        fc.nat(),
        fc.array(envelopeEdit, { maxLength: 3 }),
        fc.option(fc.oneof(nearDateTime, fc.jsonValue({ maxDepth: 1 }))),
        (eventType, s, edits, dataValue) => {
          const event = editedEvent(eventType, s, edits, dataValue);
          expectAsAjv(event, validateEvent(event));
        },
      ),
      { numRuns: 5_000, seed },
    );
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
