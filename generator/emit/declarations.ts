/**
 * `src/data.ts` without json-schema-to-typescript and prettier, for the schemas eventgen writes: each
 * declaration is what json-schema-to-typescript 16 (with emit/typescript.ts's options) makes of the
 * schema forJstt() prepares, laid out as prettier 3 lays out that code (single quotes, width 110), so
 * the file is byte for byte what `format(render('data.ts.hbs', { declarations: jstt output }))` gives.
 * Loading and running the two took about a third of a first `generate` on docs/ (bench P1).
 *
 * It knows the keywords forJstt() leaves in the schemas eventgen infers, and what a person curating
 * schemas/ most often adds: `type` (one or a list), `properties`, `required`, `additionalProperties`,
 * `items`, `enum`, `format`, `deprecated`, `description` and the `tsType` forJstt() sets (a shared
 * definition's name, `unknown`, or documented values as an open union). Anything else (another
 * keyword, an `enum` of other values, a name or string that is not ASCII where prettier measures it,
 * nesting deeper than {@link MAX_DEPTH}) makes {@link printDeclarations} return undefined, and the
 * caller runs the two libraries as before. test/emit/declarations.test.ts holds it to their output on
 * the corpus and on generated schemas.
 */

import { jsttName } from '../names.ts';
import {
  align,
  type Doc,
  group,
  hardline,
  ifBreak,
  indent,
  indentIfBreak,
  join,
  line,
  printDoc,
  rootLiteralline,
  softline,
} from './doc.ts';
import { blockComment } from './quote.ts';
import type { KeyTokens } from './typescript.ts';

/** Past this depth of nested schemas the libraries run instead (prettier overflows the stack far deeper). */
export const MAX_DEPTH = 40;
const PRINT_WIDTH = 110;

export interface DeclarationInput {
  readonly name: string;
  /** The schema as forJstt() prepared it. */
  readonly schema: Record<string, unknown>;
  /** JSDoc text of the declaration. */
  readonly doc: string;
}

class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported();
};

/**
 * The declarations of `data.ts`, each as prettier prints it, in order; undefined when a schema uses
 * anything this printer does not know (the caller then runs json-schema-to-typescript and prettier).
 */
export function printDeclarations(declarations: readonly DeclarationInput[], tokens: KeyTokens): string[] | undefined {
  try {
    return declarations.map((d) => printDeclaration(d, tokens));
  } catch (error) {
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
}

// ── json-schema-to-typescript's model ───────────────────────────────────────────────────────────

/** A type as json-schema-to-typescript's parser and optimizer leave it (the kinds this printer knows). */
type Ast =
  | { readonly k: 'keyword'; readonly name: string; readonly comment?: string; readonly deprecated?: boolean }
  | { readonly k: 'literal'; readonly value: string | number | boolean | null }
  | { readonly k: 'custom'; readonly text: string; readonly comment?: string; readonly deprecated?: boolean }
  | { readonly k: 'array'; readonly items: Ast; readonly comment?: string; readonly deprecated?: boolean }
  | { readonly k: 'union'; readonly members: Ast[]; readonly comment?: string; readonly deprecated?: boolean }
  | {
      readonly k: 'interface';
      readonly params: Param[];
      readonly comment?: string;
      readonly deprecated?: boolean;
    };

interface Param {
  /** The key as given (a KeyTokens token), or undefined for the index signature. */
  readonly key?: string;
  readonly required: boolean;
  readonly ast: Ast;
  /** The index signature's type as json-schema-to-typescript writes it (with `| undefined`). */
  readonly indexType?: Ast;
}

const ALLOWED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'format',
  'deprecated',
  'description',
  'tsType',
]);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
const ENUM_TYPES = new Set(['string', 'number', 'integer', 'boolean']);

