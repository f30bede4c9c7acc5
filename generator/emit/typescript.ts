/**
 * TypeScript declarations for event data (`src/data.ts`): each shared definition and each event's data
 * becomes one exported interface; shared ones are referenced by name, never inlined. Each is
 * json-schema-to-typescript's `compile()` of the schema forJstt() prepares, formatted by prettier with
 * the options jstt passes it. Both load only when a declaration is not in the cache: its text is kept under a
 * SHA-256 of the schema, the options and the two libraries' versions, so a run where one doc changed
 * compiles the declarations of that doc only.
 */
import { createRequire } from 'node:module';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { sha256 } from '../hash.ts';
import { type JsonSchema, type SchemaSet, SHARED_DEFS_FILE, type TextCache } from '../ir.ts';
import { setOwn } from '../own.ts';
import { typesOf } from '../schema-walk.ts';
import { TS_BANNER } from './banner.ts';
import { blockComment, stringLiteral } from './quote.ts';
import { render } from './render.ts';
import { eventDoc, type PackageView } from './view.ts';

/** Prettier's own defaults but for quotes and width. */
const STYLE = {
  bracketSpacing: true,
  printWidth: 110,
  semi: true,
  singleQuote: true,
  tabWidth: 2,
  trailingComma: 'all',
  useTabs: false,
} as const;

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

