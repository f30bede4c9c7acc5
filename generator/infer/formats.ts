/**
 * String formats eventgen infers, with the same meaning as JSON Schema 2020-12
 * (https://json-schema.org/draft/2020-12/json-schema-validation#section-7.3) and
 * ajv-formats' "full" mode, so inferred formats never reject the samples they came from.
 */
import { isDateTime, isUri as isUriFormat, isUuid as isUuidFormat } from '../formats.mjs';

/**
 * Placeholders documentation writers leave in values: `{thread-id}`, `{rawId}`, `}{group-name}`,
 * `<subscription ID>`, `<YOUR SERVICE BUS NAMESPACE WILL SHOW HERE>`, masked GUIDs
 * (`xxxxxxxx-xxxx-…`). Linear for any input.
 */
export function isPlaceholder(value: string): boolean {
  return /\{[^{}\s]{0,100}\}|\}\{|<[^<>"\n]{1,100}>|\b[xX]{4,}\b/.test(value);
}

/** RFC 3339 `date-time`: the validators' own check (generator/formats.mjs), so an inferred format never rejects its samples. */
export { isDateTime };

/**
 * The `uuid` hint: a GUID as Azure writes it (8-4-4-4-12 hexadecimal digits, no `urn:uuid:`), which
 * the `uuid` format of the validators accepts.
 */
export function isUuid(value: string): boolean {
  return value.length === 36 && isUuidFormat(value);
}

/**
 * The `uri` hint: an absolute URI with a scheme and an authority (`https://host/…`) that the `uri`
 * format of the validators accepts and WHATWG URL parses.
 */
export function isUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+[^\s]*$/i.test(value) && isUriFormat(value) && URL.canParse(value);
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
