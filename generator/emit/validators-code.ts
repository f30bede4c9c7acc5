/**
 * eventgen's own validator code for the schema subset eventgen writes: `type`, `properties`, `required`,
 * `additionalProperties`, `items`, `format` and `$ref` to `$defs` (shared or local), and what the Event Grid envelope
 * adds (`const` of a JSON primitive, `minLength` of 0 or 1, where a string's `.length` and its length in code points
 * give the same verdict). It is what ajv's standalone code does for those keywords with eventgen's options
 * (`allErrors`, `ownProperties`, `strict: false`), in a few helpers instead of a page of code per property: the same
 * verdicts, and the same errors in the same order, made at once in the shape the package reports them
 * (`{ path, keyword, message }`, what runtime/validation.ts makes of an ajv error), so no second pass converts them.
 * A schema outside the subset (a curated `enum`, `pattern`, `minimum`, …, a property named `__proto__`, a format
 * that is not a string format) is left to ajv. test/emit/validators-code.test.ts holds both to the same answers on
 * the corpus and on generated values; ajv stays the oracle.
 *
 * Why: at 1000 event types ajv's code was 7.5 MB of the package's 13 MB, and checking a property in a few
 * comparisons instead of ajv's bookkeeping of error counts is faster as well.
 */
import type { JsonSchema } from '../ir.ts';
import { escapePointer } from '../pointer.ts';
import { alwaysValid, inlinable, inSubset, resolve, subsetTypes } from './validators-subset.ts';

