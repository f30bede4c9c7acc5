/**
 * generator/formats.mjs gives exactly the verdicts of ajv-formats' full mode, on a large property-based corpus
 * (strings built like date-times and UUIDs with every part drawn from valid, boundary and invalid values, plus
 * arbitrary strings) and on the edge cases of RFC 3339 and ajv-formats' reading of it. The fast-check seed is
 * fixed for reproducible runs; set FC_SEED to explore others.
 */
import ajvFormats from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formats, isDateTime, isUri, isUuid } from '../generator/formats.mjs';
import { isDateTime as inferredDateTime, isUri as uriHint, isUuid as uuidHint } from '../generator/infer/formats.ts';

const full = ajvFormats.fullFormats;
const reference = {
  dateTime: (s: string) => (full['date-time'] as { validate: (s: string) => boolean }).validate(s),
  uuid: (s: string) => (full.uuid as RegExp).test(s),
};
const seed = Number(process.env.FC_SEED ?? 20261123);

const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));
/** Two digits, mostly in or near a field's range, sometimes anything or not digits at all. */
const field = (max: number) =>
  fc.oneof(
    { weight: 24, arbitrary: fc.integer({ min: 0, max }).map((v) => String(v).padStart(2, '0')) },
    { weight: 2, arbitrary: fc.constantFrom(String(max + 1).padStart(2, '0'), '00', '99', '60', '61', '23', '59') },
    { weight: 1, arbitrary: digits(2) },
    { weight: 1, arbitrary: fc.constantFrom('', '1', '123', 'ab', '٣٤', '+1', ' 1', '1.') },
  );
const separator = fc.oneof(
  { weight: 4, arbitrary: fc.constant('T') },
  { weight: 1, arbitrary: fc.constantFrom('t', ' ', '\t', '\n', '\u00a0', '\u2028', '\u3000', '\ufeff', '_', 'TT', '', 'x') },
);
const fraction = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc.integer({ min: 1, max: 12 }).chain((n) => digits(Math.min(n, 9)).map((d) => `.${d.padEnd(n, '9')}`)),
  },
  { weight: 1, arbitrary: fc.constantFrom('.', '.9999999999999999999', '.5e1', ',5', '..1') },
);
const zone = fc.oneof(
  fc.constantFrom('Z', 'Z', 'Z', 'z', '', 'UTC', 'Z ', 'ZZ', '+', '-'),
  fc
    .tuple(fc.constantFrom('+', '-', '−'), field(23), fc.constantFrom(':', '', '::', '.'), fc.oneof(field(59), fc.constant('')))
    .map((parts) => parts.join('')),
);
const year = fc.oneof(
  digits(4),
  digits(4),
  digits(4),
  fc.constantFrom('2000', '1900', '2100', '2400', '0000', '2024', '2023', '+2024', '202', '20245'),
);
/** Strings shaped like RFC 3339 date-times, each part valid, at a boundary, or broken. */
const dateTimeLike = fc
  .tuple(
    year,
    fc.constantFrom('-', '-', '-', '-', '-', '/'),
    field(12),
    field(31),
    separator,
    field(23),
    field(59),
    field(60),
    fraction,
    zone,
  )
  .map(([y, dash, mo, d, sep, h, mi, s, fr, z]) => `${y}${dash}${mo}-${d}${sep}${h}:${mi}:${s}${fr}${z}`);
