/**
 * JSON Pointer tokens (RFC 6901): the one place in the package that escapes and splits them, for
 * validation errors and fixture overrides. (The generator has its own, generator/pointer.ts: this
 * package needs nothing from the generator.)
 */

/** `a/b~c` → `a~1b~0c` */
export function escapeToken(token: string): string {
  return token.includes('~') || token.includes('/') ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token;
}

/** `/a~1b/~0c` → `['a/b', '~c']`; `''` (the whole value) → `[]`. */
export function splitPointer(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}
