// String formats, one implementation each, with exactly the verdicts of ajv-formats' "full" mode
// (test/formats.test.ts proves it on a property-based corpus and on edge cases). Used by inference
// (generator/infer/formats.ts), by every ajv eventgen runs (generator/ajv.ts), and shipped as
// `src/formats.js` of the generated package, which the compiled validators import.
// Plain JavaScript so that the same file runs in the generator and in the package; its types are
// in formats.d.mts.
import * as ajvFormatsModule from 'ajv-formats/dist/formats.js';

// Node gives a CommonJS module as the namespace's `default`; bundlers and vitest may unwrap it.
const ajvFormats =
  ajvFormatsModule.default !== null && typeof ajvFormatsModule.default === 'object' && ajvFormatsModule.default.__esModule
    ? ajvFormatsModule.default
    : ajvFormatsModule;
const full = ajvFormats.fullFormats;

/** Days in each month of a common year (index 1 is January). */
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The value of the two ASCII digits at `i` and `i + 1`, or -1. */
function twoDigits(s, i) {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Whether `c` (a UTF-16 code unit) is one of the characters of a regular expression's `\s`. */
function isSpace(c) {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * RFC 3339 `date-time` (https://www.rfc-editor.org/rfc/rfc3339#section-5.6), as ajv-formats' full mode
 * reads it: `YYYY-MM-DD`, then `T`, `t` or one white-space character, then `hh:mm:ss`, an optional
 * fraction of any length, and a required zone: `Z`, `z`, `±hh`, `±hhmm` or `±hh:mm` (hours ≤ 23,
 * minutes ≤ 59). The date must exist (February 29 in leap years only). A second of 60 is a leap
 * second, allowed only when the time is 23:59 in UTC once the offset is applied.
 * One pass over the characters; no regular expression, no allocation.
 * @param {string} s
 * @returns {boolean}
 */
export function isDateTime(s) {
  if (!isDate(s)) return false;
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 116 && !isSpace(t)) return false;
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (hour < 0 || minute < 0 || second < 0 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const fraction = s.charCodeAt(19) === 46;
  const zoneAt = fraction ? fractionEnd(s) : 19;
  if (zoneAt === 20) return false; // a point without digits
  const offset = zoneOffset(s, zoneAt);
  if (offset === NO_ZONE) return false;
  if (hour <= 23 && minute <= 59 && second <= 59) {
    // 59.999… may round up to 60 as a number, which ajv-formats then reads as a leap second.
    if (second < 59 || !fraction || Number(s.slice(17, zoneAt)) < 60) return true;
  }
  if (second > 60) return false;
  // A leap second, ajv-formats' rule: 23:59 in UTC, the seconds (with their fraction) below 61.
  const zoneMinutes = offset % 60;
  const utcMinute = minute - zoneMinutes;
  const utcHour = hour - (offset - zoneMinutes) / 60 - (utcMinute < 0 ? 1 : 0);
  if (!((utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1))) return false;
  return !fraction || Number(s.slice(17, zoneAt)) < 61;
}

/** `YYYY-MM-DD` at the start of `s` (at least 20 characters long: a date-time's shortest), a date that exists. */
function isDate(s) {
  if (s.length < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1) return false;
  if (day <= DAYS[month]) return true;
  const year = y1 * 100 + y2;
  return month === 2 && day === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Not a zone offset (offsets are within ±23:59). */
const NO_ZONE = 100000;

/**
 * The zone that starts at `i` and ends the string, as minutes east of UTC: `Z`, `z`, `±hh`, `±hhmm` or
 * `±hh:mm` (hours ≤ 23, minutes ≤ 59); else NO_ZONE.
 */
function zoneOffset(s, i) {
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) return i + 1 === s.length ? 0 : NO_ZONE;
  if (z !== 43 && z !== 45) return NO_ZONE;
  const zoneHour = twoDigits(s, i + 1);
  if (zoneHour < 0) return NO_ZONE;
  let at = i + 3;
  let zoneMinute = 0;
  if (at !== s.length) {
    if (s.charCodeAt(at) === 58) at++;
    zoneMinute = twoDigits(s, at);
    if (zoneMinute < 0 || at + 2 !== s.length) return NO_ZONE;
  }
  if (zoneHour > 23 || zoneMinute > 59) return NO_ZONE;
  return z === 45 ? -(zoneHour * 60 + zoneMinute) : zoneHour * 60 + zoneMinute;
}

/** Where the seconds' fraction that starts at index 19 ends. */
function fractionEnd(s) {
  let i = 20;
  for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i));
  return i;
}

/** Whether the code unit at `i` is a hexadecimal digit (either case). */
function hexAt(s, i) {
  const c = s.charCodeAt(i);
  if (c >= 48 && c <= 57) return true;
  const lower = c | 32;
  return lower >= 97 && lower <= 102;
}

const URN_UUID = 'urn:uuid:';

/**
 * `uuid` as ajv-formats' full mode reads it: 8-4-4-4-12 hexadecimal digits of either case, optionally
 * after `urn:uuid:` (which ajv-formats matches case-insensitively). Any version and variant.
 * @param {string} s
 * @returns {boolean}
 */
export function isUuid(s) {
  let at = 0;
  if (s.length === 45) {
    // ASCII case-insensitive, as the `i` flag of a regular expression without `u`.
    for (let i = 0; i < 9; i++) {
      const c = s.charCodeAt(i);
      if (c !== URN_UUID.charCodeAt(i) && (c < 65 || c > 90 || (c | 32) !== URN_UUID.charCodeAt(i))) return false;
    }
    at = 9;
  } else if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (s.charCodeAt(at + i) !== 45) return false;
    } else if (!hexAt(s, at + i)) return false;
  }
  return true;
}

/**
 * `uri` (an absolute URI, RFC 3986): ajv-formats' own check, used as it is. Only the CloudEvents
 * envelope's `dataschema` and curated schemas use it.
 * @type {(s: string) => boolean}
 */
export const isUri = full.uri;

/**
 * Every format of ajv-formats' full mode, with `date-time` and `uuid` checked by the functions above.
 * The compiled validators read their format checks from here (ajv's `code.formats`).
 */
export const formats = {
  ...full,
  'date-time': { validate: isDateTime, compare: full['date-time'].compare },
  uuid: isUuid,
};