/** What the evidence says about a field, for its JSDoc (DESIGN.md: shown, not enforced). */
function evidenceNotes(schema: JsonSchema, required: boolean): string[] {
  const e = schema['x-eventgen'] ?? {};
  const notes: string[] = [];
  if (typeof schema.format === 'string' && FORMAT_NOTES[schema.format]) notes.push(FORMAT_NOTES[schema.format] as string);
  if (e.knownValues && e.knownValues.length > 0 && schema.enum === undefined) {
    notes.push(`Known values: ${e.knownValues.map((v) => `\`${v}\``).join(', ')} (documented; other values are accepted).`);
  }
  for (const hint of e.looksLike ?? []) notes.push(`Looks like a ${hint} in every sample (not enforced).`);
  if (e.map !== undefined) notes.push(`A map: ${e.map}.`);
  if (e.onlyNull) notes.push('Documented only as null: any value is accepted.');
  if (e.inEverySample && !required) notes.push('In every documented sample; optional because no doc states it is required.');
  if (e.documented) notes.push(`Documented at ${e.documented.file}:${e.documented.line}.`);
  if (e.observed?.undocumented) notes.push('Observed, undocumented: events the webhook recorded have it; no doc shows it.');
  if (e.observedTypes && e.observedTypes.length > 0)
    notes.push(`Observed as ${e.observedTypes.join(', ')} in events the webhook recorded; no doc shows that.`);
  if (typeof e.observedFormatBroken === 'string')
    notes.push(`Format ${e.observedFormatBroken} not enforced: values the webhook recorded break it.`);
  if (e.observedMissing && !required) notes.push('Optional: events the webhook recorded lack it.');
  return notes;
}

/** `'A' | 'B' | (string & {})`: documented values offered for completion, any string accepted. */
function openUnion(schema: JsonSchema): string | undefined {
  const values = schema['x-eventgen']?.knownValues;
  const types = typesOf(schema);
  if (!values || values.length === 0 || schema.enum !== undefined || !types.includes('string')) return undefined;
  if (types.some((t) => t !== 'string' && t !== 'null')) return undefined;
  return [...values.map(stringLiteral), '(string & {})', ...(types.includes('null') ? ['null'] : [])].join(' | ');
}

/** Keywords jstt would paste into code verbatim; a schema file must never inject code. */
const UNSAFE_JSTT_KEYWORDS = ['tsType', 'tsEnumNames', 'tsEnumName'];

export interface Declaration {
  readonly name: string;
  readonly schema: JsonSchema;
  /** JSDoc text for the interface itself. */
  readonly doc: string;
}

/**
 * Property names travel through jstt as opaque tokens and are put back, quoted by
 * us, in its output. jstt walks schemas with `obj.hasOwnProperty(…)` and plain
 * assignment, so a property named `hasOwnProperty` or `__proto__` would crash it or
 * vanish; and this way every key is quoted by one helper ({@link propertyKey}).
 */
export class KeyTokens {
  /** The property names, by token number. */
  readonly keys: string[] = [];
  token(key: string): string {
    this.keys.push(key);
    return `__eventgen_key_${this.keys.length - 1}__`;
  }
  /** The property name a token stands for. */
  original(token: string): string {
    const match = /^__eventgen_key_(\d+)__$/.exec(token);
    const key = match ? this.keys[Number(match[1])] : undefined;
    if (key === undefined) throw new Error(`not a key token: ${token}`);
    return key;
  }
  restore(code: string): string {
    return code.replace(/__eventgen_key_(\d+)__/g, (_, i: string) => propertyKey(this.keys[Number(i)] ?? ''));
  }
}

/** A property name as TypeScript source: bare when it is an identifier, else a string literal. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) && key !== '__proto__' ? key : JSON.stringify(key);
}

/**
 * Prepares a schema for jstt: `$ref`s into the shared definitions become the name of the
 * definition's declaration (jstt tells schemas apart by identity, so an inlined copy would
 * be declared again as `Name1`); documented values become an open union; the evidence and
 * formats are noted in JSDoc (quoted: jstt pastes descriptions as they are); `x-` and unsafe
 * keywords are dropped; property names become tokens.
 */
export function forJstt(
  schema: JsonSchema,
  shared: Readonly<Record<string, JsonSchema>>,
  sharedNames: ReadonlyMap<string, string>,
  tokens: KeyTokens,
  required = true,
): JsonSchema {
  const named = sharedName(schema, shared, sharedNames);
  if (named !== undefined) return { tsType: named };
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) if (reachesJstt(key)) setOwn(out, key, value);
  const description = [schema.description, ...evidenceNotes(schema, required)].filter(Boolean).join('\n\n');
  if (description !== '') out.description = blockComment(description);
  // No keyword that constrains the value (an event listed without a sample, a field seen only as null): any JSON value.
  const tsType = CONSTRAINING.some((k) => Object.hasOwn(schema, k)) ? openUnion(schema) : 'unknown';
  if (tsType !== undefined) out.tsType = tsType;
  const prepare = (s: JsonSchema, childRequired?: boolean) => forJstt(s, shared, sharedNames, tokens, childRequired);
  if (schema.properties) Object.assign(out, tokenized(schema.properties, schema.required, tokens, prepare));
  if (schema.items && typeof schema.items === 'object') {
    const items = prepare(schema.items);
    // jstt appends `[]` to a tsType as it is: a union's needs parentheses, or `[]` would bind to its last member.
    if (typeof items.tsType === 'string' && items.tsType.includes(' | ')) items.tsType = `(${items.tsType})`;
    out.items = items;
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    out.additionalProperties = prepare(schema.additionalProperties);
  }
  return out;
}

/** Keywords that constrain a value: a schema with none of them accepts any JSON value. */
const CONSTRAINING = ['type', 'properties', 'items', 'additionalProperties', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', '$ref'];

/** The name of the shared definition's declaration a `$ref` points at, if it is one. */
function sharedName(
  schema: JsonSchema,
  shared: Readonly<Record<string, JsonSchema>>,
  sharedNames: ReadonlyMap<string, string>,
): string | undefined {
  const ref = typeof schema.$ref === 'string' ? /^(.*)#\/\$defs\/(.+)$/.exec(schema.$ref) : null;
  if (!ref || (ref[1] !== SHARED_DEFS_FILE && ref[1] !== '')) return undefined;
  const key = ref[2] as string;
  return shared[key] ? sharedNames.get(key) : undefined;
}

/** Whether jstt gets the keyword as it is (not `x-`, `$`, `examples`, unsafe ones; title and description are ours). */
function reachesJstt(key: string): boolean {
  if (key.startsWith('x-') || key.startsWith('$') || key === 'examples' || UNSAFE_JSTT_KEYWORDS.includes(key)) return false;
  return key !== 'title' && key !== 'description';
}

/** `properties` and `required` with every property name a token, each property prepared. */
function tokenized(
  properties: Record<string, JsonSchema>,
  required: unknown,
  tokens: KeyTokens,
  prepare: (schema: JsonSchema, required: boolean) => JsonSchema,
): Pick<JsonSchema, 'properties' | 'required'> {
  const out: Record<string, JsonSchema> = {};
  const renamed = new Map<string, string>();
  const requiredKeys = new Set(Array.isArray(required) ? required : []);
  for (const [key, child] of Object.entries(properties)) {
    const token = tokens.token(key);
    renamed.set(key, token);
    out[token] = prepare(child, requiredKeys.has(key));
  }
  return Array.isArray(required)
    ? { properties: out, required: required.flatMap((k) => renamed.get(k) ?? []) }
    : { properties: out };
}

/** A declaration of data.ts: its schema as forJstt() prepared it, with the tokens of its property names. */
export interface DataDeclaration extends Declaration {
  /** The schema file messages name for it. */
  readonly file: string;
  readonly tokens: KeyTokens;
}

/** The declarations of data.ts: each shared definition, then each event's data. */
export function dataDeclarations(set: SchemaSet, view: PackageView): DataDeclaration[] {
  const declaration = (name: string, file: string, schema: JsonSchema, doc: string): DataDeclaration => {
    const tokens = new KeyTokens();
    return { name, file, doc, tokens, schema: forJstt(schema, set.shared, view.sharedNames, tokens) };
  };
  return [
    ...view.shared.map((s) =>
      declaration(
        s.typeName,
        `schemas/${SHARED_DEFS_FILE}`,
        s.schema,
        s.schema.description ?? `A shape shared by several event types (schemas/${SHARED_DEFS_FILE}#/$defs/${s.key}).`,
      ),
    ),
    ...view.events.map((e) => declaration(e.typeName, `schemas/${e.schemaFile}`, e.schema, eventDoc(e))),
  ];
}