type Schema = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** `type` as a list of names (a list of one is its name), or undefined. */
function typesOf(schema: Schema): string[] | undefined {
  const type = schema.type;
  if (type === undefined) return undefined;
  const list = Array.isArray(type) ? type : [type];
  if (list.length === 0 || list.some((t) => typeof t !== 'string' || !TYPES.has(t))) unsupported();
  if (new Set(list).size !== list.length) unsupported();
  return list as string[];
}

function annotations(schema: Schema): { comment?: string; deprecated?: boolean } {
  const out: { comment?: string; deprecated?: boolean } = {};
  if (schema.description !== undefined) {
    if (typeof schema.description !== 'string') unsupported();
    out.comment = schema.description as string;
  }
  if (schema.deprecated !== undefined) {
    if (typeof schema.deprecated !== 'boolean') unsupported();
    out.deprecated = schema.deprecated as boolean;
  }
  return out;
}

/** What json-schema-to-typescript's parser (after its normalizer) makes of `schema`. */
function parse(schema: unknown, depth: number): Ast {
  if (depth > MAX_DEPTH || !isPlainObject(schema)) return unsupported();
  for (const key of Object.keys(schema)) if (!ALLOWED.has(key)) unsupported();
  const notes = annotations(schema);
  if (schema.tsType !== undefined) {
    // forJstt() sets tsType beside type and format only; tsType wins over them.
    if (typeof schema.tsType !== 'string') unsupported();
    for (const key of ['properties', 'required', 'additionalProperties', 'items', 'enum']) if (key in schema) unsupported();
    typesOf(schema);
    customMembers(schema.tsType as string);
    return { k: 'custom', text: schema.tsType as string, ...notes };
  }
  const types = typesOf(schema);
  if (schema.enum !== undefined) {
    const values = schema.enum;
    if (!Array.isArray(values) || values.length === 0) return unsupported();
    if (types !== undefined && (types.length !== 1 || !ENUM_TYPES.has(types[0] as string))) unsupported();
    for (const key of ['properties', 'required', 'additionalProperties', 'items']) if (key in schema) unsupported();
    for (const v of values) {
      const ok =
        v === null ||
        typeof v === 'boolean' ||
        (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) ||
        (typeof v === 'string' && isAscii(v) && !v.includes(TOKEN_PREFIX));
      if (!ok) unsupported();
    }
    return union(
      values.map((value) => ({ k: 'literal', value }) as Ast),
      notes,
    );
  }
  const objectLike = types === undefined || types.includes('object');
  if (!objectLike && ('properties' in schema || 'required' in schema || 'additionalProperties' in schema)) unsupported();
  if ('items' in schema && !types?.includes('array')) unsupported();
  if (types === undefined) {
    if (!('properties' in schema)) unsupported();
    return objectType(schema, notes, depth);
  }
  if (types.length === 1) return single(schema, types[0] as string, notes, depth);
  // A list of types: one member per type, each with the other keywords (json-schema-to-typescript's UNION).
  return union(
    types.map((t) => single(schema, t, {}, depth)),
    notes,
  );
}

function single(schema: Schema, type: string, notes: { comment?: string; deprecated?: boolean }, depth: number): Ast {
  switch (type) {
    case 'string':
    case 'boolean':
    case 'null':
      return { k: 'keyword', name: type, ...notes };
    case 'number':
    case 'integer':
      return { k: 'keyword', name: 'number', ...notes };
    case 'object':
      return objectType(schema, notes, depth);
    default: {
      const items = schema.items;
      if (items === undefined) return { k: 'array', items: { k: 'keyword', name: 'unknown' }, ...notes };
      return { k: 'array', items: parse(items, depth + 1), ...notes };
    }
  }
}

