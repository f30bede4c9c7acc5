/**
 * Reading the recorded events of `--observed`: files named as they are, folders searched recursively for
 * `.ndjson` and `.jsonl` files (what the package's `recordTo` writes). A path that cannot be read is an error
 * naming it; what the lines hold is the extract stage's (extract/observed.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { DocFile } from '../ir.ts';
import { display } from './paths.ts';

const RECORDED = /\.(ndjson|jsonl)$/i;

export function readObservedFiles(paths: readonly string[]): { files: DocFile[]; diagnostics: Diagnostic[] } {
  const files: DocFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const read = (file: string) => {
    const absolute = path.resolve(file);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    try {
      files.push({ path: display(absolute), text: readFileSync(absolute, 'utf8') });
    } catch (error) {
      diagnostics.push(
        diagnostic('E_OBSERVED_READ', `cannot read recorded events: ${(error as Error).message}`, {
          file: display(absolute),
          line: 1,
        }),
      );
    }
  };
  for (const given of paths) {
    let isFolder: boolean;
    try {
      const info = statSync(given);
      isFolder = info.isDirectory();
      // A FIFO, device or socket is never opened: reading it could block the run for ever.
      if (!isFolder && !info.isFile()) {
        const shown = display(path.resolve(given));
        diagnostics.push(diagnostic('E_OBSERVED_READ', `--observed ${given}: not a file or a folder`, { file: shown, line: 1 }));
        continue;
      }
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message;
      diagnostics.push(
        diagnostic('E_OBSERVED_READ', `--observed ${given}: ${reason}`, { file: display(path.resolve(given)), line: 1 }),
      );
      continue;
    }
    if (!isFolder) {
      read(given);
      continue;
    }
    const found = (readdirSync(given, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((entry) => entry.isFile() && RECORDED.test(entry.name))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
    for (const file of found) read(file);
  }
  return { files, diagnostics };
}
