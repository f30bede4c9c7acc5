/** Shared by the hostile suites: the CLI in process, temp workspaces, and trees hashed to compare whole states of the disk. */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../generator/cli.ts';
import { removeDir, tempDir } from '../helpers.ts';

export async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const made: string[] = [];

/** A temp folder, removed by {@link removeWorkspaces}. */
export function workspace(prefix: string): { dir: string; schemas: string; out: string } {
  const dir = tempDir(prefix);
  made.push(dir);
  return { dir, schemas: path.join(dir, 'schemas'), out: path.join(dir, 'generated') };
}

export function removeWorkspaces(): void {
  for (const dir of made.splice(0)) removeDir(dir);
}

/**
 * Every entry under `dir` (hidden ones too), by relative path: a file by the SHA-256 of its
 * bytes, a link by its target, a folder as such. Undefined when `dir` does not exist.
 */
export function treeHash(dir: string): Record<string, string> | undefined {
  if (!existsSync(dir)) return undefined;
  const entries: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const full = path.join(at, name);
      const relative = path.relative(dir, full);
      const stats = lstatSync(full);
      if (stats.isSymbolicLink()) entries[relative] = `link ${readlinkSync(full)}`;
      else if (stats.isDirectory()) {
        entries[relative] = 'dir';
        walk(full);
      } else entries[relative] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return entries;
}

/** The state of a run's two output folders. */
export function outputState(w: { schemas: string; out: string }): string {
  return JSON.stringify({ schemas: treeHash(w.schemas), out: treeHash(w.out) });
}

/** The application's handlers folder of a run's output: beside --out (the default). */
export function handlersOf(w: { out: string }): string {
  return path.join(path.dirname(w.out), 'handlers');
}

/** Copies a run's output: the two folders it owns, and the handlers folder beside them. */
export function copyOutput(from: { schemas: string; out: string }, to: { schemas: string; out: string }): void {
  cpSync(from.schemas, to.schemas, { recursive: true, verbatimSymlinks: true });
  cpSync(from.out, to.out, { recursive: true, verbatimSymlinks: true });
  if (existsSync(handlersOf(from))) cpSync(handlersOf(from), handlersOf(to), { recursive: true, verbatimSymlinks: true });
}

/** `^<…/file>:<line> <severity> <code> `, as formatDiagnostic prints it. */
export function diagnosticLine(file: string, line: number, code: string): RegExp {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^(?:\\S*/)?${escaped}:${line} (?:error|warning|info) ${code} `, 'm');
}