/** `src/data.ts`: the banner, then the declarations (one that cannot be compiled is an E_EMIT_TYPES and left out). */
export async function dataModule(
  set: SchemaSet,
  view: PackageView,
  diagnostics: Diagnostic[],
  cache?: TextCache,
): Promise<string> {
  const texts = await printDeclarations(dataDeclarations(set, view), diagnostics, cache);
  return render('data.ts.hbs', { banner: TS_BANNER, declarations: texts.filter((t) => t !== undefined) });
}

/** The versions of json-schema-to-typescript and prettier: a new release of either prints anew. */
let versions: string | undefined;
function libraryVersions(): string {
  if (versions === undefined) {
    const require = createRequire(import.meta.url);
    const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
    versions = `json-schema-to-typescript@${version('json-schema-to-typescript')} prettier@${version('prettier')}`;
  }
  return versions;
}

/** What a declaration's text depends on: the libraries, their options, the schema with its name and JSDoc, the property names. */
function cacheKey(input: JsonSchema, tokens: KeyTokens): string {
  return sha256(JSON.stringify(['data.ts declaration', libraryVersions(), JSTT_OPTIONS, STYLE, input, tokens.keys]));
}

/** One declaration as {@link printDeclarations} prints it. */
export async function printDeclaration(
  declaration: DataDeclaration,
  diagnostics: Diagnostic[],
  cache?: TextCache,
): Promise<string | undefined> {
  return (await printDeclarations([declaration], diagnostics, cache))[0];
}

