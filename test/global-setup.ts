/**
 * Before any test file: builds the CLI into dist/ (scripts/build.mjs; nothing to do when it is up to date), so
 * the tests that run the real binary never run a build older than the sources; and makes the folder of the
 * declaration cache the suite's generate() calls share (helpers.ts run()), removed after the run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

/** The project's root (helpers.ts has it too, but loads the generator: not needed here). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the suite's declaration cache (write/cache.ts), fresh for each run of the suite. */
    generateCache: string;
  }
}

export default function setup(project: TestProject): () => void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const cache = mkdtempSync(path.join(tmpdir(), 'eventgen-test-cache-'));
  project.provide('generateCache', cache);
  return () => rmSync(cache, { recursive: true, force: true });
}