function objectType(schema: Schema, notes: { comment?: string; deprecated?: boolean }, depth: number): Ast {
  const properties = schema.properties ?? {};
  if (!isPlainObject(properties)) return unsupported();
  const required = schema.required ?? [];
  if (!Array.isArray(required) || required.some((r) => typeof r !== 'string')) unsupported();
  const params: Param[] = Object.entries(properties).map(([key, child]) => ({
    key,
    required: (required as string[]).includes(key),
    ast: parse(child, depth + 1),
  }));
  const additional = schema.additionalProperties;
  if (additional === true) {
    const unknown: Ast = { k: 'keyword', name: 'unknown' };
    params.push({
      required: true,
      ast: unknown,
      indexType: { k: 'union', members: [unknown, { k: 'keyword', name: 'undefined' }] },
    });
  } else if (isPlainObject(additional)) {
    // With named properties beside it, the index signature's type would be widened to theirs.
    if (params.length > 0) unsupported();
    const ast = parse(additional, depth + 1);
    params.push({ required: true, ast, indexType: indexSignatureType(ast) });
  } else if (additional !== undefined && additional !== false) {
    unsupported();
  }
  return { k: 'interface', params, ...notes };
}

/** json-schema-to-typescript's generateIndexSignatureType with no named property beside it, strict. */
function indexSignatureType(ast: Ast): Ast {
  const undefinedType: Ast = { k: 'keyword', name: 'undefined' };
  if (isUnknown(ast)) return { k: 'union', members: [{ k: 'keyword', name: 'unknown' }, undefinedType] };
  const members: Ast[] = [];
  const add = (a: Ast) => {
    if (a.k === 'union') for (const m of a.members) add(m);
    else if (a.k === 'custom' && a.text.includes('|')) unsupported();
    else members.push(a);
  };
  add(ast);
  if (members.some(isUnknown)) return { k: 'union', members: [{ k: 'keyword', name: 'unknown' }, undefinedType] };
  const seen = new Set<string>();
  const out: Ast[] = [];
  for (const m of members) {
    const text = jsttText(m);
    if (seen.has(text)) continue;
    seen.add(text);
    if (m.k === 'custom' && !/^[\w$.]+(\[\])*$/.test(text)) unsupported();
    out.push(m);
  }
  if (!seen.has('undefined')) out.push(undefinedType);
  return { k: 'union', members: out };
}

const TOKEN_PREFIX = '__eventgen_key_';

const isUnknown = (ast: Ast) => ast.k === 'custom' && ast.text.trim() === 'unknown';

/** A union as the optimizer leaves it: members with the same text once. */
function union(members: Ast[], notes: { comment?: string; deprecated?: boolean }): Ast {
  const seen = new Set<string>();
  const unique = members.filter((m) => {
    const text = jsttText(m);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
  if (unique.some(isUnknown)) unsupported(); // the optimizer would make the whole union `unknown`
  return { k: 'union', members: unique, ...notes };
}

let interfaceIds = 0;
const interfaceTexts = new WeakMap<Ast, string>();

/** The text json-schema-to-typescript's generateType gives (what its optimizer compares). */
function jsttText(ast: Ast): string {
  switch (ast.k) {
    case 'keyword':
      return ast.name;
    case 'literal':
      return JSON.stringify(ast.value);
    case 'custom':
      return ast.text;
    case 'array': {
      const items = jsttText(ast.items);
      return items.endsWith('"') ? `(${items})[]` : `${items}[]`;
    }
    case 'union': {
      const members = ast.members.map(jsttText);
      return members.length === 1 ? (members[0] as string) : `(${members.join(' | ')})`;
    }
    case 'interface': {
      // Two members of one union are never the same object type (one member per type name).
      let text = interfaceTexts.get(ast);
      if (text === undefined) {
        text = `{interface ${interfaceIds++}}`;
        interfaceTexts.set(ast, text);
      }
      return text;
    }
  }
}

// ── TypeScript as prettier's parser sees json-schema-to-typescript's text ───────────────────────

type Ts =
  | { readonly t: 'atom'; readonly text: string }
  | { readonly t: 'array'; readonly element: Ts }
  | { readonly t: 'union'; readonly members: Ts[]; readonly bare: boolean }
  | { readonly t: 'object'; readonly members: TsMember[] };

interface TsMember {
  /** The key as printed, or undefined for `[k: string]`. */
  readonly key?: string;
  readonly optional: boolean;
  readonly type: Ts;
  /** json-schema-to-typescript's JSDoc text, or undefined. */
  readonly comment?: string;
}

/** tsType texts forJstt() writes: names, `unknown`, `null`, single-quoted literals, `(string & {})`, joined by ` | `. */
function customMembers(text: string): Ts[] {
  if (text.includes(TOKEN_PREFIX)) unsupported();
  // An array's items union, parenthesized by forJstt(): one member, the union.
  if (text.startsWith('(') && text.endsWith(')') && !text.startsWith('(string & {})'))
    return [{ t: 'union', members: customMembers(text.slice(1, -1)), bare: false }];
  const members: Ts[] = [];
  let i = 0;
  for (;;) {
    const rest = text.slice(i);
    const literal = /^'(?:[^'\\\r\n\u2028\u2029]|\\.)*'/.exec(rest)?.[0];
    const open = rest.startsWith('(string & {})') ? '(string & {})' : undefined;
    const name = /^[A-Za-z_$][\w$]*/.exec(rest)?.[0];
    const token = literal ?? open ?? name;
    if (token === undefined) return unsupported();
    if (literal !== undefined && !isAscii(literal)) unsupported();
    members.push({ t: 'atom', text: literal === undefined ? token : printString(literal) });
    i += token.length;
    if (i === text.length) return members;
    if (text.slice(i, i + 3) !== ' | ') unsupported();
    i += 3;
  }
}