/** A declaration jstt compiled, waiting for prettier. */
interface Compiled {
  readonly index: number;
  readonly name: string;
  readonly code: string;
  readonly key: string | undefined;
}

/**
 * Declarations as jstt compiles them and prettier formats them, in their order (undefined for one jstt cannot
 * compile: an E_EMIT_TYPES). What the cache holds is taken from it; the rest is compiled one declaration at a time
 * and formatted by one call of prettier, then stored. jstt does not format: its text holds the property names'
 * tokens, which are put back first, so prettier lays out the names themselves.
 */
export async function printDeclarations(
  declarations: readonly DataDeclaration[],
  diagnostics: Diagnostic[],
  cache?: TextCache,
): Promise<(string | undefined)[]> {
  const texts: (string | undefined)[] = [];
  const compiled: Compiled[] = [];
  for (const [index, declaration] of declarations.entries()) {
    const { name, tokens } = declaration;
    const input = { ...declaration.schema, title: name, description: blockComment(declaration.doc) };
    const key = cache === undefined ? undefined : cacheKey(input, tokens);
    const cached = key === undefined ? undefined : cache?.get(key);
    texts.push(cached);
    if (cached !== undefined) continue;
    const { compile } = await import('json-schema-to-typescript');
    try {
      const code = tokens.restore(await compile(structuredClone(input) as never, name, JSTT_OPTIONS));
      compiled.push({ index, name, code, key });
    } catch (error) {
      diagnostics.push(
        diagnostic('E_EMIT_TYPES', `cannot compile ${name}: ${(error as Error).message}`, { file: declaration.file, line: 1 }),
      );
    }
  }
  const formatted = await formatAll(compiled, diagnostics);
  for (const [i, { index, key }] of compiled.entries()) {
    const { text, ok } = formatted[i] as Formatted;
    texts[index] = text;
    if (ok && key !== undefined) cache?.set(key, text);
  }
  return texts;
}

/** A declaration's text, and whether prettier formatted it (an unformatted one is not cached). */
interface Formatted {
  readonly text: string;
  readonly ok: boolean;
}

/**
 * The line between declarations in prettier's one call. No declaration holds it: jstt writes text from the
 * schemas only inside string literals and ` * ` lines of its comments.
 */
const BETWEEN = '\n// eventgen: next declaration\n';

/**
 * Prettier's text of each declaration. One call formats them all (a call costs a normalisation of its options, a
 * parser set up and a printer run, about as much as a small declaration's formatting): prettier lays out each
 * top-level statement on its own, so each comes out as it would alone, and the line comment between two of them
 * tells them apart. Where that call fails (a declaration nested too deeply for prettier), each is formatted alone.
 */
async function formatAll(compiled: readonly Compiled[], diagnostics: Diagnostic[]): Promise<Formatted[]> {
  if (compiled.length === 0) return [];
  const { format } = await import('prettier');
  if (compiled.length > 1) {
    try {
      const all = await format(compiled.map((c) => c.code).join(BETWEEN), { parser: 'typescript', ...STYLE });
      const parts = all.split(BETWEEN);
      if (parts.length === compiled.length) return parts.map((text) => ({ text: text.trim(), ok: true }));
    } catch {
      // formatted one at a time below, which names the declaration prettier cannot format
    }
  }
  const out: Formatted[] = [];
  for (const { name, code } of compiled) {
    try {
      out.push({ text: (await format(code, { parser: 'typescript', ...STYLE })).trim(), ok: true });
    } catch (error) {
      // Where prettier fails (a schema nested too deeply for it), the text unformatted, with a warning.
      const reason = error instanceof RangeError ? 'too deeply nested' : (error as Error).message.split('\n')[0];
      diagnostics.push(
        diagnostic('W_UNFORMATTED', `src/data.ts is written unformatted where it declares ${name}: ${reason}`, {
          file: 'generated/src/data.ts',
          line: 1,
        }),
      );
      out.push({ text: code.trim(), ok: false });
    }
  }
  return out;
}
