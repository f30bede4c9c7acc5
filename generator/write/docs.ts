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
  /** `root` is the project's own folder (a configuration file's): docs outside it are recorded from it too (`../shared/sms.md`). */
  readonly anchored?: boolean;
}

export interface ReadDocsResult {
  readonly docs: DocFile[];
  readonly diagnostics: Diagnostic[];
  /** Files a folder scan found but does not read, as displayed. */
  readonly skipped: string[];
}

export function readDocs(paths: readonly string[], options: ReadDocsOptions): ReadDocsResult {
  const scan = new DocScan(options);
  for (const given of paths) scan.given(given);
  const { docs, diagnostics, skipped } = scan;
  return { docs, diagnostics, skipped };
}

/** One reading of the docs: what it read, reported and skipped, and the files and folders it has been through. */
class DocScan implements ReadDocsResult {
  readonly docs: DocFile[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly skipped: string[] = [];
  /** Real paths of the files read, so a file reached twice is read once. */
  private readonly readFiles = new Set<string>();
  /** Real paths of the folders walked. */
  private readonly walked = new Set<string>();

  constructor(private readonly options: ReadDocsOptions) {}

  /** A path named on the command line: a folder is walked, a regular file read whatever its name, anything else reported. */
  given(given: string): void {
    try {
      const real = realpathSync(given);
      const stats = statSync(real);
      if (stats.isDirectory()) {
        if (!this.excluded(real)) this.walk(given, real, [real]);
      } else if (stats.isFile()) this.read(given, real);
      else this.diagnostics.push(notAFile(given, stats));
    } catch (error) {
      this.diagnostics.push(readError(given, error));
    }
  }

  private excluded(real: string): boolean {
    return this.options.exclude.some((root) => isWithin(real, root));
  }

  /** A folder's entries, by name. `stack`: real paths of the folders being walked, outermost first. */
  private walk(dir: string, real: string, stack: readonly string[]): void {
    this.walked.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      this.diagnostics.push(readError(dir, error));
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) this.link(full, entry.name, stack);
      else if (entry.isDirectory()) this.folder(full, path.join(real, entry.name), entry.name, stack);
      else this.file(full, path.join(real, entry.name), entry.name, entry.isFile());
    }
  }

  /** A symbolic link in a folder, followed once: to a folder or a file; a loop or a dangling link is a warning. */
  private link(full: string, name: string, stack: readonly string[]): void {
    let target: string;
    try {
      target = realpathSync(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.symlinkWarning(full, code === 'ELOOP' ? 'loop (it resolves to itself)' : `to nothing (${code ?? String(error)})`);
      return;
    }
    const stats = statSync(target);
    if (!stats.isDirectory()) this.file(full, target, name, stats.isFile());
    else if (stack.some((open) => isWithin(open, target))) {
      this.symlinkWarning(full, `loop (it points back to ${display(target)}, which is being read)`);
    } else if (!this.walked.has(target) && !this.excluded(target) && !hidden(name)) this.walk(full, target, [...stack, target]);
  }

  private symlinkWarning(file: string, what: string): void {
    this.diagnostics.push(diagnostic('W_DOC_SYMLINK', `symbolic link ${what}: not followed`, { file: display(file), line: 1 }));
  }

  /** A folder inside a folder: walked unless hidden, `node_modules`, excluded or walked already. */
  private folder(full: string, real: string, name: string, stack: readonly string[]): void {
    if (!hidden(name) && !SKIP_DIRS.has(name) && !this.excluded(real) && !this.walked.has(real)) {
      this.walk(full, real, [...stack, real]);
    }
  }

  /** A file a folder holds: read when its name is a doc's and it is a regular file, else counted as skipped. */
  private file(full: string, real: string, name: string, regular: boolean): void {
    if (regular && DOC_FILE.test(name)) this.read(full, real);
    else this.skipped.push(display(full));
  }

  /** Reads a doc once, however many paths reach it. */
  private read(file: string, real: string): void {
    if (this.readFiles.has(real)) return;
    this.readFiles.add(real);
    const shown = display(path.resolve(file));
    const read = readDoc(
      file,
      shown,
      recorded(this.options.root, path.resolve(file), this.options.anchored),
      this.options.maxBytes,
    );
    if ('diagnostic' in read) this.diagnostics.push(read.diagnostic);
    else {
      this.docs.push(read.doc);
      if (read.warning) this.diagnostics.push(read.warning);
    }
  }
}

/**
 * `file` relative to `root` with `/` separators (`docs/sms.md`). Without a configuration file, `root` is
 * only the folder of `--schemas`, and a doc outside it is recorded as the working folder reaches it when
 * that folder holds it (a project's docs read into schemas kept elsewhere), else relative to `root`
 * (`../shared/sms.md`); with one (`anchored`), always relative to `root`.
 */
export function recorded(root: string, file: string, anchored = false): string {
  const fromRoot = posixRelative(root, file);
  if (fromRoot.startsWith('../') && !anchored) {
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