/** The TypeScript of json-schema-to-typescript's text for `ast`. */
function toTs(ast: Ast, tokens: KeyTokens): Ts {
  switch (ast.k) {
    case 'keyword':
      return { t: 'atom', text: ast.name };
    case 'literal':
      return { t: 'atom', text: typeof ast.value === 'string' ? printString(JSON.stringify(ast.value)) : String(ast.value) };
    case 'custom': {
      const members = customMembers(ast.text);
      return members.length === 1 ? (members[0] as Ts) : { t: 'union', members, bare: true };
    }
    case 'array':
      return arrayOf(toTs(ast.items, tokens));
    case 'union': {
      // One member is printed without parentheses (json-schema-to-typescript's generateSetOperation).
      if (ast.members.length === 1) return toTs(ast.members[0] as Ast, tokens);
      // A member that is a bare union (a tsType's text) is parsed into this parenthesized one.
      const members = ast.members.flatMap((m) => {
        const ts = toTs(m, tokens);
        return ts.t === 'union' && ts.bare ? ts.members : [ts];
      });
      return { t: 'union', members, bare: false };
    }
    case 'interface':
      return { t: 'object', members: ast.params.map((p) => member(p, tokens)) };
  }
}

/** `T[]` after json-schema-to-typescript's text: on a bare tsType union, `[]` binds to its last member. */
function arrayOf(element: Ts): Ts {
  if (element.t === 'union' && element.bare) {
    const last = element.members[element.members.length - 1] as Ts;
    return { t: 'union', members: [...element.members.slice(0, -1), arrayOf(last)], bare: true };
  }
  return { t: 'array', element };
}

function member(param: Param, tokens: KeyTokens): TsMember {
  const comment = paramComment(param.ast);
  if (param.key === undefined) {
    return { optional: false, type: toTs(param.indexType as Ast, tokens), ...(comment === undefined ? {} : { comment }) };
  }
  return {
    key: printKey(tokens.original(param.key)),
    optional: !param.required,
    type: toTs(param.ast, tokens),
    ...(comment === undefined ? {} : { comment }),
  };
}

/** The JSDoc json-schema-to-typescript writes above a property: its description, an array's items' description, @deprecated. */
function paramComment(ast: Ast): string | undefined {
  const comment = withItemsComment(ast);
  const deprecated = 'deprecated' in ast && ast.deprecated === true;
  if ((comment === undefined || comment === '') && !deprecated) return undefined;
  return generateComment(comment, deprecated);
}

