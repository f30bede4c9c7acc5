/**
 * String formats eventgen infers, with the same meaning as JSON Schema 2020-12
 * (https://json-schema.org/draft/2020-12/json-schema-validation#section-7.3) and
 * ajv-formats' "full" mode, so inferred formats never reject the samples they came from.
 */

/**
 * Placeholders documentation writers leave in values: `{thread-id}`, `{rawId}`, `}{group-name}`,
 * `<subscription ID>`, `<YOUR SERVICE BUS NAMESPACE WILL SHOW HERE>`, masked GUIDs
 * (`xxxxxxxx-xxxx-…`). Linear for any input.
 */
export function isPlaceholder(value: string): boolean {
  return /\{[^{}\s]{0,100}\}|\}\{|<[^<>"\n]{1,100}>|\b[xX]{4,}\b/.test(value);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** RFC 3339 `date-time` (a time zone is required). */
export function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const zoneOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 60 && zoneOk;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** An absolute URI with a scheme and an authority (`https://host/…`), no whitespace. */
export function isUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+[^\s]*$/i.test(value) && URL.canParse(value);
}

export const FORMATS = [
  ['date-time', isDateTime],
  ['uuid', isUuid],
  ['uri', isUri],
] as const;

export type Format = (typeof FORMATS)[number][0];

/** The formats `value` satisfies. */
export function formatsOf(value: string): Format[] {
  return FORMATS.filter(([, test]) => test(value)).map(([name]) => name);
}
