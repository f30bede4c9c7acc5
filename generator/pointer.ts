/**
 * JSON Pointer (RFC 6901, https://www.rfc-editor.org/rfc/rfc6901): the one place that escapes,
 * joins, splits and follows pointer tokens, for the pointers diagnostics, changes, evidence and
 * fixture mutants carry.
 */

/** `a/b~c` → `a~1b~0c` */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `a~1b~0c` → `a/b~c` */
export function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `['a', 'b/c']` → `/a/b~1c` */
export function joinPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${escapePointer(t)}`).join('');
}

/** `/a/b~1c` → `['a', 'b/c']`; `''` (the whole value) → `[]`. */
export function splitPointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
}

/** The value `pointer` points at in `root`, through own properties only; undefined when there is none. */
export function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const token of splitPointer(pointer)) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, token)) return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return value;
}