function withItemsComment(ast: Ast): string | undefined {
  const comment = 'comment' in ast ? ast.comment : undefined;
  if (ast.k !== 'array') return comment;
  const items = ast.items;
  const itemsComment = items.k === 'array' || items.k === 'literal' ? undefined : items.comment;
  if (!itemsComment || /(^|\s)@\w/.test(itemsComment)) return comment;
  return comment ? `${comment}\n\nItems: ${itemsComment}` : `Items: ${itemsComment}`;
}

function generateComment(comment: string | undefined, deprecated: boolean): string {
  const lines = ['/**'];
  if (deprecated) lines.push(' * @deprecated');
  if (comment !== undefined) lines.push(...comment.split('\n').map((l) => ` * ${l}`));
  lines.push(' */');
  return lines.join('\n');
}

// ── The declaration ─────────────────────────────────────────────────────────────────────────────

function printDeclaration(input: DeclarationInput, tokens: KeyTokens): string {
  if (toSafeString(input.name) !== input.name) unsupported();
  // json-schema-to-typescript is given the schema with the name as its title and the doc as its description.
  const ast = parse({ ...input.schema, description: blockComment(input.doc) }, 0);
  const doc: Doc[] = [];
  if (ast.k === 'interface') {
    // An object type is an interface; its comment has its @deprecated.
    const deprecated = ast.deprecated === true;
    if ((ast.comment !== undefined && ast.comment !== '') || deprecated) {
      doc.push(commentDoc(generateComment(ast.comment, deprecated)));
    }
    const body = objectDoc((toTs(ast, tokens) as Extract<Ts, { t: 'object' }>).members, true);
    doc.push(['export ', 'interface ', input.name, ' ', body]);
    return printDoc(doc, PRINT_WIDTH);
  }
  // A type alias: its comment has no @deprecated (json-schema-to-typescript's generateStandaloneType).
  const comment = withItemsComment(ast);
  const type = toTs(ast, tokens);
  const left = group(['type ', input.name]);
  let alias: Doc;
  if (type.t === 'union' && !hugs(type)) {
    alias = group([left, ' =', group(indent([line, typeDoc(type, 'alias')]))]);
  } else {
    const id = Symbol('assignment');
    alias = group([left, ' =', group(indent(line), { id }), indentIfBreak(typeDoc(type, 'alias'), id)]);
  }
  if ((comment !== undefined && comment !== '') || ('deprecated' in ast && ast.deprecated === true))
    doc.push(commentDoc(generateComment(comment, false)));
  doc.push(['export ', alias, ';']);
  return printDoc(doc, PRINT_WIDTH);
}

/**
 * A JSDoc comment as prettier 3 prints it, followed by a line break: each line without its leading
 * white space, ` * ` aligned, trailing white space dropped except two spaces or more after text (a
 * markdown line break), which stay as two.
 */
function commentDoc(raw: string): Doc {
  // Line ends prettier would read differently, and a token KeyTokens.restore() would replace in the comment too.
  if (/[\r\u2028\u2029]/.test(raw) || raw.includes(TOKEN_PREFIX)) unsupported();
  const lines = `*${raw.slice(2, -2)}*`.split('\n').map((l) => l.trimStart());
  if (lines.length < 2 || lines.some((l) => !l.startsWith('*'))) unsupported();
  const jsDoc = raw[2] === '*' && raw[3] !== '*';
  const printed = lines.map((l, i): Doc => {
    if (i === 0) return [l.trimEnd(), hardline];
    if (i === lines.length - 1) return [' ', l];
    const trimmed = l.trimEnd();
    return jsDoc && trimmed !== '*' && l.endsWith('  ') ? [' ', trimmed, '  ', rootLiteralline] : [' ', trimmed, hardline];
  });
  return [['/', printed, '/'], hardline];
}

// ── prettier's TypeScript printer, for these nodes ──────────────────────────────────────────────

const KEYWORDS = new Set(['string', 'number', 'boolean', 'null', 'unknown', 'undefined', 'any', 'never', 'object']);

