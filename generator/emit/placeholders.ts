/**
 * Realistic stand-ins for the placeholders documentation leaves in values
 * (`{subscription-id}`, `{thread-id}`, `{rawId}`, `}{group-name}`), so fixtures built
 * from doc samples are valid events: the same placeholder always gets the same value,
 * shaped like what the service really sends.
 */
import { isPlaceholder } from '../infer/formats.ts';

/** FNV-1a, to derive stable hex digits from a placeholder's name. */
function hash(text: string, salt: number): number {
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function hex(name: string, length: number): string {
  let out = '';
  for (let salt = 0; out.length < length; salt++) out += hash(name, salt).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/** A version-4 shaped UUID derived from `name`. */
function uuid(name: string): string {
  const h = hex(name, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const RULES: readonly [RegExp, (name: string) => string][] = [
  [/subscription/i, uuid],
  [/thread/i, (n) => `19:${hex(n, 32)}@thread.v2`],
  [/raw-?id|sender|recipient|user|member|participant/i, (n) => `8:acs:${uuid(n)}_${hex(`${n}/2`, 16)}`],
  [/group/i, () => 'contoso-resource-group'],
  [/resource-name|communication-services/i, () => 'contoso-communication'],
  [/phone|number/i, () => '15555550100'],
  [/(^|-)id$|-id-|guid|uuid/i, uuid],
];

function stand_in(name: string): string {
  const rule = RULES.find(([pattern]) => pattern.test(name));
  return rule ? rule[1](name) : name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Replaces every `{placeholder}`, `<placeholder>` and masked GUID in `value`, then drops stray braces left around them. */
export function realize(value: string): string {
  if (!isPlaceholder(value)) return value;
  return value
    .replace(/\b[xX]{8}-[xX]{4}-[xX]{4}-[xX]{4}-[xX]{12}\b/g, () => uuid(value))
    .replace(/\{([^{}\s]*)\}|<([^<>"\n]{1,100})>/g, (_, braced: string | undefined, angled: string | undefined) =>
      stand_in((braced ?? angled ?? '').trim().replace(/\s+/g, '-')),
    )
    .replace(/[{}]/g, '');
}
