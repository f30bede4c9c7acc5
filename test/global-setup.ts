/**
 * Before any test file: builds the CLI into dist/ (scripts/build.mjs; nothing to do when it is up to date), so
 * the tests that run the real binary never run a build older than the sources.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './helpers.ts';

export default function setup(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
