/**
 * Writing all or nothing. The folders of a run (`--schemas`, `--out`; one folder when one
 * is inside the other) are replaced as a whole: beside each target T, a work folder
 * `.T.eventgen-swap/` (which is also the lock of T) receives `next/`, a copy of T (hard
 * links, so unchanged files cost nothing, handler skeletons and the user's files included)
 * with the changes applied. Then a journal is written (the commit point), and each T is
 * switched with two renames: T → `.T.eventgen-swap/prev`, `next` → T.
 *
 * A run killed before the journal leaves T untouched; one killed after it leaves a journal
 * that the next run reads first, finishing the switch (roll forward) before it reads
 * anything. With two folders, one journal is the primary (the commit point) and the other
 * points to it, so a run on either folder finishes or discards the whole switch.
 *
 * Renames within one parent folder are atomic (POSIX rename(2)). What the journal names is on
 * disk before the journal is: the files written into `next/` are flushed together once they are
 * all written (one syncfs(2) of the filesystem on Linux, through coreutils' `sync -f`; elsewhere,
 * or should that fail, an fsync of each file and of each folder of `next/`), then the journal is
 * fsynced, then its folder; after each switch its parent folder is fsynced. So a switch also survives
 * a power cut (generator/ARCHITECTURE.md, "What a crash can lose").
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { OLD_TEMP_SUFFIX } from './manifest.ts';
import { display, isWithin } from './paths.ts';

export interface Change {
  /** Absolute path of the file. */
  readonly file: string;
  readonly kind: 'create' | 'update' | 'delete';
  readonly contents?: string;
}

const WORK_SUFFIX = '.eventgen-swap';
const OWNER = 'owner';
const JOURNAL = 'journal.json';
const NEXT = 'next';
const PREV = 'prev';

/** Another run holds the lock of a folder. */
export class BusyError extends Error {
  constructor(
    readonly work: string,
    readonly pid: number,
  ) {
    super(
      `another eventgen run (pid ${pid}) holds the lock ${display(work)}; if no eventgen run is going on, delete ${display(path.join(work, OWNER))} and run again`,
    );
  }
}

/** Writing failed; `state` says truthfully what is on disk now. */
export class WriteError extends Error {
  constructor(
    message: string,
    readonly state: string,
  ) {
    super(message);
  }
}

interface JournalRoot {
  readonly target: string;
  readonly work: string;
  readonly existed: boolean;
}

interface Journal {
  readonly id: string;
  /** The work folder whose journal is the commit point. */
  readonly primary: string;
  readonly roots: readonly JournalRoot[];
}

export function workDir(root: string): string {
  return path.join(path.dirname(root), `.${path.basename(root)}${WORK_SUFFIX}`);
}

/** The folders replaced as a whole: the targets, less those inside another one. */
export function swapRoots(targets: readonly string[]): string[] {
  const unique = [...new Set(targets)].sort();
  return unique.filter((t) => !unique.some((o) => o !== t && isWithin(t, o)));
}

/**
 * Finishes (or discards, when it never reached its commit point) the switch of a run that
 * was killed, for each of `roots`; removes what killed runs left. Run before reading anything.
 */
export function recover(roots: readonly string[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const root of roots) {
    removeStaleAttempts(root);
    const work = workDir(root);
    if (!existsSync(work)) continue;
    const owner = ownerOf(work);
    if (owner !== undefined && isRunning(owner)) throw new BusyError(work, owner);
    const journal = readJournal(work);
    const who = owner === undefined ? 'an eventgen run' : `an eventgen run (pid ${owner})`;
    if (journal && committed(journal)) {
      rollForward(journal);
      const folders = journal.roots.map((r) => display(r.target)).join(' and ');
      diagnostics.push(
        diagnostic(
          'W_RECOVERED',
          `${who} was interrupted while switching ${folders} to its new output; the switch is now finished`,
          {
            file: display(root),
            line: 1,
          },
        ),
      );
    } else {
      removeWork(work);
      diagnostics.push(
        diagnostic('W_RECOVERED', `${who} was interrupted before it changed ${display(root)}; its unfinished copy was removed`, {
          file: display(root),
          line: 1,
        }),
      );
    }
  }
  return diagnostics;
}

/** For `--check`, which writes nothing: the work folder of a switch that still has to be finished, or a live run's. */
export function pendingSwitch(roots: readonly string[]): { work: string; busy: boolean } | undefined {
  for (const root of roots) {
    const work = workDir(root);
    if (!existsSync(work)) continue;
    const owner = ownerOf(work);
    if (owner !== undefined && isRunning(owner)) return { work, busy: true };
    const journal = readJournal(work);
    if (journal && committed(journal)) return { work, busy: false };
  }
  return undefined;
}

