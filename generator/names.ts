/**
 * Names: turning event types and property names into TypeScript identifiers.
 * Event data types are named `<prefix><EventName>EventData`, with acronyms in
 * Pascal case (SMS → Sms), so they equal @azure/eventgrid's names where it has the
 * event (`Microsoft.Communication.SMSReceived` → `AcsSmsReceivedEventData`).
 */

/** Provider namespaces whose SDK prefix is not their last segment. */
export const PROVIDER_PREFIXES: Readonly<Record<string, string>> = {
  'Microsoft.Communication': 'Acs',
};

/** Splits `SMSDeliveryReportReceived`, `memberAdded`, `thread-id` into words. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z\d]+/)
    .filter((w) => w !== '');
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
  const { provider, event } = splitEventType(eventType);
  return safeIdentifier(`${providerPrefix(provider)}${pascal(event)}EventData`);
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
