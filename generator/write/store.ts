/**
 * The file store: the only module besides the CLI that touches the disk. Reads the
 * docs and the schemas directory, and writes a map of path → contents all or
 * nothing, or compares it with the disk for `--check`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { DocFile, FileMap } from '../ir.ts';

const DOC_FILE = /\.(md|markdown|json)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Path as shown to people: relative to the working directory, `/` separators. */
export function display(file: string): string {
  const relative = path.relative(process.cwd(), file) || '.';
  return relative.split(path.sep).join('/');
}

/** Reads the markdown and JSON docs under each path (a file or a folder, searched recursively). */
export function readDocs(paths: readonly string[]): { docs: DocFile[]; diagnostics: Diagnostic[] } {
  const docs: DocFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const resolved = path.resolve(file);
    if (seen.has(resolved)) return;
    seen.add(resolved);
    docs.push({ path: display(resolved), text: readFileSync(resolved, 'utf8') });
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full);
      else if (entry.isFile() && DOC_FILE.test(entry.name)) add(full);
    }
  };
  for (const given of paths) {
    try {
      if (statSync(given).isDirectory()) walk(given);
      else add(given);
    } catch (error) {
      diagnostics.push(
        diagnostic('E_READ', `cannot read ${given}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
          file: given,
          line: 1,
        }),
      );
    }
  }
  return { docs, diagnostics };
}

/** The `*.json` files directly inside the schemas directory (none when it does not exist yet). */
export function readSchemaDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.json')) files.set(name, readFileSync(path.join(dir, name), 'utf8'));
  }
  return files;
}

export function readTextIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Writes one file atomically (beside it, then renamed over it). */
export function writeAtomic(file: string, contents: string): void {
  apply([{ file, kind: existsSync(file) ? 'update' : 'create', contents }]);
}

export type ChangeKind = 'create' | 'update' | 'delete';

export interface Change {
  readonly file: string;
  readonly kind: ChangeKind;
  readonly contents?: string;
}

export interface Target {
  readonly root: string;
  readonly files: FileMap;
  /** Delete files under `root` that carry this mark but are no longer produced. */
  readonly pruneMark?: string;
  /** Write only files that do not exist yet; never compare or overwrite (handler skeletons). */
  readonly createOnly?: boolean;
}

/** What writing `targets` would change on disk. */
export function plan(targets: readonly Target[]): Change[] {
  const changes: Change[] = [];
  for (const target of targets) {
    for (const [relative, contents] of [...target.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const file = path.join(target.root, relative);
      if (target.createOnly && existsSync(file)) continue;
      const current = readTextIfExists(file);
      if (current !== contents) changes.push({ file, kind: current === undefined ? 'create' : 'update', contents });
    }
    if (target.pruneMark !== undefined && existsSync(target.root)) {
      const produced = new Set([...target.files.keys()].map((f) => path.join(target.root, f)));
      for (const file of listFiles(target.root)) {
        if (!produced.has(file) && readFileSync(file, 'utf8').includes(target.pruneMark)) changes.push({ file, kind: 'delete' });
      }
    }
  }
  return changes;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name) && entry.name !== 'dist') out.push(...listFiles(full));
    else if (entry.isFile() && /\.(ts|md|json)$/.test(entry.name)) out.push(full);
  }
  return out;
}

const TEMP_SUFFIX = '.eventgen-tmp';

/**
 * Applies `changes` all or nothing: every new content is first written beside its
 * target; only when all of them are on disk are they renamed over the targets
 * (a rename within a directory is atomic). On a failure before that, the temporary
 * files are removed and nothing already on disk has changed.
 */
export function apply(changes: readonly Change[]): void {
  const staged: { temp: string; file: string }[] = [];
  try {
    for (const change of changes) {
      if (change.kind === 'delete') continue;
      mkdirSync(path.dirname(change.file), { recursive: true });
      const temp = `${change.file}${TEMP_SUFFIX}`;
      writeFileSync(temp, change.contents ?? '', { flag: 'w' });
      staged.push({ temp, file: change.file });
    }
  } catch (error) {
    for (const { temp } of staged) rmSync(temp, { force: true });
    throw error;
  }
  for (const { temp, file } of staged) renameSync(temp, file);
  for (const change of changes) if (change.kind === 'delete') rmSync(change.file, { force: true });
}

/** `.ts` files directly in `dir` that are not among `expected` (file names): skeletons whose event is gone. */
export function strayFiles(dir: string, expected: ReadonlySet<string>): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts') && !expected.has(name))
    .sort()
    .map((name) => path.join(dir, name));
}
