/**
 * Writing the `--report-json` file, one path outside the folders of the run, by what that path is:
 * - a regular file, or a path where nothing is yet: written beside it, then renamed over it
 *   (atomic: a reader sees the old report or the new one);
 * - a symbolic link: followed, as a shell's `>` follows it. Its target, when a regular file, is
 *   replaced atomically and the link stays a link (it is the user's way of saying where the report
 *   goes); a link to nothing is refused, since creating a file wherever a stale (or planted) link
 *   points is how a write gets redirected;
 * - a character device (`/dev/null`, `/dev/stdout` on a terminal) or a FIFO (a named pipe, or a
 *   pipe such as bash's `>(jq .)`): written in place, never replaced. It is opened without
 *   blocking: a FIFO nobody reads is waited for a few seconds, then refused; a reader that takes
 *   nothing for a minute ends the write with an error, so a run never hangs on its report;
 * - anything else (a folder, a block device, a socket): refused.
 * A refusal is a {@link ReportPathError}, which the CLI reports as E_OUTPUT_PATH naming the path.
 */
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { OLD_TEMP_SUFFIX } from './manifest.ts';
import { display, realTarget } from './paths.ts';
import { isRunning, writeDurably } from './swap.ts';

/** The report path cannot be written as it is; the message names it and says what to do. */
export class ReportPathError extends Error {}

export type ReportTarget =
  /** Replaced atomically: `file` is the real path (a link's target). */
  | { readonly kind: 'replace'; readonly file: string }
  /** Written in place, through the path as given. */
  | { readonly kind: 'stream'; readonly file: string; readonly what: 'character device' | 'FIFO' };

export interface StreamLimits {
  /** How long to wait for a process to open a FIFO for reading. */
  readonly readerWaitMs: number;
  /** How long the reader may take nothing before the write gives up. */
  readonly stallMs: number;
}

export const STREAM_LIMITS: StreamLimits = { readerWaitMs: 10_000, stallMs: 60_000 };

const ALLOWED = 'give --report-json a file (created when missing), a character device such as /dev/null, or a FIFO being read';

/** What writing the report to `file` (absolute, as given) does; throws {@link ReportPathError} when it is refused. */
export function reportTarget(file: string): ReportTarget {
  let link = false;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'replace', file: realTarget(file) };
    throw error;
  }
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ReportPathError(
      `${display(file)} is a symbolic link to nothing (${code}); eventgen does not create a file through a link: create its target, or ${ALLOWED}`,
    );
  }
  const shown = link ? `${display(file)} (a symbolic link)` : display(file);
  if (stats.isFile()) return { kind: 'replace', file: link ? realpathSync(file) : file };
  if (stats.isCharacterDevice()) return { kind: 'stream', file, what: 'character device' };
  if (stats.isFIFO()) return { kind: 'stream', file, what: 'FIFO' };
  if (stats.isDirectory()) {
    throw new ReportPathError(
      `${shown} is a folder, but --report-json names the file to write the report to (such as ${display(path.join(file, 'report.json'))})`,
    );
  }
  const what = stats.isBlockDevice() ? 'a block device (a disk)' : stats.isSocket() ? 'a socket' : 'not a file';
  throw new ReportPathError(`${shown} is ${what}, which eventgen never writes a report to: ${ALLOWED}`);
}

/** Writes the report `contents` to `file` (absolute, as given), as {@link reportTarget} says. */
export function writeReport(file: string, contents: string, limits: StreamLimits = STREAM_LIMITS): void {
  const target = reportTarget(file);
  if (target.kind === 'stream') writeInPlace(target.file, target.what, Buffer.from(contents), limits);
  else replaceAtomically(target.file, contents);
}

/** Beside the file first, then renamed over it. Removes what killed runs left beside it. */
function replaceAtomically(file: string, contents: string): void {
  const dir = path.dirname(file);
  const base = path.basename(file);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    const pid = /^\.?(.*)\.(\d+)\.eventgen-tmp$/.exec(name);
    if ((pid?.[1] === base && !isRunning(Number(pid[2]))) || name === `${base}${OLD_TEMP_SUFFIX}`) {
      rmSync(path.join(dir, name), { force: true });
    }
  }
  const temp = path.join(dir, `.${base}.${process.pid}${OLD_TEMP_SUFFIX}`);
  try {
    writeDurably(temp, contents);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Opened without creating, truncating or blocking; written whole, waiting on a full pipe within `limits`. */
function writeInPlace(file: string, what: string, bytes: Buffer, limits: StreamLimits): void {
  const fd = openForWriting(file, what, limits);
  try {
    writeWhole(fd, file, what, bytes, limits);
  } finally {
    closeSync(fd);
  }
}

/** Opens `file` to write, waiting up to `limits.readerWaitMs` for a FIFO's reader to open it. */
function openForWriting(file: string, what: string, limits: StreamLimits): number {
  const flags = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
  const start = Date.now();
  for (;;) {
    try {
      return openSync(file, flags);
    } catch (error) {
      // ENXIO: a FIFO that no process has open for reading.
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
      if (Date.now() - start >= limits.readerWaitMs) {
        throw new ReportPathError(
          `no process opened the ${what} ${display(file)} for reading within ${seconds(limits.readerWaitMs)}; start its reader first, or ${ALLOWED}`,
        );
      }
    }
    sleep(20);
  }
}

/** Writes all of `bytes` to a non-blocking `fd`, waiting while the reader takes nothing for less than `limits.stallMs`. */
function writeWhole(fd: number, file: string, what: string, bytes: Buffer, limits: StreamLimits): void {
  let offset = 0;
  let progress = Date.now();
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
      progress = Date.now();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        throw new ReportPathError(`the reader of the ${what} ${display(file)} closed it before the report was written whole`);
      }
      if (code !== 'EAGAIN') throw error;
      if (Date.now() - progress >= limits.stallMs) {
        throw new ReportPathError(
          `the reader of the ${what} ${display(file)} took nothing for ${seconds(limits.stallMs)}; ${offset} of ${bytes.length} bytes of the report were written`,
        );
      }
      sleep(5);
    }
  }
}

const seconds = (ms: number) => `${ms / 1000} s`;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