const hex = fc.constantFrom(...'0123456789abcdefABCDEF');
const uuidLike = fc
  .tuple(
    fc.constantFrom('', '', '', 'urn:uuid:', 'URN:UUID:', 'urn:uuid', 'urn-uuid:', '{'),
    fc.array(
      fc.oneof({ weight: 20, arbitrary: hex }, { weight: 1, arbitrary: fc.constantFrom('g', 'G', '-', ' ', '\u0010', 'é') }),
      {
        minLength: 30,
        maxLength: 34,
      },
    ),
    fc.constantFrom('-', '-', '-', '_', ''),
  )
  .map(([prefix, h, dash]) => {
    const s = h.join('');
    return `${prefix}${s.slice(0, 8)}${dash}${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  });

describe('date-time: the verdicts of ajv-formats (full)', () => {
  it('on 200,000 generated strings (date-time shaped, real dates, arbitrary)', () => {
    let valid = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 6, arbitrary: dateTimeLike },
          {
            weight: 2,
            arbitrary: fc
              .date({ noInvalidDate: true, min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z') })
              .map((d) => d.toISOString()),
          },
          { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
        ),
        (s) => {
          const expected = reference.dateTime(s);
          if (expected) valid++;
          return isDateTime(s) === expected;
        },
      ),
      { numRuns: 200_000, seed },
    );
    // The corpus is not all rejections: a good share are valid date-times.
    expect(valid).toBeGreaterThan(20_000);
  });

  it.each([
    // Leap seconds: 23:59:60 in UTC, whatever the offset; ajv-formats' arithmetic, including its quirks.
    ['2016-12-31T23:59:60Z', true],
    ['2016-12-31T23:59:60.999Z', true],
    ['2016-12-31T23:59:60+00:00', true],
    ['2016-12-31T15:59:60-08:00', true],
    ['2017-01-01T00:59:60+01:00', true],
    ['2016-12-31T22:59:60Z', false],
    ['2016-12-31T23:58:60Z', false],
    ['2016-12-31T23:59:61Z', false],
    ['2016-12-31T00:00:60+00:01', true],
    ['2016-12-31T23:59:60.99999999999999999Z', false],
    ['2016-12-31T12:00:59.99999999999999999Z', false],
    ['2016-12-31T23:59:59.99999999999999999Z', true],
    ['2020-01-01T24:59:30+01:00', true],
    // Offsets.
    ['2020-01-01T00:00:00-00:00', true],
    ['2020-01-01T00:00:00+23:59', true],
    ['2020-01-01T00:00:00+24:00', false],
    ['2020-01-01T00:00:00+05:60', false],
    ['2020-01-01T00:00:00+0530', true],
    ['2020-01-01T00:00:00+05', true],
    ['2020-01-01T00:00:00+05:', false],
    ['2020-01-01T00:00:00+5:30', false],
    ['2020-01-01T00:00:00', false],
    // Lower case and other separators.
    ['2020-01-01t00:00:00z', true],
    ['2020-01-01 00:00:00Z', true],
    ['2020-01-01\u300000:00:00Z', true],
    ['2020-01-01_00:00:00Z', false],
    ['2020-01-01TT00:00:00Z', false],
    // Fractions of 1 to 9 digits and more.
    ...Array.from({ length: 12 }, (_, i) => [`2020-01-01T00:00:00.${'1'.repeat(i + 1)}Z`, true] as [string, boolean]),
    ['2020-01-01T00:00:00.Z', false],
    ['2020-01-01T00:00:00,5Z', false],
    // Out-of-range fields.
    ['2020-13-01T00:00:00Z', false],
    ['2020-00-01T00:00:00Z', false],
    ['2020-01-00T00:00:00Z', false],
    ['2020-01-32T00:00:00Z', false],
    ['2020-04-31T00:00:00Z', false],
    ['2020-01-01T25:00:00Z', false],
    ['2020-01-01T00:60:00Z', false],
    ['2020-01-01T00:00:62Z', false],
    // February 29.
    ['2020-02-29T00:00:00Z', true],
    ['2019-02-29T00:00:00Z', false],
    ['2000-02-29T00:00:00Z', true],
    ['1900-02-29T00:00:00Z', false],
    ['0000-02-29T00:00:00Z', true],
    ['2020-02-30T00:00:00Z', false],
    // Not a date-time at all.
    ['', false],
    ['2020-01-01', false],
    ['20200101T000000Z', false],
    ['+2020-01-01T00:00:00Z', false],
    ['２０２０-01-01T00:00:00Z', false],
  ] as [string, boolean][])('%j → %s', (value, expected) => {
    expect(reference.dateTime(value)).toBe(expected);
    expect(isDateTime(value)).toBe(expected);
  });

  it('is the check inference uses', () => {
    expect(inferredDateTime).toBe(isDateTime);
  });
});

describe('uuid: the verdicts of ajv-formats (full)', () => {
  it('on 100,000 generated strings (UUID shaped, real UUIDs, arbitrary)', () => {
    fc.assert(
      fc.property(
        fc.oneof(uuidLike, fc.uuid().map(String), fc.string({ unit: 'binary', maxLength: 46 })),
        (s) => isUuid(s) === reference.uuid(s),
      ),
      { numRuns: 100_000, seed },
    );
  });

  it.each([
    ['8f60490d-0719-4d9d-a1a6-835362fb752e', true],
    ['8F60490D-0719-4D9D-A1A6-835362FB752E', true],
    ['urn:uuid:8f60490d-0719-4d9d-a1a6-835362fb752e', true],
    ['URN:Uuid:8f60490d-0719-4d9d-a1a6-835362fb752e', true],
    ['{8f60490d-0719-4d9d-a1a6-835362fb752e}', false],
    ['8f60490d07194d9da1a6835362fb752e', false],
    ['8f60490d-0719-4d9d-a1a6-835362fb752', false],
    ['8f60490d-0719-4d9d-a1a6-835362fb752g', false],
    ['8f60490d-0719-4d9d-a1a6_835362fb752e', false],
  ] as [string, boolean][])('%j → %s', (value, expected) => {
    expect(reference.uuid(value)).toBe(expected);
    expect(isUuid(value)).toBe(expected);
  });

  it("inference's uuid hint accepts only what the format accepts", () => {
    fc.assert(
      fc.property(fc.oneof(uuidLike, fc.uuid().map(String)), (s) => !uuidHint(s) || isUuid(s)),
      { numRuns: 10_000, seed },
    );
  });
});

describe('the formats ajv and the generated package use', () => {
  it('are ajv-formats full formats with date-time and uuid replaced, uri as ajv-formats has it', () => {
    expect(Object.keys(formats).sort()).toEqual(Object.keys(full).sort());
    expect(isUri).toBe(full.uri);
    expect(formats.uri).toBe(full.uri);
    expect((formats['date-time'] as { validate: unknown }).validate).toBe(isDateTime);
    expect(formats.uuid).toBe(isUuid);
  });

  it("inference's uri hint accepts only what the format accepts", () => {
    for (const value of ['https://example.com/a b', 'https://example.com/ä', 'https://example.com/x', 'http://[::1]/'])
      expect(!uriHint(value) || isUri(value), value).toBe(true);
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (s) => !uriHint(s) || isUri(s)),
      { numRuns: 5_000, seed },
    );
  });
});
