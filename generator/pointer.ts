/**
 * JSON Pointer (RFC 6901) tokens: the one place that escapes and joins them, for the
 * pointers diagnostics, changes and evidence carry.
 */

/** `a/b~c` → `a~1b~0c` */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `['a', 'b/c']` → `/a/b~1c` */
export function joinPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${escapePointer(t)}`).join('');
}
