/**
 * The schema files as quicktype should see them: parsed, named as the TypeScript package
 * names them (emit/view.ts: `eventDataTypeName`, `x-eventgen-typeName`, shared `$defs` by key),
 * with descriptions made safe for the comments of every language and eventgen's own keywords
 * (`x-eventgen*`, `examples`, `deprecated`) left out.
 */
import { type Diagnostic, diagnostic } from '../../diagnostics.ts';
import { type EventSchema, type JsonSchema, SHARED_DEFS_FILE } from '../../ir.ts';
import { setOwn } from '../../own.ts';
import { packageView } from '../view.ts';

export interface LanguageEvent {
  readonly eventType: string;
  /** The name of the TypeScript interface of its data, which every language uses too. */
  readonly typeName: string;
  readonly schemaFile: string;
  readonly examples: readonly unknown[];
}

export interface SchemaInput {
  /** Parsed schema files by file name, as read. */
  readonly files: ReadonlyMap<string, JsonSchema>;
  readonly events: readonly LanguageEvent[];
  /** Shared `$defs` key → type name. */
  readonly sharedNames: ReadonlyMap<string, string>;
  readonly diagnostics: Diagnostic[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads `<EventType>.schema.json` files and `shared.defs.json`; other files are not schemas and are ignored. */
export function readSchemas(schemaFiles: ReadonlyMap<string, string>): SchemaInput {
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, JsonSchema>();
  for (const name of [...schemaFiles.keys()].sort()) {
    if (!name.endsWith('.schema.json') && name !== SHARED_DEFS_FILE) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(schemaFiles.get(name) ?? '');
    } catch (error) {
      diagnostics.push(diagnostic('E_SCHEMA_READ', `${name}: ${(error as Error).message}`, { file: `schemas/${name}`, line: 1 }));
      continue;
    }
    if (!isObject(parsed)) {
      diagnostics.push(diagnostic('E_LANG_SCHEMA', `${name} is not a JSON Schema object`, { file: `schemas/${name}`, line: 1 }));
      continue;
    }
    files.set(name, parsed as JsonSchema);
  }
  const events: EventSchema[] = [];
  for (const [fileName, schema] of files) {
    if (fileName === SHARED_DEFS_FILE) continue;
    const meta = schema['x-eventgen'];
    const eventType = isObject(meta) && typeof meta.eventType === 'string' ? meta.eventType : schema.title;
    if (typeof eventType !== 'string' || eventType === '') {
      diagnostics.push(
        diagnostic('E_LANG_SCHEMA', `${fileName} names no event type (x-eventgen.eventType or title)`, {
          file: `schemas/${fileName}`,
          line: 1,
        }),
      );
      continue;
    }
    events.push({ eventType, fileName, schema });
  }
  const shared = files.get(SHARED_DEFS_FILE)?.$defs ?? {};
  const { view, diagnostics: naming } = packageView({ events, shared });
  diagnostics.push(...naming);
  return {
    files,
    events: view.events.map((e) => ({
      eventType: e.eventType,
      typeName: e.typeName,
      schemaFile: e.schemaFile,
      examples: Array.isArray(e.schema.examples) ? e.schema.examples : [],
    })),
    sharedNames: view.sharedNames,
    diagnostics,
  };
}

export interface QuicktypeInput {
  /** Schemas by the address quicktype fetches them by. */
  readonly files: Map<string, JsonSchema>;
  /** Type name of each event's data → address of its schema. */
  readonly topLevels: Map<string, string>;
  /** Property names `unnamable` took out of the classes, with the schema file that has them. */
  readonly unnamed: readonly { readonly file: string; readonly key: string }[];
}

/** The transformations of the schemas for one language. */
export interface SchemaOptions {
  /** Makes a description safe for the language's comments. */
  readonly comment: (text: string) => string;
  /**
   * Property names the language's JSON library cannot bind to a field (Jackson reads
   * `@JsonProperty("")` as "the field's own name"; Go's encoding/json ignores a tag name with a
   * quote, backslash or backtick). They are left out of the classes: the member is kept, read and
   * written back, in the class's map of additional properties.
   */
  readonly unnamable?: (key: string) => boolean;
}

/**
 * What quicktype reads: each event schema titled with its type name (quicktype names a type by
 * its `title` before the name it is given), each shared definition titled likewise, and every
 * description passed through `comment`, the target language's comment sanitiser.
 *
 * quicktype resolves addresses as URIs, so a file whose name is not URI-safe (a hand-made
 * schema of an event type with spaces or quotes) is also stored under `schema-<n>.json`, with
 * that `$id`; relative references such as `shared.defs.json#/$defs/X` resolve the same.
 */
export function quicktypeSchemas(input: SchemaInput, options: SchemaOptions): QuicktypeInput {
  const { comment } = options;
  const files = new Map<string, JsonSchema>();
  const topLevels = new Map<string, string>();
  const unnamed: { file: string; key: string }[] = [];
  const byFile = new Map(input.events.map((e) => [e.schemaFile, e]));
  let aliases = 0;
  for (const [name, schema] of input.files) {
    const dropped = new Set<string>();
    const copy = forQuicktype(schema, comment, options.unnamable ?? (() => false), dropped) as JsonSchema;
    for (const key of [...dropped].sort()) unnamed.push({ file: name, key });
    const event = byFile.get(name);
    if (event !== undefined) {
      copy.title = event.typeName;
      const about = `Data of ${event.eventType} events.`;
      copy.description = typeof copy.description === 'string' ? `${copy.description}\n\n${comment(about)}` : comment(about);
      const address = /^[A-Za-z0-9._-]+$/.test(name) ? name : `schema-${++aliases}.json`;
      if (address !== name) copy.$id = address;
      files.set(address, copy);
      topLevels.set(event.typeName, address);
    } else if (name === SHARED_DEFS_FILE) {
      delete copy.title;
      for (const [key, def] of Object.entries(copy.$defs ?? {})) {
        const typeName = input.sharedNames.get(key);
        if (typeName !== undefined && isObject(def)) def.title = typeName;
      }
    }
    if (!files.has(name)) files.set(name, copy);
  }
  return { files, topLevels, unnamed };
}

/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set(['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas']);
/** Keywords whose value is a schema or a list of schemas. */
const SCHEMA_VALUES = new Set([
  'items',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'allOf',
  'anyOf',
  'oneOf',
  'prefixItems',
]);
/** Annotations quicktype has no use for. */
const DROPPED = new Set(['examples', 'deprecated', '$comment']);

/**
 * A copy of a schema for quicktype, without eventgen's keywords and with safe descriptions.
 * (quicktype makes a class of its own for every object of a schema, so nested objects of one
 * shape under two names stay two classes; test/languages.test.ts checks it.)
 */
function forQuicktype(
  node: unknown,
  comment: (text: string) => string,
  unnamable: (key: string) => boolean,
  dropped: Set<string>,
): unknown {
  const recurse = (n: unknown) => forQuicktype(n, comment, unnamable, dropped);
  if (Array.isArray(node)) return node.map(recurse);
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-') || DROPPED.has(key)) continue;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, schema] of Object.entries(value)) {
        if (key === 'properties' && unnamable(name)) dropped.add(name);
        else setOwn(map, name, recurse(schema));
      }
      out[key] = map;
    } else if (SCHEMA_VALUES.has(key)) out[key] = recurse(value);
    else if (key === 'description' && typeof value === 'string') out[key] = comment(value);
    else if (key === 'required' && Array.isArray(value)) out[key] = value.filter((k) => typeof k !== 'string' || !unnamable(k));
    else setOwn(out, key, value);
  }
  return out;
}

/**
 * Comment text any language can hold: one kind of line break, no other control characters.
 * quicktype escapes what closes its comments (`*\/`, `"""`) but splits lines on `\n` only, and
 * C#, Java and Swift also end a line comment at `\r`, U+0085, U+2028 or U+2029.
 */
export function plainComment(text: string): string {
  let out = '';
  for (const char of text.replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n')) {
    const code = char.codePointAt(0) ?? 0;
    out += char !== '\n' && char !== '\t' && (code < 0x20 || (code >= 0x7f && code < 0xa0) || BIDI.has(code)) ? ' ' : char;
  }
  return out;
}

/** Bidirectional controls, which can make a comment display as code (CVE-2021-42574). */
const BIDI = new Set([0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

/**
 * Java reads `\uXXXX` as its character before it
 * lexes, even inside comments (JLS 3.3): `\u002a/` would close a doc comment. A backslash run
 * before `u` is made even, which makes it no escape.
 */
export function javaComment(text: string): string {
  return plainComment(text).replace(/(\\+)u/g, (_, run: string) => `${run.length % 2 === 1 ? `${run}\\` : run}u`);
}
