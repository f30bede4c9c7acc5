/**
 * P2: `eventgen generate` on a deterministic synthetic corpus of N event types (ten per page,
 * three samples each in both envelopes). Per N, the median of three runs: wall time, CPU time
 * (user + system, all threads: ajv compiles on a worker thread at large N) and peak memory; and the
 * ratio of 1000 to 100 (linear would be 10).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCorpus } from './corpus.ts';
import { medianOf, type Options, type ProcessTime, type Result, timeProcess, withTarget } from './harness.ts';

export async function run({ quick }: Options): Promise<Result> {
  const sizes = quick ? [5, 10, 20] : [10, 100, 1000];
  const work = mkdtempSync(path.join(tmpdir(), 'eventgen-bench-p2-'));
  try {
    const measured: { n: number; ms: number; cpuMs: number; peakMiB: number; runs: ProcessTime[] }[] = [];
    for (const n of sizes) {
      const docs = writeCorpus(path.join(work, `docs-${n}`), n);
      const runs: ProcessTime[] = [];
      for (let i = 0; i < (quick ? 1 : 3); i++) {
        const out = path.join(work, `out-${n}-${i}`);
        runs.push(
          timeProcess([
            'bin/eventgen.js',
            'generate',
            '--docs',
            docs,
            '--schemas',
            path.join(out, 's'),
            '--out',
            path.join(out, 'g'),
            '--quiet',
          ]),
        );
        rmSync(out, { recursive: true, force: true });
      }
      measured.push({ n, ms: medianOf(runs, 'ms'), cpuMs: medianOf(runs, 'cpuMs'), peakMiB: medianOf(runs, 'peakMiB'), runs });
    }
    const [small, mid, large] = measured as [(typeof measured)[0], (typeof measured)[0], (typeof measured)[0]];
    const rows: Result['rows'] = measured.map((m) => {
      const row = {
        bench: 'P2',
        case: `N = ${m.n} event types (wall; CPU ${(m.cpuMs / 1000).toFixed(1)} s; peak ${m.peakMiB.toFixed(0)} MiB)`,
        eventgen: m.ms,
        baseline: small.ms,
        unit: `ms (vs N = ${small.n})`,
        ratio: m.ms / small.ms,
      };
      if (m !== large) return row;
      return { ...row, target: '< 10000 ms', ...(quick ? {} : { met: m.ms < 10_000 }) };
    });
    rows.push(
      withTarget(
        {
          bench: 'P2',
          case: `time N = ${large.n} / N = ${mid.n}`,
          eventgen: large.ms,
          baseline: mid.ms,
          unit: 'ms',
          ratio: large.ms / mid.ms,
        },
        '≤',
        12,
        quick,
      ),
    );
    return {
      name: 'P2 scaling',
      rows,
      details: { measured: measured.map(({ runs, ...m }) => ({ ...m, runs: runs.map(({ stdout: _, ...r }) => r) })) },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
