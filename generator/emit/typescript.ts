/**
 * TypeScript declarations for event data, compiled from the schemas with
 * json-schema-to-typescript. Each shared definition and each event's data becomes
 * one exported interface; shared ones are referenced by name, never inlined.
 *
 * jstt is called without its own formatting (it would start prettier once per
 * schema); the whole file is formatted once by the caller.
 */
import { compile } from 'json-schema-to-typescript';
import { type JsonSchema, SHARED_DEFS_FILE } from '../ir.ts';

const JSTT_OPTIONS = {
  bannerComment: '',
  format: false,
  // Unknown properties are allowed by the schemas (producers add fields over time);
  // the interfaces list the documented ones only instead of an `[k: string]: unknown` signature.
  additionalProperties: false,
  declareExternallyReferenced: false,
  strictIndexSignatures: true,
  unknownAny: true,
} as const;

const FORMAT_NOTES: Record<string, string> = {
  'date-time': 'Format: date-time (RFC 3339), sent as a string.',
  uuid: 'Format: uuid.',
  uri: 'Format: uri.',
};

/** Keywords jstt would paste into code verbatim; a schema file must never inject code. */
const UNSAFE_JSTT_KEYWORDS = ['tsType', 'tsEnumNames', 'tsEnumName'];

export interface Declaration {
  readonly name: string;
  readonly schema: JsonSchema;
  /** JSDoc text for the interface itself. */
  readonly doc: string;
}

/**
 * Prepares a schema for jstt: `$ref`s into the shared definitions become the named
 * definition (title = TypeScript name), formats are noted in JSDoc, `x-` and unsafe
 * keywords are dropped.
 */
export function forJstt(schema: JsonSchema, shared: Readonly<Record<string, JsonSchema>>, sharedNames: ReadonlyMap<string, string>): JsonSchema {
  const ref = typeof schema.$ref === 'string' ? /^(.*)#\/\$defs\/(.+)$/.exec(schema.$ref) : null;
  if (ref && (ref[1] === SHARED_DEFS_FILE || ref[1] === '')) {
    const name = ref[2] as string;
    const def = shared[name];
    if (def) return { ...forJstt(def, shared, sharedNames), title: sharedNames.get(name) ?? name };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-') || key.startsWith('$') || key === 'examples' || UNSAFE_JSTT_KEYWORDS.includes(key)) continue;
    if (key === 'title') continue;
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (typeof schema.format === 'string' && FORMAT_NOTES[schema.format]) {
    out.description = [schema.description, FORMAT_NOTES[schema.format]].filter(Boolean).join('\n\n');
  }
  if (schema.properties) {
    const properties: Record<string, JsonSchema> = {};
    for (const [key, child] of Object.entries(schema.properties)) {
      Object.defineProperty(properties, key, {
        value: forJstt(child, shared, sharedNames),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    out.properties = properties;
  }
  if (schema.items && typeof schema.items === 'object') out.items = forJstt(schema.items, shared, sharedNames);
  return out;
}

/** Compiles one declaration to an exported interface (or type alias, for non-object data). */
export async function declare(decl: Declaration): Promise<string> {
  const schema = { ...decl.schema, title: decl.name, description: decl.doc };
  return compile(structuredClone(schema) as never, decl.name, JSTT_OPTIONS);
}
