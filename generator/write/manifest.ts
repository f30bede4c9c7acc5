/**
 * Which files are eventgen's. Each folder eventgen writes (`--out`, `--schemas`) holds a
 * manifest, `.eventgen-manifest.json`: the relative path and SHA-256 of every file the last
 * run wrote there, sorted, with no timestamp (same input, same bytes). A run deletes only
 * a file the previous manifest lists, that it no longer produces, and that nobody edited
 * since; everything else in the folder is the user's and is left alone.
 *
 * eventgen writes only into a folder that is empty, that has a manifest, or that it can
 * tell it wrote before the manifests existed ("adoption", for checkouts made by older
 * versions, or a manifest someone deleted): every file carries the generated banner on its
 * first line, or is a handler skeleton, the package's package.json (with its `eventgen` key)
 * or tsconfig.json; for `--schemas`, every file is a `*.schema.json` or `shared.defs.json`;
 * in another language's folder, every file starts with the banner as a comment.
 */
import { closeSync, type Dirent, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_MARK, HANDLERS_DIR } from '../emit/banner.ts';
import { sha256 } from '../hash.ts';
import type { FileMap } from '../ir.ts';
import { isWithin, posixRelative } from './paths.ts';

export const MANIFEST_FILE = '.eventgen-manifest.json';
/** Suffix of the temporary files of eventgen before 2.0 (one beside each file it wrote). */
export const OLD_TEMP_SUFFIX = '.eventgen-tmp';

const ABOUT = 'Files the last `eventgen generate` wrote here, with their SHA-256. eventgen deletes only files listed here.';

/** Relative path → SHA-256 (hex) of what eventgen wrote. */
export type Manifest = ReadonlyMap<string, string>;

export function renderManifest(files: FileMap): string {
  const sorted = [...files.keys()].sort();
  const entries = Object.fromEntries(sorted.map((file) => [file, sha256(files.get(file) ?? '')]));
  return `${JSON.stringify({ about: ABOUT, files: entries }, null, 2)}\n`;
}

export function parseManifest(text: string): Manifest {
  const value = JSON.parse(text) as { files?: unknown };
  if (typeof value.files !== 'object' || value.files === null || Array.isArray(value.files)) {
    throw new Error('it has no "files" object');
  }
  const files = new Map<string, string>();
  for (const [file, hash] of Object.entries(value.files)) {
    if (typeof hash !== 'string' || file.split('/').includes('..') || path.isAbsolute(file)) {
      throw new Error(`bad entry ${JSON.stringify(file)}`);
    }
    files.set(file, hash);
  }
  return files;
}

/** `out`: the TypeScript package; `schemas`; `lang`: another language's folder (`generated-<lang>/`); `catalog`: the HTML catalog. */
export type FolderKind = 'out' | 'schemas' | 'lang' | 'catalog';

export type Ownership =
  /** The folder does not exist yet, or is empty. */
  | { readonly kind: 'new' }
  /** The folder has a manifest (`adopted`: none, but every file is recognisably eventgen's; the manifest is what it would have said). */
  | { readonly kind: 'known'; readonly manifest: Manifest; readonly adopted: boolean }
  | { readonly kind: 'foreign'; readonly unknown: string[] }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** How many unknown files are enough to refuse a folder (and to name in the message). */
const ENOUGH = 6;

/**
 * Whose is `root`? `others`: the other folders of the run (real paths), skipped when nested.
 * Reads only the manifest, or without one, the first line of each file.
 */
