/**
 * Builds the generated package from the current templates into a temp dir and imports it,
 * for tests of the runtime on schemas other than the committed output's (hostile names) or of
 * template changes before `generated/` is regenerated.
 */
import path from 'node:path';
import type { DocFile } from '../../generator/ir.ts';
import { linkNodeModules, removeDir, run, tempDir, writeFiles } from '../helpers.ts';

/** The package's API, typed as the committed package's (event types differ with other docs). */
export type Package = typeof import('../../generated/src/index.ts');

const built: string[] = [];

/**
 * Generates a package from `docs` and the schema files `existing` (as if curated in schemas/),
 * writes it to a temp dir and imports its `src/index.ts`.
 */
export async function buildPackage(
  docs: readonly DocFile[],
  existing: ReadonlyMap<string, string> = new Map(),
): Promise<{ pkg: Package; dir: string; schemas: ReadonlyMap<string, string> }> {
  const result = await run(docs, existing);
  if (result.stats.errors > 0) throw new Error(`generate failed: ${JSON.stringify(result.diagnostics)}`);
  const dir = tempDir('eventgen-build-');
  built.push(dir);
  writeFiles(dir, result.generated);
  writeFiles(dir, result.skeletons);
  linkNodeModules(dir);
  const pkg = (await import(path.join(dir, 'src/index.ts'))) as Package;
  return { pkg, dir, schemas: result.schemas };
}

/** Removes every package built so far (call from afterAll). */
export function removeBuilt(): void {
  for (const dir of built.splice(0)) removeDir(dir);
}
