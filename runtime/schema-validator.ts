/**
 * Validation by one compiled validator (validators.compiled.js: eventgen's own code, or ajv's): every error with its
 * JSON pointer, never a throw whatever the input, and the Standard Schema v1 interface on each validator.
 */
import { escapeToken, splitPointer } from './pointer.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** One reason a value is invalid. */
export interface ValidationError {
  /** JSON pointer of the offending value ("" is the value itself; for a missing property, where it belongs). */
  path: string;
  /** The JSON Schema keyword that failed: "required", "type", "format", … */
  keyword: string;
  /** A readable message that starts with the path. */
  message: string;
}

/** Every error, never only the first. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationError[] };

/** An error as ajv reports it (https://ajv.js.org/api.html#error-objects). */
export interface CompiledError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  /** Set on errors about a property's name (`propertyNames`). */
  propertyName?: string;
}

/** A validator compiled by ajv: true when `value` is valid; otherwise its errors are in `errors`. */
export type Compiled = ((value: unknown) => boolean) & { errors?: CompiledError[] | null };

/**
 * A validator of eventgen's own code (validators.compiled.js): the errors of `value`, already in their final shape and
 * starting with `prefix`, or undefined when it is valid (nothing is allocated then). `final` tells it from ajv's.
 */
export type FinalCompiled = ((value: unknown, prefix?: string) => ValidationError[] | undefined) & {
  readonly final: true;
};

/** Either kind of compiled validator. */
export type AnyCompiled = Compiled | FinalCompiled;

/**
 * A validator: call it for `{ ok: true, value } | { ok: false, errors }`, or hand it to anything that takes
 * a Standard Schema (its `~standard.validate` gives `{ value }` or `{ issues }`, paths as arrays of keys).
 */
export type Validator<T> = ((value: unknown) => ValidationResult<T>) & StandardSchemaV1<unknown, T>;

/** An ajv error in the shape the package reports (eventgen's own code makes its errors in that shape at once). */
export function toError(e: CompiledError, prefix: string): ValidationError {
  const keyword = e.keyword;
  // The common errors first, read in as few property loads as they need: a type or a format error names no property.
  if ((keyword === 'type' || keyword === 'format') && e.propertyName === undefined) {
    const path = prefix === '' ? e.instancePath : prefix + e.instancePath;
    return { path, keyword, message: `${path || '(root)'} ${e.message ?? `fails ${keyword}`}` };
  }
  const named = e.propertyName ?? (keyword === 'required' ? e.params.missingProperty : e.params.propertyName);
  const path = `${prefix}${e.instancePath}${typeof named === 'string' ? `/${escapeToken(named)}` : ''}`;
  const message =
    e.keyword === 'required'
      ? 'is required'
      : typeof named === 'string'
        ? `is not an allowed name (${e.message ?? e.keyword})`
        : (e.message ?? `fails ${e.keyword}`);
  return { path, keyword: e.keyword, message: `${path || '(root)'} ${message}` };
}

/** What was thrown, as text; never throws itself (a thrown Proxy or a throwing `message` getter included). */
export function reasonOf(error: unknown): string {
  try {
    const reason = error instanceof Error ? error.message : String(error);
    return typeof reason === 'string' ? reason.slice(0, 200) : 'unknown error';
  } catch {
    return 'unknown error';
  }
}

/**
 * The errors of a value that threw while it was read (a throwing getter, a Proxy whose traps throw):
 * one `exception` error per place where reading fails, found by reading the value again the way
 * a validator does (own keys, then each property), at most 10; the value's own path when reading
 * it again does not throw.
 */
