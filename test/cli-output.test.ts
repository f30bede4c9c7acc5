/**
 * The built CLI (dist/, with the templates the build precompiled into dist/templates.json) writes
 * exactly what generate() returns when run from source (templates compiled from templates/): every
 * schema, every file of the package and every handler skeleton, byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileMap } from '../generator/ir.ts';
import { ROOT, removeDir, run, shippedDocs, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

/** Every file under `dir`, by path relative to it (the manifest eventgen keeps beside them left out). */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const relative of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (path.basename(relative) === '.eventgen-manifest.json') continue;
    try {
      files.set(relative.split(path.sep).join('/'), readFileSync(path.join(dir, relative), 'utf8'));
    } catch {
      // a folder
    }
  }
  return files;
}

describe('the built CLI', () => {
  it('writes what generate() returns, on docs/', async () => {
    const dir = tempDir('eventgen-cli-output-');
    dirs.push(dir);
    const out = (name: string) => path.join(dir, name);
    // Doc paths are recorded relative to the folder holding --schemas (there is no configuration file).
    cpSync(path.join(ROOT, 'docs'), out('docs'), { recursive: true });
    const cli = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'dist/bin.js'),
        'generate',
        '--docs',
        'docs',
        '--schemas',
        out('schemas'),
        '--out',
        out('generated'),
        '--handlers',
        out('handlers'),
        '--quiet',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(cli.status).toBe(0);
    const result = await run(shippedDocs());
    const sorted = (files: FileMap) => new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(sorted(readTree(out('schemas')))).toEqual(sorted(result.schemas));
    expect(sorted(readTree(out('generated')))).toEqual(sorted(result.generated));
    expect(sorted(readTree(out('handlers')))).toEqual(sorted(result.skeletons));
  });
});
