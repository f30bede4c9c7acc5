/**
 * Names: turning event types and property names into TypeScript identifiers.
 * An event the @azure/eventgrid SDK knows gets the SDK's data interface name, irregular ones
 * included (`Microsoft.Communication.AdvancedMessageReceived` → `AcsMessageReceivedEventData`),
 * from `sdk-names.json` (refreshed from the SDK by `npm run names:refresh`). Any other event is
 * named by rule `<prefix><EventName>EventData`, with acronyms in Pascal case (SMS → Sms).
 */
import { readFileSync } from 'node:fs';
import { sha256 } from './hash.ts';

/** Event type → the SDK's data interface name (`SystemEventNameToEventData` of @azure/eventgrid). */
export const SDK_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(
    (JSON.parse(readFileSync(new URL('./sdk-names.json', import.meta.url), 'utf8')) as { names: Record<string, string> }).names,
  ),
);

/** Provider namespaces whose SDK prefix is not their last segment. */
export const PROVIDER_PREFIXES: Readonly<Record<string, string>> = {
  'Microsoft.Communication': 'Acs',
};

const upper = (c: string) => c >= 'A' && c <= 'Z';
const lower = (c: string) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

/** Splits `SMSDeliveryReportReceived`, `memberAdded`, `thread-id` into words, in one pass (linear for any input). */
export function words(name: string): string[] {
  const out: string[] = [];
  let word = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i] as string;
    if (!upper(c) && !lower(c)) {
      if (word !== '') out.push(word);
      word = '';
      continue;
    }
    const prev = name[i - 1] ?? '';
    const next = name[i + 1] ?? '';
    // A new word starts at an upper-case letter after a lower-case one, or before a lower-case one in a run of capitals.
    if (word !== '' && upper(c) && (lower(prev) || (upper(prev) && next >= 'a' && next <= 'z'))) {
      out.push(word);
      word = '';
    }
    word += c;
  }
  if (word !== '') out.push(word);
  return out;
}

export function pascal(name: string): string {
  return words(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

/** `Microsoft.Communication.SMSReceived` → { provider: 'Microsoft.Communication', event: 'SMSReceived' } */
export function splitEventType(eventType: string): { provider: string; event: string } {
  const at = eventType.lastIndexOf('.');
  return at < 0 ? { provider: '', event: eventType } : { provider: eventType.slice(0, at), event: eventType.slice(at + 1) };
}

/** `Microsoft.Communication` → `Acs`; `Microsoft.Storage` → `Storage`; `Contoso.Orders` → `ContosoOrders`. */
export function providerPrefix(provider: string): string {
  const known = PROVIDER_PREFIXES[provider];
  if (known !== undefined) return known;
  return pascal(provider.replace(/^Microsoft\./, ''));
}

/** The TypeScript name of an event type's data interface. */
export function eventDataTypeName(eventType: string): string {
  const known = SDK_NAMES.get(eventType);
  if (known !== undefined) return typeName(known);
  const { provider, event } = splitEventType(eventType);
  return typeName(`${providerPrefix(provider)}${pascal(event)}EventData`);
}

/**
 * The one way a name becomes the name of a type the package declares (event data, shared
 * definitions): a valid identifier that json-schema-to-typescript declares unchanged. jstt
 * declares a schema titled `Sha256sum` as `Sha256Sum` (it upper-cases a letter after digits),
 * so every file that names the type must use the name this returns, not the one it was given.
 */
export function typeName(candidate: string): string {
  // A leading digit is kept behind a `_` (jstt would drop it); the rest as jstt spells it.
  let name = candidate.replace(/[^\w$]/g, '').replace(/^(?=\d)/, '_');
  // jstt's rewriting settles after one or two passes (a letter it upper-cases can expose another rule).
  for (let i = 0; i < 4 && jsttName(name) !== name; i++) name = jsttName(name);
  return isStableTypeName(name) ? name : safeIdentifier(name);
}

/** Whether json-schema-to-typescript declares a type titled `name` under that very name. */
export function isStableTypeName(name: string): boolean {
  return isValidIdentifier(name) && jsttName(name) === name;
}

/**
 * json-schema-to-typescript's `toSafeString` (utils.ts), the name it declares for a schema's title,
 * for ASCII names (its lodash `deburr` changes only letters outside ASCII). Tested against jstt's own.
 */
export function jsttName(name: string): string {
  const safe = name
    .replace(/(^\s*[^a-zA-Z_$])|([^a-zA-Z_$\d])/g, ' ')
    .replace(/^_[a-z]/g, (m) => m.toUpperCase())
    .replace(/_[a-z]/g, (m) => m.substring(1, m.length).toUpperCase())
    .replace(/([\d$]+[a-zA-Z])/g, (m) => m.toUpperCase())
    .replace(/\s+([a-zA-Z])/g, (m) => m.toUpperCase().trim())
    .replace(/\s/g, '')
    .replace(/^\d+/, '');
  return safe.charAt(0).toUpperCase() + safe.slice(1);
}

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield any boolean number string symbol ' +
    'unknown never object undefined bigint'
  ).split(' '),
);

export function isValidIdentifier(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name);
}

/** Makes an identifier out of generated words: a leading digit or a reserved word gets a `_` prefix. */
export function safeIdentifier(name: string): string {
  const cleaned = name.replace(/[^\w$]/g, '');
  return isValidIdentifier(cleaned) ? cleaned : `_${cleaned}`;
}

/** `members` → `member`, `entries` → `entry`; good enough for naming shared shapes. */
export function singular(word: string): string {
  if (/ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/(s|x|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * The longest file name eventgen gives a file named after an event type, in bytes. File systems allow
 * 255 (ext4, APFS, NTFS); a file is first written beside its place under a longer temporary name
 * (`.<name>.<pid>.eventgen-tmp`, up to 25 bytes more), which must fit too.
 */
export const MAX_FILE_NAME = 230;

/**
 * The file name `stem` + `suffix` (`Contoso.Orders.Placed` + `.schema.json`): as it is when it fits in
 * {@link MAX_FILE_NAME}, else the stem cut short and ended with `-` and 12 hex digits of its SHA-256,
 * so the name is stable from run to run and two long stems sharing a beginning get two names. Every
 * file named after an event type goes through here: schemas/, the handlers folder.
 */
export function fileName(stem: string, suffix: string): string {
  if (Buffer.byteLength(stem + suffix) <= MAX_FILE_NAME) return stem + suffix;
  const hash = sha256(stem).slice(0, 12);
  let kept = stem.slice(0, MAX_FILE_NAME - suffix.length - hash.length - 1);
  while (Buffer.byteLength(kept) > MAX_FILE_NAME - Buffer.byteLength(suffix) - hash.length - 1) kept = kept.slice(0, -1);
  return `${kept}-${hash}${suffix}`;
}