export function unreadable(value: unknown, prefix: string, thrown: unknown): ValidationError[] {
  const errors: ValidationError[] = [];
  const fail = (path: string, error: unknown) =>
    errors.push({
      path,
      keyword: 'exception',
      message: `${path || '(root)'} cannot be read: ${reasonOf(error)}`,
    });
  const seen = new Set<object>();
  const stack: [unknown, string][] = [[value, prefix]];
  // Iterative, so nesting of any depth answers; bounded, so a huge value answers too.
  let budget = 100_000;
  while (stack.length > 0 && errors.length < 10 && budget > 0) {
    const [node, path] = stack.pop() as [unknown, string];
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    let keys: string[];
    try {
      keys = Object.keys(node);
    } catch (error) {
      fail(path, error);
      continue;
    }
    const children: [unknown, string][] = [];
    for (const key of keys.slice(0, budget)) {
      const at = `${path}/${escapeToken(key)}`;
      try {
        children.push([(node as Record<string, unknown>)[key], at]);
      } catch (error) {
        fail(at, error);
      }
    }
    budget -= keys.length + 1;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as [unknown, string]);
  }
  if (errors.length === 0)
    errors.push({
      path: prefix,
      keyword: 'exception',
      message: `${prefix || '(root)'} cannot be validated: ${reasonOf(thrown)}`,
    });
  return errors;
}

/** The errors of a value (paths starting with `prefix`), or undefined when it is valid. Never throws. */
export type Check = (value: unknown, prefix: string) => ValidationError[] | undefined;

function isFinal(compiled: AnyCompiled): compiled is FinalCompiled {
  return (compiled as Partial<FinalCompiled>).final === true;
}

/**
 * The check of a compiled validator: eventgen's own code answers in the final shape (nothing is allocated for a valid
 * value); ajv's errors are converted. A function of its own per validator, so that each call site sees one validator.
 */
export function checkOf(compiled: AnyCompiled): Check {
  if (isFinal(compiled))
    return (value, prefix) => {
      try {
        return compiled(value, prefix);
      } catch (error) {
        return unreadable(value, prefix, error);
      }
    };
  return (value, prefix) => {
    try {
      if (compiled(value)) return undefined;
    } catch (error) {
      return unreadable(value, prefix, error);
    }
    return (compiled.errors ?? []).map((e) => toError(e, prefix));
  };
}

function runner<T>(compiled: AnyCompiled): (value: unknown) => ValidationResult<T> {
  const check = checkOf(compiled);
  return (value) => {
    const errors = check(value, '');
    return errors === undefined ? { ok: true, value: value as T } : { ok: false, errors };
  };
}

/**
 * A JSON pointer as a Standard Schema path: its tokens, unescaped, with the index of an array item as a
 * number (the value is walked to tell `/items/0` from a property named "0"). Never throws.
 */
export function pathOf(pointer: string, root: unknown): PropertyKey[] {
  if (pointer === '') return [];
  const tokens = splitPointer(pointer);
  const path: PropertyKey[] = [];
  let node: unknown = root;
  for (const token of tokens) {
    try {
      if (Array.isArray(node) && /^(?:0|[1-9]\d*)$/.test(token)) {
        path.push(Number(token));
        node = node[Number(token)];
        continue;
      }
      node =
        typeof node === 'object' && node !== null && Object.hasOwn(node, token)
          ? (node as Record<string, unknown>)[token]
          : undefined;
    } catch {
      node = undefined;
    }
    path.push(token);
  }
  return path;
}

/** Errors as Standard Schema issues. */
export function issuesOf(errors: readonly ValidationError[], value: unknown): StandardSchemaV1.Issue[] {
  return errors.map((e) => ({ message: e.message, path: pathOf(e.path, value) }));
}

/**
 * `validate` with the Standard Schema v1 interface added (vendor "eventgen"); as a Standard Schema it
 * is called with the value alone.
 */
export function standard<T, F extends (value: unknown, ...options: never[]) => ValidationResult<T>>(
  validate: F,
): F & StandardSchemaV1<unknown, T> {
  const props: StandardSchemaV1.Props<unknown, T> = {
    version: 1,
    vendor: 'eventgen',
    validate: (value) => {
      const result = (validate as (value: unknown) => ValidationResult<T>)(value);
      return result.ok ? { value: result.value } : { issues: issuesOf(result.errors, value) };
    },
  };
  return Object.assign(validate, { '~standard': props });
}

/** The validator of one event's data (or of any schema ajv compiled): call it, or use it as a Standard Schema. */
export function validator<T>(compiled: AnyCompiled): Validator<T> {
  return standard(runner<T>(compiled));
}
