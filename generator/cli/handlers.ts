/**
 * The application's handlers folder (`--handlers`, default `handlers/` beside `--out`): a create-only
 * target. Its files belong to the application, so it is never replaced as a whole like the folders
 * eventgen owns: a run creates each missing file (written beside it, then linked into place, which
 * fails rather than overwrite a file someone made meanwhile), and never overwrites, deletes or compares
 * one. `--check` reports only a missing file. Files written after the owned folders switched; a run
 * killed in between leaves some missing, and the next run writes them.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { HANDLERS_DIR } from '../emit/banner.ts';
import { planHandlers } from '../emit/handlers.ts';
import type { FileMap } from '../ir.ts';
import { display } from '../write/paths.ts';
import type { Change } from '../write/store.ts';
import { flushToDisk, isRunning } from '../write/swap.ts';

export interface HandlersWork {
  /** The files to create. */
  readonly creates: Change[];
  /** Files of event types no longer produced, and skeletons left inside the package by an older eventgen. */
  readonly diagnostics: Diagnostic[];
}

/** What a run does in `dir` with the handler files generate() produced (`skeletons`); `out`: the package folder. */
export function handlersWork(dir: string, skeletons: FileMap, out: string): HandlersWork {
  const present = [
    ...topLevelFiles(dir),
    ...[...skeletons.keys()].filter((file) => file.includes('/') && existsSync(path.join(dir, file))),
  ];
  const { missing, orphans } = planHandlers(skeletons, present);
  const creates = missing.map((file): Change => ({ file: path.join(dir, file), kind: 'create', contents: skeletons.get(file) }));
  const diagnostics = orphans.map((file) =>
    diagnostic('W_SKELETON_ORPHANED', 'handler skeleton for an event type no longer in schemas/ was kept', {
      file: display(path.join(dir, file)),
      line: 1,
    }),
  );
  const oldDir = path.join(out, HANDLERS_DIR);
  for (const file of topLevelFiles(oldDir).filter((name) => name.endsWith('.ts'))) {
    diagnostics.push(
      diagnostic(
        'W_SKELETON_MOVED',
        `an older eventgen kept the handlers inside the package; they now live in ${display(dir)}, and this file was kept`,
        { file: display(path.join(oldDir, file)), line: 1 },
      ),
    );
  }
  return { creates, diagnostics };
}

/**
 * Creates each file of `creates` that still does not exist, whole or not at all; returns how many it
 * created. Each is written beside its place first; once all are written they are put on disk together
 * (`flushToDisk`: one syncfs on Linux rather than an fsync per file), and only then linked into place, never
 * over a file. Throws on a failure (the files created before it stay: each is complete).
 */
export function createHandlers(creates: readonly Change[]): number {
  let created = 0;
  const cleaned = new Set<string>();
  const temps: [temp: string, file: string][] = [];
  try {
    for (const change of creates) {
      const dir = path.dirname(change.file);
      mkdirSync(dir, { recursive: true });
      if (!cleaned.has(dir)) removeKilledTemps(dir);
      cleaned.add(dir);
      const temp = path.join(dir, `.${path.basename(change.file)}.${process.pid}${TEMP_SUFFIX}`);
      temps.push([temp, change.file]);
      writeFileSync(temp, change.contents ?? '');
    }
    flushToDisk(
      [...cleaned],
      temps.map(([temp]) => temp),
    );
    for (const [temp, file] of temps) {
      try {
        linkSync(temp, file);
        created++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // made meanwhile: it is the application's
      }
    }
  } finally {
    for (const [temp] of temps) rmSync(temp, { force: true });
  }
  return created;
}

const TEMP_SUFFIX = '.eventgen-tmp';

/** What runs killed while creating a file here left beside it (`.<name>.<pid>.eventgen-tmp`). */
function removeKilledTemps(dir: string): void {
  for (const name of topLevelFiles(dir)) {
    const pid = /^\..+\.(\d+)\.eventgen-tmp$/.exec(name)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) rmSync(path.join(dir, name), { force: true });
  }
}

function topLevelFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
