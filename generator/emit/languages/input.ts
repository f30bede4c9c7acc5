/**
 * The schema files as quicktype should see them: parsed, named as the TypeScript package
 * names them (emit/view.ts: `eventDataTypeName`, `x-eventgen-typeName`, shared `$defs` by key),
 * with descriptions made safe for the comments of every language and eventgen's own keywords
 * (`x-eventgen*`, `examples`, `deprecated`) left out.
 */
import { type Diagnostic, diagnostic } from '../../diagnostics.ts';
import { type EventSchema, type JsonSchema, SHARED_DEFS_FILE } from '../../ir.ts';
import { setOwn } from '../../own.ts';
import { SUBSCHEMA_KEYWORDS } from '../../schema-walk.ts';
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
  /**
   * A last line for the description of every property whose schema allows null (see `allowsNull`),
   * by whether the property is required: quicktype prints it in the field's doc comment, where the
   * language's lossless pass reads it and takes it out. Rust needs it: quicktype types an optional
   * property, a nullable one and one both alike (`Option<T>`), and the three are written back apart.
   */
  readonly nullMark?: (required: boolean) => string;
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
  const files = new Map<string, JsonSchema>();
  const topLevels = new Map<string, string>();
  const unnamed: { file: string; key: string }[] = [];
  const byFile = new Map(input.events.map((e) => [e.schemaFile, e]));
  let aliases = 0;
  for (const [name, schema] of input.files) {
    const copying: Copying = {
      comment: options.comment,
      unnamable: options.unnamable ?? (() => false),
      ...(options.nullMark ? { nullMark: options.nullMark } : {}),
      dropped: new Set<string>(),
    };
    const copy = forQuicktype(schema, copying) as JsonSchema;
    for (const key of [...copying.dropped].sort()) unnamed.push({ file: name, key });
    const event = byFile.get(name);
    if (event !== undefined) {
      const address = /^[A-Za-z0-9._-]+$/.test(name) ? name : `schema-${++aliases}.json`;
      files.set(address, eventSchema(copy, event, address, options.comment));
      topLevels.set(event.typeName, address);
    } else if (name === SHARED_DEFS_FILE) titleSharedDefinitions(copy, input.sharedNames);
    if (!files.has(name)) files.set(name, copy);
  }
  return { files, topLevels, unnamed };
}

/** An event's schema, titled with its type name, its description saying which event's data it is, stored at `address`. */
function eventSchema(copy: JsonSchema, event: LanguageEvent, address: string, comment: (text: string) => string): JsonSchema {
  copy.title = event.typeName;
  const about = comment(`Data of ${event.eventType} events.`);
  copy.description = typeof copy.description === 'string' ? `${copy.description}\n\n${about}` : about;
  if (address !== event.schemaFile) copy.$id = address;
  return copy;
}

/** shared.defs.json without a title of its own (it is no type), each definition titled with its type name. */
function titleSharedDefinitions(copy: JsonSchema, sharedNames: ReadonlyMap<string, string>): void {
  delete copy.title;
  for (const [key, def] of Object.entries(copy.$defs ?? {})) {
    const typeName = sharedNames.get(key);
    if (typeName !== undefined && isObject(def)) def.title = typeName;
  }
}

/** Annotations quicktype has no use for. */
const DROPPED = new Set(['examples', 'deprecated', '$comment']);

/** What copying one schema file for quicktype needs, and what it found. */
interface Copying {
  readonly comment: (text: string) => string;
  readonly unnamable: (key: string) => boolean;
  readonly nullMark?: (required: boolean) => string;
  /** The property names `unnamable` took out. */
  readonly dropped: Set<string>;
}

/**
 * A copy of a schema for quicktype, without eventgen's keywords and with safe descriptions.
 * (quicktype makes a class of its own for every object of a schema, so nested objects of one
 * shape under two names stay two classes; test/languages.test.ts checks it.)
 */
function forQuicktype(node: unknown, copying: Copying): unknown {
  if (Array.isArray(node)) return node.map((n) => forQuicktype(n, copying));
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-') || DROPPED.has(key)) continue;
    setOwn(out, key, copyKeyword(node, key, value, copying));
  }
  return out;
}

/** The value of `key` of the schema `node`, copied for quicktype. */
function copyKeyword(node: Record<string, unknown>, key: string, value: unknown, copying: Copying): unknown {
  if (key === 'properties' && isObject(value)) return copyProperties(node, value, copying);
  const kind = SUBSCHEMA_KEYWORDS.get(key);
  if (kind === 'map' && isObject(value)) {
    const map: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(value)) setOwn(map, name, forQuicktype(schema, copying));
    return map;
  }
  if (kind !== undefined) return forQuicktype(value, copying);
  if (key === 'description' && typeof value === 'string') return copying.comment(value);
  if (key === 'required' && Array.isArray(value)) return value.filter((k) => typeof k !== 'string' || !copying.unnamable(k));
  return value;
}

/** The `properties` of the schema `node` without the unnamable ones, nullable ones marked when the language asks. */
function copyProperties(node: Record<string, unknown>, properties: Record<string, unknown>, copying: Copying) {
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  const map: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (copying.unnamable(name)) {
      copying.dropped.add(name);
      continue;
    }
    const copy = forQuicktype(schema, copying);
    if (copying.nullMark !== undefined && isObject(copy) && allowsNull(schema)) {
      const mark = copying.nullMark(required.has(name));
      copy.description = typeof copy.description === 'string' ? `${copy.description}\n${mark}` : mark;
    }
    setOwn(map, name, copy);
  }
  return map;
}

/**
 * Whether a schema allows null by saying so: `type` with `"null"`, `enum` or `const` with null, or
 * such a member of `anyOf`/`oneOf`. (A schema of any value allows null too; quicktype gives it the
 * language's JSON value type, which has a null of its own.)
 */
export function allowsNull(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  const { type } = schema;
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  if (schema.const === null || (Array.isArray(schema.enum) && schema.enum.includes(null))) return true;
  return ['anyOf', 'oneOf'].some((k) => {
    const members = schema[k];
    return Array.isArray(members) && members.some(allowsNull);
  });
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
