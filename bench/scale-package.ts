/**
 * P5: the generated package at scale. `eventgen generate` on the synthetic corpus of N = 1000 event types
 * (as P2), then the package is built as a user builds it (`tsc -p tsconfig.json`, its own build script's
 * compiler step): wall time and peak memory of that build, the size of `dist/`, and whether importing the
 * webhook entry point reaches any fixture code (its static import graph in `dist/`).
 * Targets: build ≤ 10 s and ≤ 1 GiB, `dist/` ≤ 8 MB (8,000,000 bytes, shown in MiB), no fixture code.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCorpus } from './corpus.ts';
import { type Options, type Result, ROOT, timeProcess, withTarget } from './harness.ts';

function sizeOf(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    bytes += entry.isDirectory() ? sizeOf(full) : statSync(full).size;
  }
  return bytes;
}

/** The modules `entry` reaches through static relative imports (dynamic `import()` is lazy, not counted). */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/gm)) {
      visit(path.resolve(path.dirname(file), m[1] as string));
    }
    for (const m of text.matchAll(/^import\s+['"](\.[^'"]+)['"]/gm)) visit(path.resolve(path.dirname(file), m[1] as string));
  };
  visit(entry);
  return seen;
}

export async function run({ quick }: Options): Promise<Result> {
  const n = quick ? 20 : 1000;
  const work = mkdtempSync(path.join(tmpdir(), 'eventgen-bench-p5-'));
  try {
    const docs = writeCorpus(path.join(work, 'docs'), n);
    const out = path.join(work, 'pkg');
    timeProcess(['bin/eventgen.js', 'generate', '--docs', docs, '--schemas', path.join(work, 's'), '--out', out, '--quiet']);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const build = timeProcess([tsc, '-p', 'tsconfig.json'], out);
    // The build script copies the JavaScript modules tsc does not emit; size them as shipped.
    for (const file of readdirSync(path.join(out, 'src')).filter((f) => f.endsWith('.js'))) {
      cpSync(path.join(out, 'src', file), path.join(out, 'dist', file));
    }
    const distBytes = sizeOf(path.join(out, 'dist'));
    const graph = [...staticGraph(path.join(out, 'dist/webhook.js'))].map((f) => path.relative(path.join(out, 'dist'), f));
    const fixtures = graph.filter((f) => /fixtures/.test(f));
    const rows = [
      withTarget(
        {
          bench: 'P5',
          case: `tsc build of the package, N = ${n} (wall)`,
          eventgen: build.ms,
          baseline: 10_000,
          unit: 'ms vs 10 s',
          ratio: build.ms / 10_000,
        },
        '≤',
        1,
        quick,
      ),
      withTarget(
        {
          bench: 'P5',
          case: `tsc build of the package, N = ${n} (peak memory)`,
          eventgen: build.peakMiB,
          baseline: 1024,
          unit: 'MiB vs 1 GiB',
          ratio: build.peakMiB / 1024,
        },
        '≤',
        1,
        quick,
      ),
      withTarget(
        {
          bench: 'P5',
          case: `dist/ size, N = ${n}`,
          eventgen: distBytes / 2 ** 20,
          baseline: 8e6 / 2 ** 20,
          unit: 'MiB vs 8 MB (7.63 MiB)',
          ratio: distBytes / 8e6,
        },
        '≤',
        1,
        quick,
      ),
      withTarget(
        {
          bench: 'P5',
          case: `fixture modules the webhook entry imports (of ${graph.length} modules)`,
          eventgen: fixtures.length,
          baseline: 1,
          unit: 'modules',
          ratio: fixtures.length,
        },
        '≤',
        0,
        quick,
      ),
    ];
    return { name: 'P5', rows, details: { n, buildMs: build.ms, peakMiB: build.peakMiB, distBytes, webhookGraph: graph } };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