export function inspectFolder(root: string, kind: FolderKind, others: readonly string[]): Ownership {
  if (!existsSync(root)) return { kind: 'new' };
  const manifestFile = path.join(root, MANIFEST_FILE);
  if (existsSync(manifestFile)) {
    try {
      return { kind: 'known', manifest: parseManifest(readFileSync(manifestFile, 'utf8')), adopted: false };
    } catch (error) {
      return { kind: 'unreadable', reason: `${MANIFEST_FILE} cannot be read: ${(error as Error).message}` };
    }
  }
  const adopted = new Map<string, string>();
  const unknown: string[] = [];
  let identified = false;
  let tsconfig: string | undefined;
  visitFiles(root, others, (file, regular) => {
    const relative = posixRelative(root, file);
    if (relative.endsWith(OLD_TEMP_SUFFIX)) return true; // left by a killed run of an older eventgen; never copied forward
    const verdict = !regular
      ? 'unknown'
      : kind === 'schemas'
        ? schemaFile(relative)
        : kind === 'lang' || kind === 'catalog'
          ? langFile(file)
          : outFile(relative, file);
    if (verdict === 'tsconfig') tsconfig = relative;
    else if (verdict === 'skeleton') identified = true;
    else if (verdict === 'unknown') unknown.push(relative);
    else {
      identified = true;
      adopted.set(relative, sha256(readFileSync(file, 'utf8')));
    }
    return unknown.length < ENOUGH;
  });
  if (tsconfig !== undefined) {
    // tsconfig.json says nothing by itself: it is the package's only beside files that are.
    if (identified) adopted.set(tsconfig, sha256(readFileSync(path.join(root, tsconfig), 'utf8')));
    else unknown.push(tsconfig);
  }
  if (unknown.length > 0) return { kind: 'foreign', unknown: unknown.sort() };
  return identified ? { kind: 'known', manifest: adopted, adopted: true } : { kind: 'new' };
}

type Verdict = 'generated' | 'skeleton' | 'tsconfig' | 'unknown';

/** How generated files begin (TypeScript, markdown); a file that only quotes the mark further on is not one. */
const BANNERS = [`// ${GENERATED_MARK}`, `<!-- ${GENERATED_MARK}`];

function schemaFile(relative: string): Verdict {
  return !relative.includes('/') && (relative.endsWith('.schema.json') || relative === 'shared.defs.json')
    ? 'generated'
    : 'unknown';
}

function outFile(relative: string, file: string): Verdict {
  if (relative === 'tsconfig.json') return 'tsconfig';
  if (relative === 'package.json') return isOurPackageJson(file) ? 'generated' : 'unknown';
  if (relative === 'asyncapi.json') return isOurAsyncApi(file) ? 'generated' : 'unknown';
  const first = firstLine(file);
  if (BANNERS.some((banner) => first.startsWith(banner))) return 'generated';
  if (relative.startsWith(`${HANDLERS_DIR}/`) && relative.endsWith('.ts')) return 'skeleton';
  return 'unknown';
}

/** In another language's folder (and the catalog's) every file eventgen writes starts with the banner, in that language's comment syntax. */
function langFile(file: string): Verdict {
  const first = firstLine(file);
  return ['//', '#', '<!--'].some((comment) => first.startsWith(`${comment} ${GENERATED_MARK}`)) ? 'generated' : 'unknown';
}

function isOurPackageJson(file: string): boolean {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { eventgen?: unknown };
    return typeof value.eventgen === 'object' && value.eventgen !== null;
  } catch {
    return false;
  }
}

/** The AsyncAPI document carries the banner as its `x-eventgen` extension (JSON has no comments). */
function isOurAsyncApi(file: string): boolean {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { 'x-eventgen'?: unknown };
    return typeof value['x-eventgen'] === 'string' && value['x-eventgen'].startsWith(GENERATED_MARK);
  } catch {
    return false;
  }
}

function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8').split('\n')[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

/**
 * Calls `visit` with each file under `root` (symlinks and devices too, never followed) until it
 * returns false, skipping `node_modules` and `dist` at the top (what building the package in
 * place adds: never eventgen's, never touched) and the folders of `others` nested in `root`.
 */
function visitFiles(root: string, others: readonly string[], visit: (file: string, regular: boolean) => boolean): void {
  const nested = others.filter((other) => other !== root && isWithin(other, root));
  const skipped = (dir: string, name: string, full: string) =>
    (dir === root && (name === 'node_modules' || name === 'dist')) || nested.some((other) => isWithin(full, other));
  const walk = (dir: string): boolean => {
    for (const entry of entriesOf(dir)) {
      const full = path.join(dir, entry.name);
      if (skipped(dir, entry.name, full)) continue;
      const more = entry.isDirectory() ? walk(full) : visit(full, entry.isFile());
      if (!more) return false;
    }
    return true;
  };
  walk(root);
}

/** The entries of a folder by name; none when it cannot be read. */
function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}
