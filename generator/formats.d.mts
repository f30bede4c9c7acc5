// Types of formats.mjs (plain JavaScript, so that the generated package can ship the same file).
import type { Format } from 'ajv';

/** RFC 3339 `date-time`, with exactly the verdicts of ajv-formats' full mode. */
export declare function isDateTime(value: string): boolean;
/** `uuid`, with exactly the verdicts of ajv-formats' full mode (`urn:uuid:` prefix allowed). */
export declare function isUuid(value: string): boolean;
/** `uri` (absolute URI), ajv-formats' full-mode check. */
export declare const isUri: (value: string) => boolean;
/** Every format of ajv-formats' full mode, `date-time` and `uuid` checked by the functions above. */
export declare const formats: Readonly<Record<string, Format>>;
