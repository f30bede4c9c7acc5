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
 * writes it to `<temp>/generated` with the application's handlers folder beside it, `<temp>/handlers`
 * (as the CLI lays them out by default), and imports the package's `src/index.ts`.
 */
export async function buildPackage(
  docs: readonly DocFile[],
  existing: ReadonlyMap<string, string> = new Map(),
): Promise<{ pkg: Package; dir: string; handlersDir: string; schemas: ReadonlyMap<string, string> }> {
  const result = await run(docs, existing);
  if (result.stats.errors > 0) throw new Error(`generate failed: ${JSON.stringify(result.diagnostics)}`);
  const root = tempDir('eventgen-build-');
  built.push(root);
  const dir = path.join(root, 'generated');
  const handlersDir = path.join(root, 'handlers');
  writeFiles(dir, result.generated);
  writeFiles(handlersDir, result.skeletons);
  linkNodeModules(dir);
  linkNodeModules(root);
  const pkg = (await import(path.join(dir, 'src/index.ts'))) as Package;
  return { pkg, dir, handlersDir, schemas: result.schemas };
}

/** Removes every package built so far (call from afterAll). */
export function removeBuilt(): void {
  for (const dir of built.splice(0)) removeDir(dir);
}