/** Applies `changes` (files inside `roots`) all or nothing; see the module comment. */
export function commit(changes: readonly Change[], roots: readonly string[]): void {
  const byRoot = changesByRoot(changes, roots);
  const touched = [...byRoot.keys()].sort();
  if (touched.length === 0) return;
  const held: string[] = [];
  let journal: Journal | undefined;
  try {
    for (const root of touched) {
      mkdirSync(path.dirname(root), { recursive: true });
      held.push(acquire(root));
    }
    const written = touched.flatMap((root) => build(root, byRoot.get(root) ?? []));
    flushToDisk(
      touched.map((root) => path.join(workDir(root), NEXT)),
      written,
    );
    journal = {
      id: randomBytes(8).toString('hex'),
      primary: workDir(touched[0] as string),
      roots: touched.map((target) => ({ target, work: workDir(target), existed: existsSync(target) })),
    };
    for (const root of journal.roots.slice(1)) writeJournal(root.work, journal);
    writeJournal(journal.primary, journal);
  } catch (error) {
    const done = journal !== undefined && committed(journal);
    if (!done) {
      for (const work of held) rmSync(work, { recursive: true, force: true });
      if (error instanceof BusyError) throw error;
      const folders = touched.map(display).join(' and ');
      throw new WriteError(
        (error as Error).message,
        `nothing was changed: ${folders} ${touched.length > 1 ? 'are' : 'is'} as before`,
      );
    }
  }
  try {
    rollForward(journal as Journal);
  } catch (error) {
    throw new WriteError((error as Error).message, describeHalfway(journal as Journal));
  }
}

/** The changes of each root they fall in; a change outside every root is a bug of the caller. */
function changesByRoot(changes: readonly Change[], roots: readonly string[]): Map<string, Change[]> {
  const byRoot = new Map<string, Change[]>();
  for (const change of changes) {
    const root = roots.find((r) => isWithin(change.file, r));
    if (root === undefined) throw new Error(`${change.file} is outside the folders of the run`);
    byRoot.set(root, [...(byRoot.get(root) ?? []), change]);
  }
  return byRoot;
}

function describeHalfway(journal: Journal): string {
  const states = journal.roots.map((r) => {
    if (!existsSync(path.join(r.work, NEXT))) return `${display(r.target)} has the new output`;
    if (existsSync(r.target)) return `${display(r.target)} still has the old output`;
    if (!r.existed) return `${display(r.target)} does not exist yet (it had no old output)`;
    return `${display(r.target)} is missing (its old output is in ${display(path.join(r.work, PREV))})`;
  });
  return `the switch stopped halfway: ${states.join(', ')}; the next eventgen generate finishes it (journal in ${display(journal.primary)})`;
}

/** Takes the lock of `root`: its work folder, created whole (with the owner's pid) by one rename. */
function acquire(root: string, retried = false): string {
  const work = workDir(root);
  const attempt = `${work}.${process.pid}.tmp`;
  rmSync(attempt, { recursive: true, force: true });
  mkdirSync(attempt);
  writeDurably(path.join(attempt, OWNER), String(process.pid));
  try {
    renameSync(attempt, work);
    return work;
  } catch (error) {
    rmSync(attempt, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || retried) throw error;
    const owner = ownerOf(work);
    if (owner !== undefined && isRunning(owner)) throw new BusyError(work, owner);
    recover([root]);
    return acquire(root, true);
  }
}

/**
 * Builds `next/` in the work folder of `root`: a copy of `root` with `changes` applied. Returns the files written (not
 * yet flushed to disk: {@link flushToDisk} does that for all of them at once).
 */
function build(root: string, changes: readonly Change[]): string[] {
  const written: string[] = [];
  const next = path.join(workDir(root), NEXT);
  if (existsSync(root)) cloneTree(root, next);
  else mkdirSync(next);
  for (const change of [...changes].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    const target = path.join(next, path.relative(root, change.file));
    let mode: number | undefined;
    try {
      mode = statSync(target).mode & 0o777;
      rmSync(target); // a hard link to the old file: never written through
    } catch {}
    if (change.kind === 'delete') continue;
    mkdirSync(path.dirname(target), { recursive: true });
    const fd = openSync(target, 'w', mode);
    try {
      writeSync(fd, change.contents ?? '');
    } finally {
      closeSync(fd);
    }
    written.push(target);
    step('file');
  }
  return written;
}

/**
 * Puts on disk `written` (files just written) and the folders `nexts` (with everything under them: files, hard links,
 * folders), as the journal needs before it names them. On Linux, one syncfs(2) of their filesystem (`sync -f`,
 * coreutils), which flushes them all in one go rather than a journal commit per file; where that is not available or
 * fails, an fsync of each written file, then of every folder under each of `nexts` (their entries). Throws when a file
 * cannot be flushed: the caller then goes no further (no journal is written, no file linked in).
 */
