/**
 * Reading the docs: the paths given to `--docs`, folders searched recursively. A folder
 * scan reads pages (`.md`, `.markdown`, `.txt`: Microsoft Learn exports pages as `.txt`)
 * and JSON sample files, and counts every other file as skipped; a file named on the
 * command line is read whatever its extension, if it is a regular file (a FIFO, a device
 * or a socket is an error and never opened: a FIFO nobody writes would block forever).
 * Nothing is dropped silently: symlinks are followed once (a loop or a dangling link is a
 * warning), files over the size limit are an error, and bytes that are not valid text are
 * reported with their line (decode.ts). The output and schemas folders are never read as
 * docs, even inside a docs folder.
 */
import { closeSync, type Dirent, fstatSync, openSync, readdirSync, readSync, realpathSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { DocFile } from '../ir.ts';
import { decode } from './decode.ts';
import { display, isWithin, posixRelative } from './paths.ts';

/** Files a folder scan reads. */
export const DOC_FILE = /\.(md|markdown|txt|json)$/i;
/** Folders a scan never enters (besides hidden ones). */
const SKIP_DIRS = new Set(['node_modules']);

export const MEGABYTE = 1024 * 1024;
export const DEFAULT_MAX_DOC_MB = 10;

export interface ReadDocsOptions {
  /** The largest file read, in bytes. */
  readonly maxBytes: number;
  /** Real paths of folders never read as docs (the output and schemas folders). */
  readonly exclude: readonly string[];
  /**
   * The folder each doc's path is recorded relative to (with `/` separators), in the schemas and the
   * package: the project's, so that the output is the same from any working directory. Diagnostics
   * about reading a file name it as shown to people (relative to the working directory).
   */
  readonly root: string;
}

export interface ReadDocsResult {
  readonly docs: DocFile[];
  readonly diagnostics: Diagnostic[];
  /** Files a folder scan found but does not read, as displayed. */
  readonly skipped: string[];
}

export function readDocs(paths: readonly string[], options: ReadDocsOptions): ReadDocsResult {
  const docs: DocFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const skipped: string[] = [];
  const readFiles = new Set<string>();
  const walked = new Set<string>();
  const excluded = (real: string) => options.exclude.some((root) => isWithin(real, root));

  const add = (file: string, real: string) => {
    if (readFiles.has(real)) return;
    readFiles.add(real);
    const shown = display(path.resolve(file));
    const read = readDoc(file, shown, recorded(options.root, path.resolve(file)), options.maxBytes);
    if ('diagnostic' in read) diagnostics.push(read.diagnostic);
    if ('doc' in read) docs.push(read.doc);
    if ('warning' in read && read.warning) diagnostics.push(read.warning);
  };
  const symlinkWarning = (file: string, what: string) =>
    diagnostics.push(diagnostic('W_DOC_SYMLINK', `symbolic link ${what}: not followed`, { file: display(file), line: 1 }));

  /** `stack`: real paths of the folders being walked, outermost first. */
  const walk = (dir: string, real: string, stack: readonly string[]) => {
    walked.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      diagnostics.push(readError(dir, error));
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(full);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          symlinkWarning(full, code === 'ELOOP' ? 'loop (it resolves to itself)' : `to nothing (${code ?? String(error)})`);
          continue;
        }
        const stats = statSync(target);
        if (stats.isDirectory()) {
          if (stack.some((open) => isWithin(open, target))) {
            symlinkWarning(full, `loop (it points back to ${display(target)}, which is being read)`);
          } else if (!walked.has(target) && !excluded(target) && !hidden(entry.name)) {
            walk(full, target, [...stack, target]);
          }
        } else if (stats.isFile() && DOC_FILE.test(entry.name)) add(full, target);
        else skipped.push(display(full));
      } else if (entry.isDirectory()) {
        const child = path.join(real, entry.name);
        if (!hidden(entry.name) && !SKIP_DIRS.has(entry.name) && !excluded(child) && !walked.has(child)) {
          walk(full, child, [...stack, child]);
        }
      } else if (entry.isFile() && DOC_FILE.test(entry.name)) add(full, path.join(real, entry.name));
      else skipped.push(display(full));
    }
  };

  for (const given of paths) {
    try {
      const real = realpathSync(given);
      const stats = statSync(real);
      if (stats.isDirectory()) {
        if (!excluded(real)) walk(given, real, [real]);
      } else if (stats.isFile()) add(given, real);
      else diagnostics.push(notAFile(given, stats));
    } catch (error) {
      diagnostics.push(readError(given, error));
    }
  }
  return { docs, diagnostics, skipped };
}

/**
 * `file` relative to `root` with `/` separators (`docs/sms.md`). A doc outside the project's folder
 * has no path that is the same from everywhere: it is recorded as the working folder reaches it when
 * that folder holds it (a project's docs read into schemas kept elsewhere), else relative to `root`
 * (`../shared/sms.md`).
 */
export function recorded(root: string, file: string): string {
  const fromRoot = posixRelative(root, file);
  if (fromRoot.startsWith('../')) {
    const fromHere = posixRelative(process.cwd(), file);
    if (fromHere !== '' && !fromHere.startsWith('../')) return fromHere;
  }
  return fromRoot || path.basename(file);
}

const hidden = (name: string) => name.startsWith('.');

/** A path named on the command line that is neither a folder nor a regular file: never opened (a FIFO would block the run). */
function notAFile(given: string, stats: Stats): Diagnostic {
  const what = stats.isFIFO()
    ? 'a FIFO (named pipe)'
    : stats.isCharacterDevice()
      ? 'a character device'
      : stats.isBlockDevice()
        ? 'a block device'
        : stats.isSocket()
          ? 'a socket'
          : 'not a regular file';
  const shown = display(path.resolve(given));
  return diagnostic('E_DOC_NOT_A_FILE', `${shown} is ${what}, so it was not read`, { file: shown, line: 1 });
}

function readError(file: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return diagnostic('E_READ', `cannot read ${file}: ${code}`, { file, line: 1 });
}

type ReadDoc = { doc: DocFile; warning?: Diagnostic } | { diagnostic: Diagnostic };

/** Reads one doc, at most `maxBytes` (+1 to know it is over): never the whole of /dev/zero. */
function readDoc(file: string, shown: string, recordedAs: string, maxBytes: number): ReadDoc {
  const limit = Math.floor(maxBytes);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    return { diagnostic: readError(shown, error) };
  }
  const tooLarge = () => ({
    diagnostic: diagnostic(
      'E_DOC_TOO_LARGE',
      `${shown} is over the size limit of ${formatMegabytes(maxBytes)} (${limit} bytes), so it was not read`,
      { file: shown, line: 1 },
    ),
  });
  try {
    const stats = fstatSync(fd);
    if (stats.isFile() && stats.size > limit) return tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.allocUnsafe(Math.min(MEGABYTE, limit + 1));
    for (;;) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, limit + 1 - total), null);
      if (n === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, n)));
      total += n;
      if (total > limit) return tooLarge();
    }
    const { text, problem } = decode(Buffer.concat(chunks));
    const doc = { path: recordedAs, text };
    if (!problem) return { doc };
    return { doc, warning: diagnostic('W_DOC_ENCODING', problem.message, { file: shown, line: problem.line }) };
  } catch (error) {
    return { diagnostic: readError(shown, error) };
  } finally {
    closeSync(fd);
  }
}

export function formatMegabytes(bytes: number): string {
  const mb = bytes / MEGABYTE;
  return `${Number.isInteger(mb) ? mb : Number(mb.toPrecision(3))} MB`;
}
