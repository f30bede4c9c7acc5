/**
 * The static modules of the generated package: every `.ts` file of `runtime/` (the webhook, the
 * router, the adapters, the envelope types, the fixture helpers…), copied as it is after the banner.
 * They are real source files of this project, type-checked, linted and unit-tested where they stand;
 * the `.d.ts` files beside them stand in for the generated modules they import and are not copied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { FileMap } from '../ir.ts';

const RUNTIME = new URL('../../runtime/', import.meta.url);

let cache: [string, string][] | undefined;

/** `src/<name>.ts` → the banner, a blank line, and `runtime/<name>.ts`. */
export function runtimeModules(banner: string): FileMap {
  cache ??= readdirSync(RUNTIME)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => [name, readFileSync(new URL(name, RUNTIME), 'utf8')]);
  return new Map(cache.map(([name, text]) => [`src/${name}`, `${banner}\n\n${text}`]));
}
