/**
 * The cache of texts a run computed (ir.ts TextCache) on disk, where babel, eslint and vite keep theirs:
 * `node_modules/.cache/eventgen` of the project the working directory is in (the nearest folder up with
 * a package.json), or `$CACHE_DIR/eventgen`. One JSON file per entry, holding its key and the SHA-256 of
 * its text: an entry that is unreadable, truncated or edited is a miss, computed again and rewritten.
 * Entries are written to a temporary file and renamed, so a reader never sees half of one. The cache
 * never decides what is written: where the folder cannot be made or written, the run goes on without
 * it (and with `readOnly`, as `--check` runs, nothing is written to it).
 *
 * Every entry is filed under its key and the hash of eventgen's own code ({@link codeHash}): a text another
 * build of eventgen computed is never found, whatever the caller's key leaves out.
 */

import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../hash.ts';
import type { TextCache } from '../ir.ts';

const NAME = 'eventgen';
const KEY = /^[0-9a-f]{64}$/;

/** find-cache-dir's answer for eventgen: the folder of the cache for `cwd`, or undefined when there is none to use. */
export function cacheDirFor(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.CACHE_DIR;
  if (fromEnv && !['true', 'false', '1', '0'].includes(fromEnv)) return path.resolve(cwd, fromEnv, NAME);
  let dir = path.resolve(cwd);
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  const nodeModules = path.join(dir, 'node_modules');
  if (!writable(nodeModules) && (existsSync(nodeModules) || !writable(dir))) return undefined;
  return path.join(nodeModules, '.cache', NAME);
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The file the build writes beside the compiled modules (scripts/build.mjs): the SHA-256 of {@link CODE}. */
export const CODE_HASH_FILE = 'code.sha256';
/** The folders and files of the project whose contents are eventgen's code: what a run's texts depend on besides their input. */
export const CODE = ['templates', 'runtime', 'package.json'] as const;

/**
 * The SHA-256 of a folder of eventgen's modules (dist/ as built, or generator/ when run from source) and of
 * {@link CODE}, file by file in path order: what scripts/build.mjs writes into dist/code.sha256, where it is read.
 */
export function hashCode(modules: string, root: string): string {
  const hash = createHash('sha256');
  const add = (base: string, files: string[]) => {
    for (const file of files.sort()) {
      hash.update(`${path.relative(root, path.join(base, file))}\u0000`);
      hash.update(readFileSync(path.join(base, file)));
      hash.update('\u0000');
    }
  };
  add(
    modules,
    listFiles(modules).filter((f) => f !== CODE_HASH_FILE && !f.endsWith('.tsbuildinfo')),
  );
  for (const entry of CODE) {
    const full = path.join(root, entry);
    if (entry.includes('.')) add(root, existsSync(full) ? [entry] : []);
    else add(full, listFiles(full));
  }
  return hash.digest('hex');
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

let code: string | undefined;

/** The hash of the eventgen that runs: the build's, or, run from source (no build), its sources' hashed now. */
export function codeHash(): string {
  if (code !== undefined) return code;
  const modules = fileURLToPath(new URL('..', import.meta.url));
  try {
    code = readFileSync(path.join(modules, CODE_HASH_FILE), 'utf8').trim();
  } catch {
    code = hashCode(modules, path.dirname(path.resolve(modules)));
  }
  return code;
}

/** The cache kept in `dir` (made when the first entry is written). */
export function diskCache(dir: string, options: { readOnly?: boolean } = {}): TextCache {
  let writing = options.readOnly !== true;
  let made = false;
  let written = 0;
  const version = codeHash();
  const file = (key: string) => path.join(dir, `${key}.json`);
  return {
    get(given) {
      if (!KEY.test(given)) return undefined;
      const key = sha256(`${version}\n${given}`);
      try {
        const entry = JSON.parse(readFileSync(file(key), 'utf8')) as { key?: unknown; sha256?: unknown; text?: unknown };
        return entry.key === key && typeof entry.text === 'string' && entry.sha256 === sha256(entry.text)
          ? entry.text
          : undefined;
      } catch {
        return undefined;
      }
    },
    set(given, text) {
      if (!writing || !KEY.test(given)) return;
      const key = sha256(`${version}\n${given}`);
      // A name no other writer uses: this process's id and a count of its entries.
      const temp = `${file(key)}.${process.pid}.${written++}.tmp`;
      try {
        if (!made) mkdirSync(dir, { recursive: true });
        made = true;
        writeFileSync(temp, `${JSON.stringify({ key, sha256: sha256(text), text })}\n`);
        renameSync(temp, file(key));
      } catch {
        // Not writable after all (a read-only or full disk): the rest of the run computes without storing.
        writing = false;
        try {
          rmSync(temp, { force: true });
        } catch {
          // no temporary file where the folder could not be made
        }
      }
    },
  };
}
