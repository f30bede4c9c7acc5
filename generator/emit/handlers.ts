/**
 * The application's handlers folder: one handler skeleton per event type, `index.ts` (the handlers
 * wired into one object) and `server.ts` (them served on node:http). These files import the generated
 * package and belong to the application: written once, when missing, never overwritten nor deleted, and
 * never inside the generated package (which holds only generated files). By default the folder is
 * `handlers/` beside the package's folder (`--out`), and imports the package's sources by relative path.
 *
 * Pure: the paths below are computed, not read; the CLI lists the folder and writes the missing files
 * (see planHandlers).
 */
import path from 'node:path';
import type { FileMap } from '../ir.ts';

/** The handlers folder, by default: `handlers` beside the package folder. */
export function defaultHandlersDir(outDir: string): string {
  return path.join(path.dirname(path.resolve(outDir)), 'handlers');
}

/** How the handlers import the package by default: the package folder `generated/` beside them. */
export const DEFAULT_PACKAGE_IMPORT = '../generated';

/**
 * How files in `handlersDir` import the package in `outDir`: the relative path from one folder to the
 * other, POSIX-style, starting with `./` or `../` (`../generated`).
 */
export function packageImportFrom(handlersDir: string, outDir: string): string {
  const relative = path.relative(path.resolve(handlersDir), path.resolve(outDir)).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/**
 * The specifier of one module of the package (`router`, `node-http`, …) for the handlers: a relative
 * package import reaches its sources (`../generated/src/router.js`); a package name its subpath export
 * (`eventgen-events/router`), for a package installed as a dependency (workspace, tarball).
 */
export function moduleSpecifier(packageImport: string, module: string): string {
  const base = packageImport.replace(/\/+$/, '');
  return base === '.' || base === '..' || base.startsWith('./') || base.startsWith('../') || base.startsWith('/')
    ? `${base}/src/${module}.js`
    : `${base}/${module}`;
}

/** Whether `packageImport` is a relative path or an npm package name (with its scope). */
export function isValidPackageImport(packageImport: string): boolean {
  return (
    /^\.{1,2}(?:\/[^\0\n\r\\]*)?$/.test(packageImport) ||
    /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(packageImport)
  );
}

export interface HandlersPlan {
  /** Files of the handlers folder that do not exist yet: to write (create only), or for `--check` to report. */
  readonly missing: string[];
  /** `.ts` files in the folder that are neither produced nor `index.ts`/`server.ts`: skeletons whose event type is gone (report, never delete). */
  readonly orphans: string[];
}

/**
 * What a run does to the handlers folder, given the handler files generate() produced (`skeletons`,
 * paths relative to the folder) and the file names the folder holds now (`present`, relative too).
 */
export function planHandlers(skeletons: FileMap, present: Iterable<string>): HandlersPlan {
  const existing = new Set(present);
  const missing = [...skeletons.keys()].filter((file) => !existing.has(file)).sort();
  const orphans = [...existing].filter((file) => file.endsWith('.ts') && !file.includes('/') && !skeletons.has(file)).sort();
  return { missing, orphans };
}
