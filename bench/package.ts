/**
 * The generated package P3 and P4 measure: made by `eventgen generate` from docs/ and a copy of schemas/ into a
 * temp dir (once per process), so that the benchmarks always measure what the generator makes now, whether or
 * not generated/ has been regenerated since the last change to the generator or the templates.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, timeProcess } from './harness.ts';

/** The package's API, typed as the committed package's (both come from the same docs and schemas). */
export type Package = typeof import('../generated/src/index.ts');

/** The package, and the schemas it was generated from (schemas/ with the docs merged, as `npm run generate` writes). */
export interface Generated {
  readonly pkg: Package;
  readonly schemasDir: string;
}

let built: Promise<Generated> | undefined;

/** The freshly generated package (built on the first call). */
export function generatedPackage(): Promise<Generated> {
  built ??= build();
  return built;
}

async function build(): Promise<Generated> {
  const dir = mkdtempSync(path.join(tmpdir(), 'eventgen-bench-package-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(ROOT, 'schemas'), path.join(dir, 'schemas'), { recursive: true });
  const out = path.join(dir, 'generated');
  // EVENTGEN_BENCH_GENERATOR=<another checkout> measures the package that checkout's generator makes (before/after).
  const generator = process.env.EVENTGEN_BENCH_GENERATOR ?? ROOT;
  const bin = path.join(generator, 'bin/eventgen.js');
  timeProcess([bin, 'generate', '--docs', 'docs', '--schemas', path.join(dir, 'schemas'), '--out', out, '--quiet']);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const pkg = (await import(path.join(out, 'src/index.ts'))) as Package;
  return { pkg, schemasDir: path.join(dir, 'schemas') };
}