export { inSubset };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A JavaScript string literal of `text` (JSON's, which is one). */
const str = (text: string): string => JSON.stringify(text);

/** A JavaScript literal of a JSON primitive (JSON's, which is one). */
const literal = (value: unknown): string => JSON.stringify(value);

/** A JSON pointer token: `~` and `/` escaped. */
const token = escapePointer;

/** Where a value is: a path known when the code is written, or an expression of the generated code. */
type Where = { readonly literal: string } | { readonly expression: string };
const at = (where: Where): string => ('literal' in where ? str(where.literal) : where.expression);
const under = (where: Where, name: string): Where =>
  'literal' in where
    ? { literal: `${where.literal}/${token(name)}` }
    : { expression: `${where.expression}+${str(`/${token(name)}`)}` };

/** The check that `v` is of JSON type `type`, as ajv writes it. */
function isType(type: string, v: string): string {
  switch (type) {
    case 'null':
      return `${v}===null`;
    case 'object':
      return `(${v}&&typeof ${v}=="object"&&!Array.isArray(${v}))`;
    case 'array':
      return `Array.isArray(${v})`;
    case 'integer':
      return `(typeof ${v}=="number"&&!(${v}%1)&&!isNaN(${v}))`;
    default:
      return `typeof ${v}==${str(type)}`;
  }
}

/** The statement that adds an error at `where` (the message after the path, as a literal). */
function errorAt(where: Where, keyword: string, message: string): string {
  return `E = $e(E, ${at(where)}, ${str(keyword)}, ${str(` ${message}`)});`;
}

/**
 * The runtime the generated functions share (names start with `$`, which ajv's names never do). Errors are made in
 * the shape the package reports (`{ path, keyword, message }`, the message starting with the path), so nothing
 * converts them afterwards; the list `E` is made by the first error, so a valid value allocates nothing.
 */
const PRELUDE = `const $h = Object.prototype.hasOwnProperty;
const $k = (k) => k.replace(/~/g, "~0").replace(/\\//g, "~1");
const $fm = (f) => typeof f === "function" ? f : f instanceof RegExp ? (s) => f.test(s) : $fm(f.validate);
function $e(E, p, k, m) { const e = { path: p, keyword: k, message: (p === "" ? "(root)" : p) + m }; if (E === undefined) return [e]; E.push(e); return E; }
function $x(E, n) { if (n === 0) return undefined; E.length = n; return E; }`;

/** Writes the code of a set of schemas: one function per schema and per definition it reaches. */
class Writer {
  private readonly functions: string[] = [];
  private readonly defs = new Map<unknown, string>();
  private readonly formatNames = new Map<string, string>();
  private names = 0;
  /** The root `#/$defs/…` resolves against in a shared definition: shared.defs.json itself. */
  private readonly sharedRoot: JsonSchema;

  constructor(private readonly shared: Readonly<Record<string, JsonSchema>>) {
    this.sharedRoot = { $defs: shared };
  }

  /**
   * The name of the check function of `schema`, written once: `(data, path, E) => E`, given the errors so far
   * (undefined when none) and returning them with its own added.
   */
  check(schema: JsonSchema, root: JsonSchema): string {
    const known = this.defs.get(schema);
    if (known !== undefined) return known;
    const name = `$c${this.defs.size}`;
    this.defs.set(schema, name);
    const body = this.schema(schema, 'd', { expression: 'p' }, root, undefined);
    this.functions.push(`function ${name}(d, p, E) {\n${body}return E;\n}`);
    return name;
  }

  private format(name: string): string {
    let local = this.formatNames.get(name);
    if (local === undefined) {
      local = `$F${this.formatNames.size}`;
      this.formatNames.set(name, local);
    }
    return local;
  }

  private variable(): string {
    return `v${this.names++}`;
  }

  /**
   * Statements that check value `v` (an expression without side effects) at `where` against `s`. `own`, when
   * given, is a condition every error is subject to (the value is a member that may be inherited, and only an own
   * one is checked): evaluated only once a check fails, so the valid path never asks; only for a {@link leaf}.
   */
  private schema(node: unknown, v: string, where: Where, root: JsonSchema, own: string | undefined): string {
    if (alwaysValid(node)) return '';
    const s = node as Record<string, unknown>;
    if (s.$ref !== undefined) return this.ref(s.$ref, v, where, root);
    const guard = own === undefined ? '' : `&&${own}`;
    const types = subsetTypes(s) ?? [];
    // Messages as literals, as ajv writes them (a flat string, not one concatenated per error).
    const typeError = errorAt(where, 'type', `must be ${types.join(',')}`);
    const groups = this.groups(s, v, where, root, guard);
    // A single type whose group the schema uses is checked in that group's `else`; any other type up front.
    const single = types.length === 1 ? types[0] : undefined;
    const upFront = types.length > 0 && !groups.some(([type, , used]) => used && type === single);
    let code = upFront ? `if (!(${types.map((t) => isType(t, v)).join('||')})${guard}) ${typeError}\n` : '';
    // ajv's group of the keywords of any type (`const`) comes before the groups of one type.
    if (s.const !== undefined)
      code += `if (${literal(s.const)} !== ${v}${guard}) ${errorAt(where, 'const', 'must be equal to constant')}\n`;
    for (const [type, body, used] of groups) {
      const orElse = used && !upFront && type === single;
      if (!used || (body === '' && !orElse)) continue;
      const otherwise = !orElse ? '' : own === undefined ? ` else ${typeError}` : ` else if (${own}) ${typeError}`;
      code += `if (${isType(type, v)}) {\n${body}}${otherwise}\n`;
    }
    return code;
  }

  /**
   * The check of a `$ref`: its target's statements in place when it is {@link inlinable}, else a call of the
   * target's function.
   */
  private ref(ref: unknown, v: string, where: Where, root: JsonSchema): string {
    const target = resolve(ref, root, this.shared);
    if (target === undefined) throw new Error(`unresolved $ref ${String(ref)}`);
    const targetRoot = target.local ? root : this.sharedRoot;
    if (inlinable(target.schema)) return this.schema(target.schema, v, where, targetRoot, undefined);
    return `E = ${this.check(target.schema, targetRoot)}(${v}, ${at(where)}, E);\n`;
  }

  /** ajv's rule groups of one type, in its order: each with the code of its keywords and whether the schema uses it. */
  private groups(
    s: Record<string, unknown>,
    v: string,
    where: Where,
    root: JsonSchema,
    guard: string,
  ): [type: string, code: string, used: boolean][] {
    let items = '';
    if (s.items !== undefined && !alwaysValid(s.items)) {
      const i = this.variable();
      const n = this.variable();
      const item = this.variable();
      const inner = this.schema(s.items, item, { expression: `${at(where)}+"/"+${i}` }, root, undefined);
      // The length read once, as ajv reads it.
      items = `for (let ${i} = 0, ${n} = ${v}.length; ${i} < ${n}; ${i}++) {\nconst ${item} = ${v}[${i}];\n${inner}}\n`;
    }
    // The string group: `minLength` (0 or 1, so `.length` gives ajv's verdict in code points), then `format`.
    let string = '';
    if (s.minLength === 1)
      string += `if (${v}.length < 1${guard}) ${errorAt(where, 'minLength', 'must NOT have fewer than 1 characters')}\n`;
    if (s.format !== undefined)
      string += `if (!${this.format(s.format as string)}(${v})${guard}) ${errorAt(where, 'format', `must match format "${s.format}"`)}\n`;
    return [
      ['number', '', s.format !== undefined],
      ['string', string, s.format !== undefined || s.minLength !== undefined],
      ['array', items, s.items !== undefined],
      [
        'object',
        this.object(s, v, where, root),
        s.required !== undefined || s.properties !== undefined || s.additionalProperties !== undefined,
      ],
    ];
  }

  /**
   * The statements of ajv's object group: `required`, then `additionalProperties`, then `properties`. A member is
   * read once (as ajv's `ownProperties` reads it, a member is there when it is an own property that is not
   * undefined). A required member is read up front and tested for being own at once: that is what makes it present.
   * Any other is read where its check begins, checked as it is, and asked whether it is own only when a check fails
   * (errors under an inherited member are taken back), so a valid value costs no `hasOwnProperty` call for it.
   */
  private object(s: Record<string, unknown>, v: string, where: Where, root: JsonSchema): string {
    const required = new Map<string, { value: string; present: string }>();
    let code = '';
    for (const name of (s.required ?? []) as string[]) {
      if (required.has(name)) continue;
      const member = { value: this.variable(), present: this.variable() };
      required.set(name, member);
      code += `const ${member.value} = ${this.member(v, name)}, ${member.present} = ${member.value}!==undefined&&$h.call(${v}, ${str(name)});\n`;
    }
    for (const [name, { present }] of required)
      code += `if (!${present}) E = $e(E, ${at(under(where, name))}, "required", " is required");\n`;
    const properties = Object.entries((s.properties ?? {}) as Record<string, unknown>);
    code += this.additional(s.additionalProperties, properties, v, where, root);
    for (const [name, child] of properties) {
      if (alwaysValid(child)) continue;
      const known = required.get(name);
      code += known
        ? `if (${known.present}) {\n${this.schema(child, known.value, under(where, name), root, undefined)}}\n`
        : this.optional(name, child, v, where, root);
    }
    return code;
  }

  /** The check of a member no `required` names: read, checked when not undefined, its errors kept when it is own. */
  private optional(name: string, child: unknown, v: string, where: Where, root: JsonSchema): string {
    const value = this.variable();
    const path = under(where, name);
    const own = `$h.call(${v}, ${str(name)})`;
    const read = `const ${value} = ${this.member(v, name)};\n`;
    if (leaf(child)) return `${read}if (${value} !== undefined) {\n${this.schema(child, value, path, root, own)}}\n`;
    // Errors found under a member that turns out to be inherited are taken back.
    const n = this.variable();
    const inner = this.schema(child, value, path, root, undefined);
    return `${read}if (${value} !== undefined) {\nconst ${n} = E === undefined ? 0 : E.length;\n${inner}if (E !== undefined && E.length !== ${n} && !${own}) E = $x(E, ${n});\n}\n`;
  }

  /** ajv's `additionalProperties`: a loop over the keys of members `properties` does not name. */
  private additional(
    additional: unknown,
    properties: readonly [string, unknown][],
    v: string,
    where: Where,
    root: JsonSchema,
  ): string {
    if (additional === undefined || alwaysValid(additional)) return '';
    const key = this.variable();
    const names = properties.map(([name]) => name);
    const known =
      names.length === 0
        ? ''
        : names.length <= 8
          ? names.map((n) => `${key}===${str(n)}`).join('||')
          : `${this.nameSet(names)}.has(${key})`;
    let body: string;
    if (additional === false) body = `E = $e(E, ${at(where)}, "additionalProperties", " must NOT have additional properties");\n`;
    else {
      const value = this.variable();
      body = `const ${value} = ${v}[${key}];\n${this.schema(additional, value, { expression: `${at(where)}+"/"+$k(${key})` }, root, undefined)}`;
    }
    return `for (const ${key} of Object.keys(${v})) {\n${known === '' ? body : `if (!(${known})) {\n${body}}\n`}}\n`;
  }

  private member(v: string, name: string): string {
    return IDENTIFIER.test(name) ? `${v}.${name}` : `${v}[${str(name)}]`;
  }

  private readonly sets: string[] = [];
  /** A module-level Set of property names (for objects of more than eight properties). */
  private nameSet(names: string[]): string {
    const name = `$n${this.sets.length}`;
    this.sets.push(`const ${name} = new Set([${names.map(str).join(',')}]);`);
    return name;
  }

  /** The module text after `exports` (export name → check function name). */
  code(exports: ReadonlyMap<string, string>): string {
    const formatLines = [...this.formatNames].map(([format, local]) => `const ${local} = $fm($formats[${str(format)}]);`);
    // A function of its own per validator, as ajv writes them: a call site shared by every validator would see
    // every check function and be inlined for none. Each takes the path its errors start with (`/data` for the data
    // of an event) and returns its errors, or undefined; `final` tells it from ajv's functions.
    const exportLines = [...exports].map(
      ([name, check]) =>
        `export function ${name}(data, prefix) {\nreturn ${check}(data, prefix === undefined ? "" : prefix, undefined);\n}\n${name}.final = true;`,
    );
    return [PRELUDE, ...formatLines, ...this.sets, ...this.functions, ...exportLines].join('\n');
  }
}

/**
 * Whether `schema`'s checks never look inside the value (no `$ref`, items or object keywords): then each of its
 * errors can be made subject to the member being own, asked only when a check fails.
 */
function leaf(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return true;
  const s = schema as Record<string, unknown>;
  return (
    s.$ref === undefined &&
    (s.items === undefined || alwaysValid(s.items)) &&
    s.required === undefined &&
    s.properties === undefined &&
    s.additionalProperties === undefined
  );
}

/**
 * The code of the validators of `events` (export name → schema) that stay in the subset, as the body of an ES
 * module that has `$formats` (formats.js's `formats`) in scope; and the events left to ajv.
 */
export function ownValidators(
  events: ReadonlyMap<string, JsonSchema>,
  shared: Readonly<Record<string, JsonSchema>>,
): { code: string; own: string[]; left: Map<string, JsonSchema> } {
  const writer = new Writer(shared);
  const exports = new Map<string, string>();
  const left = new Map<string, JsonSchema>();
  for (const [name, schema] of events) {
    if (!IDENTIFIER.test(name) || !inSubset(schema, shared)) left.set(name, schema);
    else exports.set(name, writer.check(schema, schema));
  }
  return { code: exports.size === 0 ? '' : writer.code(exports), own: [...exports.keys()], left };
}
