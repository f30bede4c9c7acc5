/** What the CLI prints besides the diagnostics themselves: progress, the summary's tail, stale files, write failures. */
import { CATALOG, type Diagnostic, diagnostic } from '../diagnostics.ts';
import { display } from '../write/paths.ts';
import type { Change } from '../write/store.ts';
import { BusyError, WriteError } from '../write/swap.ts';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether stderr is a terminal: progress is printed only there. */
  isTTY?: boolean;
  /** How long a run goes before it prints progress (default {@link PROGRESS_AFTER_MS}). */
  progressAfterMs?: number;
}

export const consoleIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  isTTY: process.stderr.isTTY === true,
};

/** A run shorter than this prints no progress. */
export const PROGRESS_AFTER_MS = 1000;

/**
 * Progress on a terminal: one line per stage with what it made (`eventgen: infer 1000 event types (2.1 s)`),
 * printed once the run has taken longer than a second (the stages before that at once); nothing when
 * stderr is no terminal or with --quiet.
 */
export function progress(io: Io, quiet: boolean): (stage: string, made: string, ms: number) => void {
  if (quiet || io.isTTY !== true) return () => {};
  const started = performance.now();
  const after = io.progressAfterMs ?? PROGRESS_AFTER_MS;
  const held: string[] = [];
  return (stage, made, ms) => {
    held.push(`eventgen: ${stage} ${made} (${(ms / 1000).toFixed(1)} s)`);
    if (performance.now() - started >= after) for (const line of held.splice(0)) io.err(line);
  };
}

/** A diagnostic for a failed write that says what is on disk now. */
export function writeFailure(error: unknown, at: string, what: string, state = 'nothing was changed'): Diagnostic {
  if (error instanceof BusyError) {
    return diagnostic('E_OUTPUT_BUSY', `${error.message}; nothing was changed`, { file: display(error.work), line: 1 });
  }
  const message =
    error instanceof WriteError ? `${what}: ${error.message}; ${error.state}` : `${what}: ${(error as Error).message}; ${state}`;
  return diagnostic('E_WRITE', message, { file: display(at), line: 1 });
}

export function describeChange(change: Change): string {
  return { create: 'would be created', update: 'would change', delete: 'would be deleted' }[change.kind];
}

/** Shown at most, of the files a folder scan skipped. */
const SKIPPED_NAMED = 5;

export function summaryTail(diagnostics: readonly Diagnostic[], skippedFiles: readonly string[]): string {
  const parts: string[] = [];
  const blocks = diagnostics
    .filter((d) => d.code === 'E_JSON_SYNTAX' && d.severity !== CATALOG.E_JSON_SYNTAX.severity)
    .map((d) => `${d.file}:${d.line}`);
  if (blocks.length > 0) parts.push(`${blocks.length} unparseable sample blocks skipped: ${blocks.join(', ')}`);
  if (skippedFiles.length > 0) {
    const named = skippedFiles.slice(0, SKIPPED_NAMED).join(', ') + (skippedFiles.length > SKIPPED_NAMED ? ', …' : '');
    parts.push(`${skippedFiles.length} files skipped (not .md, .markdown, .txt or .json): ${named}`);
  }
  return parts.map((p) => `; ${p}`).join('');
}