/** Where a union stands: a property's or index signature's type, an array's element, a type alias's right side. */
type Place = 'annotation' | 'element' | 'alias';

/** `A | null` where A is an object type or a type name: printed on one line (prettier's shouldHugType). */
function hugs(type: Extract<Ts, { t: 'union' }>): boolean {
  const isNull = (m: Ts) => m.t === 'atom' && m.text === 'null';
  const hugged = type.members.find(
    (m) => m.t === 'object' || (m.t === 'atom' && /^[A-Za-z_$][\w$]*$/.test(m.text) && !KEYWORDS.has(m.text)),
  );
  return hugged !== undefined && type.members.every((m) => m === hugged || isNull(m));
}

function typeDoc(type: Ts, place: Place): Doc {
  switch (type.t) {
    case 'atom':
      return type.text;
    case 'array':
      return [typeDoc(type.element, 'element'), '[]'];
    case 'object':
      return objectDoc(type.members);
    case 'union': {
      const parens = (doc: Doc): Doc => (place === 'element' ? ['(', doc, ')'] : doc);
      if (hugs(type)) {
        return parens(
          join(
            ' | ',
            type.members.map((m) => typeDoc(m, 'annotation')),
          ),
        );
      }
      const printed = group(
        type.members.map((m, i) => [i === 0 ? ifBreak('| ') : [line, '| '], align(2, typeDoc(m, 'annotation'))]),
      );
      if (place === 'element') return parens(group([indent([softline, printed]), softline]));
      // A type alias breaks after `=` itself (its layout is break-after-operator).
      return place === 'alias' ? printed : group(indent([softline, printed]));
    }
  }
}

/** A type literal (one member a line, as the schemas' text has it) or an interface body (always one a line). */
function objectDoc(members: readonly TsMember[], body = false): Doc {
  if (members.length === 0) return '{}';
  if (body) {
    const parts = join(
      hardline,
      members.map((m) => memberDoc(m, ';')),
    );
    return ['{', indent([hardline, parts]), hardline, '}'];
  }
  const parts = join(
    line,
    members.map((m, i) => memberDoc(m, i === members.length - 1 ? ifBreak(';') : ';')),
  );
  return group(['{', indent([line, parts]), line, '}'], { shouldBreak: true });
}

function memberDoc(m: TsMember, separator: Doc): Doc {
  const comment = m.comment === undefined ? [] : [commentDoc(m.comment)];
  const key =
    m.key === undefined ? ['[', group([indent([softline, 'k: string']), softline]), ']'] : [m.key, m.optional ? '?' : ''];
  return [...comment, group([...key, ': ', typeDoc(m.type, 'annotation')]), separator];
}

/** A property name as prettier prints it: bare when it is an identifier, else a string in prettier's quotes. */
function printKey(key: string): string {
  if (!isAscii(key)) unsupported();
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : printString(JSON.stringify(key));
}

/** prettier's printString with singleQuote: the quote needing fewer escapes, escapes kept as they are. */
function printString(raw: string): string {
  const content = raw.slice(1, -1);
  let single = 0;
  let double = 0;
  for (const c of content) {
    if (c === "'") single++;
    else if (c === '"') double++;
  }
  const quote = single > double ? '"' : "'";
  const other = quote === '"' ? "'" : '"';
  const body = content.replace(/\\(.)|(["'])/gsu, (match, escaped: string | undefined, q: string | undefined) => {
    if (escaped === other) return escaped;
    if (q === quote) return `\\${q}`;
    if (q) return q;
    return /^[^\n\r"'0-7\\bfnrt-vx\u2028\u2029]$/.test(escaped ?? '') ? (escaped as string) : match;
  });
  return quote + body + quote;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is U+0000 to U+007F
const isAscii = (text: string) => /^[\u0000-\u007f]*$/.test(text);

/** json-schema-to-typescript's toSafeString, for ASCII names (a name it would change is not printed here). */
function toSafeString(name: string): string {
  return isAscii(name) ? jsttName(name) : '';
}
