/**
 * P2: `eventgen generate` on a deterministic synthetic corpus of N event types (ten per page,
 * three samples each in both envelopes). Three rounds, each running every N once, interleaved (so a
 * burst of other work on the machine weighs on every N alike); per N, the median of the three runs:
 * wall time, CPU time (user + system, all threads: ajv compiles on a worker thread at large N) and peak
 * memory; and the ratio of 1000 to 100 (linear would be 10), the median of the rounds' ratios. Every run is cold:
 * no output folders and an empty cache of declarations (generator/write/cache.ts), in a folder of the run's own.
 * Goal: N = 1000 in under 3 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withCacheDir } from './cache.ts';
import { writeCorpus } from './corpus.ts';
import { median, medianOf, type Options, type ProcessTime, type Result, timeProcess, withTarget } from './harness.ts';

export async function run({ quick }: Options): Promise<Result> {
  const sizes = quick ? [5, 10, 20] : [10, 100, 1000];
  const work = mkdtempSync(path.join(tmpdir(), 'eventgen-bench-p2-'));
  try {
    const docs = new Map(sizes.map((n) => [n, writeCorpus(path.join(work, `docs-${n}`), n)]));
    const runs = new Map<number, ProcessTime[]>(sizes.map((n) => [n, []]));
    for (let round = 0; round < (quick ? 1 : 3); round++) {
      for (let k = 0; k < sizes.length; k++) {
        const n = sizes[(k + round) % sizes.length] as number;
        const out = path.join(work, `out-${n}-${round}`);
        // A cold run: no output yet and an empty cache of declarations (a folder of its own, removed with the run).
        const args = [
          'generate',
          '--docs',
          docs.get(n) as string,
          '--schemas',
          path.join(out, 's'),
          '--out',
          path.join(out, 'g'),
        ];
        runs.get(n)?.push(withCacheDir(path.join(out, 'cache'), () => timeProcess(['bin/eventgen.js', ...args, '--quiet'])));
        rmSync(out, { recursive: true, force: true });
      }
    }
    const measured = sizes.map((n) => {
      const of = runs.get(n) as ProcessTime[];
      return { n, ms: medianOf(of, 'ms'), cpuMs: medianOf(of, 'cpuMs'), peakMiB: medianOf(of, 'peakMiB'), runs: of };
    });
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
      return { ...row, target: '< 3000 ms', ...(quick ? {} : { met: m.ms < 3_000 }) };
    });
    rows.push(
      withTarget(
        {
          bench: 'P2',
          case: `time N = ${large.n} / N = ${mid.n}`,
          eventgen: large.ms,
          baseline: mid.ms,
          unit: 'ms',
          ratio: median(large.runs.map((run, round) => run.ms / (mid.runs[round] as ProcessTime).ms)),
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
