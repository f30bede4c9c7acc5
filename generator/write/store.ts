/**
 * The file store: with the modules beside it, the only code besides the CLI that touches
 * the disk. This one reads the schemas folder and the release files back, and plans a
 * run's writes: what changes in each folder, including its manifest, and which files of
 * the previous run to delete. The rest of write/:
 * - docs.ts (+ decode.ts): reading the docs;
 * - manifest.ts: which files are eventgen's, which folders it may write into;
 * - swap.ts: applying the plan all or nothing, and finishing a run that was killed;
 * - paths.ts: real paths, containment, and paths as shown to people;
 * - report.ts: the `--report-json` file, by what its path is (file, link, device, FIFO).
 * The application's handlers folder is not one of these: cli/handlers.ts only adds files there.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { sha256 } from '../hash.ts';
import type { FileMap } from '../ir.ts';
import { MANIFEST_FILE, type Manifest, renderManifest } from './manifest.ts';
import { display } from './paths.ts';
import type { Change } from './swap.ts';

export { display } from './paths.ts';
export type { Change } from './swap.ts';

/** The event schemas (`*.schema.json`) and `shared.defs.json` directly inside the schemas folder (none when it does not exist yet). */
export function readSchemaDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.schema.json') || name === 'shared.defs.json') files.set(name, readFileSync(path.join(dir, name), 'utf8'));
  }
  return files;
}

export function readTextIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

export interface Target {
  /** Absolute (real) path of the folder. */
  readonly root: string;
  /** Files eventgen owns there: rewritten on every run, listed in the manifest. */
  readonly files: FileMap;
  /** The manifest of the previous run (or the one adoption made up); undefined for a new folder. */
  readonly previous: Manifest | undefined;
  /** Delete files of the previous manifest that are no longer produced (never for schemas/: a schema is never deleted). */
  readonly prune: boolean;
}

export interface Plan {
  readonly changes: Change[];
  /** Files of the previous run no longer produced but edited since, so kept. */
  readonly kept: Diagnostic[];
}

/** What writing `targets` would change on disk. */
export function plan(targets: readonly Target[]): Plan {
  const changes: Change[] = [];
  const kept: Diagnostic[] = [];
  for (const target of targets) {
    const owned = new Map(target.files);
    owned.set(MANIFEST_FILE, renderManifest(target.files));
    changes.push(...writes(target.root, owned));
    if (!target.prune || target.previous === undefined) continue;
    const stale = prune(target.root, target.previous, owned);
    changes.push(...stale.deletes);
    kept.push(...stale.kept);
  }
  return { changes, kept };
}

const byPath = <T>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : 1));

/** The files of a folder whose contents differ from what is on disk, created or updated, by path. */
function writes(root: string, owned: ReadonlyMap<string, string>): Change[] {
  const changes: Change[] = [];
  for (const [relative, contents] of byPath(owned)) {
    const file = path.join(root, relative);
    const current = readTextIfExists(file);
    if (current !== contents) changes.push({ file, kind: current === undefined ? 'create' : 'update', contents });
  }
  return changes;
}

/**
 * The files of the previous run no longer produced, by path: deleted when they are as eventgen wrote
 * them, kept (and reported) when they were edited since; gone ones are left alone.
 */
function prune(root: string, previous: Manifest, owned: ReadonlyMap<string, string>): { deletes: Change[]; kept: Diagnostic[] } {
  const deletes: Change[] = [];
  const kept: Diagnostic[] = [];
  for (const [relative, hash] of byPath(previous)) {
    if (owned.has(relative)) continue;
    const file = path.join(root, relative);
    const current = readTextIfExists(file);
    if (current === undefined) continue;
    if (sha256(current) === hash) deletes.push({ file, kind: 'delete' });
    else kept.push(diagnostic('W_KEPT_EDITED', KEPT_EDITED, { file: display(file), line: 1 }));
  }
  return { deletes, kept };
}

const KEPT_EDITED = 'eventgen wrote this file and no longer produces it, but it was edited since: kept';

/** Whether a change is a manifest's: bookkeeping, not counted among the files a run writes. */
export function isManifest(change: Change): boolean {
  return path.basename(change.file) === MANIFEST_FILE;
}
