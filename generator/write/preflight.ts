/**
 * Checks made before a run reads anything: the output paths are what they must be (folders
 * for `--out`, `--schemas`, each `--out-<lang>` and `--handlers`, a file, a character device or a FIFO for `--report-json`, report.ts),
 * and each output folder is one eventgen may write into (manifest.ts). Each problem is a
 * diagnostic naming the path.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { MANIFEST_FILE, type Ownership } from './manifest.ts';
import { display } from './paths.ts';
import { ReportPathError, reportTarget } from './report.ts';

export interface OutputFolder {
  /** The option that names it (`--out`, `--out-csharp`). */
  readonly flag: string;
  /** Absolute path, as the option gives it. */
  readonly dir: string;
  /** What it is, for messages: `the folder of the generated package`. */
  readonly what: string;
}

export interface OutputPaths {
  readonly folders: readonly OutputFolder[];
  /** Absolute path. */
  readonly reportJson?: string;
}

export function checkOutputPaths(paths: OutputPaths): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const problem = (file: string, message: string) =>
    problems.push(diagnostic('E_OUTPUT_PATH', message, { file: display(file), line: 1 }));
  for (const { flag, dir: folder, what } of paths.folders) {
    const blocker = fileInTheWay(folder);
    if (blocker === folder) problem(folder, `${display(folder)} is a file, but ${flag} names ${what}`);
    else if (blocker !== undefined) {
      problem(blocker, `${display(blocker)} is a file, so ${flag} ${display(folder)} (${what}) cannot be created`);
    }
  }
  if (paths.reportJson !== undefined) {
    const report = paths.reportJson;
    const blocker = fileInTheWay(path.dirname(report));
    if (blocker !== undefined) {
      problem(blocker, `${display(blocker)} is a file, so the --report-json file ${display(report)} cannot be created`);
    } else {
      try {
        reportTarget(report);
      } catch (error) {
        if (!(error instanceof ReportPathError)) throw error;
        problem(report, error.message);
      }
    }
  }
  return problems;
}

/** The first path from `folder` up that exists and is not a folder, if any. */
function fileInTheWay(folder: string): string | undefined {
  for (let at = folder; ; at = path.dirname(at)) {
    if (existsSync(at)) return statSync(at).isDirectory() ? undefined : at;
    if (path.dirname(at) === at) return undefined;
  }
}

/** Shown at most, of the files that make a folder someone else's. */
const NAMED = 5;

export function ownershipProblem(ownership: Ownership, flag: string, folder: string): Diagnostic | undefined {
  if (ownership.kind === 'foreign') {
    const shown = ownership.unknown.slice(0, NAMED).join(', ') + (ownership.unknown.length > NAMED ? ', …' : '');
    return diagnostic(
      'E_OUTPUT_NOT_OURS',
      `${display(folder)} (${flag}) holds files eventgen did not write (${shown}) and no ${MANIFEST_FILE}, so eventgen will not write there`,
      { file: display(folder), line: 1 },
    );
  }
  if (ownership.kind === 'unreadable') {
    return diagnostic(
      'E_OUTPUT_NOT_OURS',
      `${display(folder)} (${flag}): ${ownership.reason}. Restore it from version control, or delete it if every file there is eventgen's`,
      { file: display(path.join(folder, MANIFEST_FILE)), line: 1 },
    );
  }
  return undefined;
}