export function flushToDisk(nexts: readonly string[], written: readonly string[]): void {
  if (process.platform === 'linux' && nexts.length > 0) {
    const synced = spawnSync('sync', ['-f', ...nexts], { stdio: 'ignore' });
    if (synced.error === undefined && synced.status === 0) return;
  }
  for (const file of written) {
    // Opened for writing: Windows flushes only a handle with write access.
    const fd = openSync(file, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const folders = (dir: string): string[] => [
    dir,
    ...readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => folders(path.join(dir, entry.name))),
  ];
  for (const next of nexts) for (const folder of folders(next)) syncDir(folder);
}

/** Copies a folder as hard links (a plain copy where links are refused), symlinks as symlinks. */
function cloneTree(from: string, to: string): void {
  mkdirSync(to, { mode: statSync(from).mode & 0o7777 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) cloneTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (entry.isFile()) {
      if (entry.name.endsWith(OLD_TEMP_SUFFIX)) continue; // left by a killed run of an older eventgen
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    } else throw new Error(`${display(source)} is not a file, a folder or a link, so it cannot be carried over`);
  }
}

/** Performs the renames the journal still needs, then removes the work folders, the primary's journal last. */
function rollForward(journal: Journal): void {
  for (const root of journal.roots) {
    const owner = ownerOf(root.work);
    if (owner !== undefined && owner !== process.pid && isRunning(owner)) throw new BusyError(root.work, owner);
  }
  for (const root of journal.roots) {
    const next = path.join(root.work, NEXT);
    const prev = path.join(root.work, PREV);
    if (!existsSync(next)) continue;
    if (root.existed && !existsSync(prev) && existsSync(root.target)) {
      renameSync(root.target, prev);
      step('rename');
    }
    renameSync(next, root.target);
    syncDir(path.dirname(root.target));
    step('rename');
  }
  for (const root of journal.roots) if (root.work !== journal.primary) removeWork(root.work);
  removeWork(journal.primary);
}

function removeWork(work: string): void {
  rmSync(path.join(work, PREV), { recursive: true, force: true });
  step('cleanup');
  rmSync(path.join(work, NEXT), { recursive: true, force: true });
  rmSync(path.join(work, JOURNAL), { force: true });
  rmSync(work, { recursive: true, force: true });
}

/** Lock attempts (`.T.eventgen-swap.<pid>.tmp`) of runs killed while taking the lock. */
function removeStaleAttempts(root: string): void {
  const prefix = `${path.basename(workDir(root))}.`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(root));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)\.tmp$/.exec(name.slice(prefix.length))?.[1]);
    if (name.startsWith(prefix) && pid > 0 && !isRunning(pid)) {
      rmSync(path.join(path.dirname(root), name), { recursive: true, force: true });
    }
  }
}

function writeJournal(work: string, journal: Journal): void {
  const temp = path.join(work, `${JOURNAL}.tmp`);
  writeDurably(temp, `${JSON.stringify(journal, null, 2)}\n`);
  renameSync(temp, path.join(work, JOURNAL));
  syncDir(work);
  step('journal');
}

function readJournal(work: string): Journal | undefined {
  try {
    const value = JSON.parse(readFileSync(path.join(work, JOURNAL), 'utf8')) as Journal;
    return typeof value.id === 'string' && Array.isArray(value.roots) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A switch is committed once the primary work folder holds its journal. */
function committed(journal: Journal): boolean {
  return readJournal(journal.primary)?.id === journal.id;
}

function ownerOf(work: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(work, OWNER), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a live process other than this one (this one never waits for itself). */
export function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function writeDurably(file: string, contents: string, mode?: number): void {
  const fd = openSync(file, 'w', mode);
  try {
    writeSync(fd, contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a folder; the renames are still atomic.
  }
}

/**
 * Fault injection for the crash test (test/hostile/crash.test.ts). With EVENTGEN_TEST_WRITE_DELAY_MS
 * set, each step of a write (a file written into `next/`, a journal, a rename, a cleanup) prints
 * `eventgen-test-step <kind>` to stderr and pauses, so the test can kill the run right after any step;
 * step number EVENTGEN_TEST_STOP_AT_STEP (1-based) pauses for a minute, so the kill lands there however
 * busy the machine is.
 */
const STEP_DELAY = Number(process.env.EVENTGEN_TEST_WRITE_DELAY_MS) || 0;
const STOP_AT = Number(process.env.EVENTGEN_TEST_STOP_AT_STEP) || 0;
let steps = 0;
function step(kind: 'file' | 'journal' | 'rename' | 'cleanup'): void {
  if (STEP_DELAY <= 0) return;
  writeSync(2, `eventgen-test-step ${kind}\n`);
  steps += 1;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, steps === STOP_AT ? 60_000 : STEP_DELAY);
}
