/**
 * P2: `eventgen generate` on a deterministic synthetic corpus of N event types (ten per page,
 * three samples each in both envelopes). Wall time and peak memory per N, and the ratio of
 * 1000 to 100 (linear would be 10).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCorpus } from './corpus.ts';
import { median, type Options, type Result, timeProcess } from './harness.ts';

export async function run({ quick }: Options): Promise<Result> {
  const sizes = quick ? [5, 10, 20] : [10, 100, 1000];
  const work = mkdtempSync(path.join(tmpdir(), 'eventgen-bench-p2-'));
  try {
    const measured: { n: number; ms: number; peakMiB: number; timings: string }[] = [];
    for (const n of sizes) {
      const docs = writeCorpus(path.join(work, `docs-${n}`), n);
      const runs = quick || n >= 1000 ? 1 : 3;
      const times: number[] = [];
      let peakMiB = 0;
      const timings = '';
      for (let i = 0; i < runs; i++) {
        const out = path.join(work, `out-${n}-${i}`);
        const result = timeProcess([
          'bin/eventgen.js',
          'generate',
          '--docs',
          docs,
          '--schemas',
          path.join(out, 's'),
          '--out',
          path.join(out, 'g'),
          '--quiet',
          '--timings',
        ]);
        times.push(result.ms);
        peakMiB = Math.max(peakMiB, result.peakMiB);
        rmSync(out, { recursive: true, force: true });
      }
      measured.push({ n, ms: median(times), peakMiB, timings });
    }
    const [small, mid, large] = measured as [(typeof measured)[0], (typeof measured)[0], (typeof measured)[0]];
    const rows: Result['rows'] = measured.map((m) => ({
      bench: 'P2',
      case: `N = ${m.n} event types (time; peak ${m.peakMiB.toFixed(0)} MiB)`,
      eventgen: m.ms,
      baseline: small.ms,
      unit: `ms (vs N = ${small.n})`,
      ratio: m.ms / small.ms,
      ...(m === large && !quick ? { target: '< 10000 ms', met: m.ms < 10_000 } : {}),
    }));
    rows.push({
      bench: 'P2',
      case: `time N = ${large.n} / N = ${mid.n}`,
      eventgen: large.ms,
      baseline: mid.ms,
      unit: 'ms',
      ratio: large.ms / mid.ms,
      ...(quick ? {} : { target: '≤ 12', met: large.ms / mid.ms <= 12 }),
    });
    return { name: 'P2 scaling', rows, details: { measured } };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
