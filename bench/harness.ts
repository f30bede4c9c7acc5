/** What every benchmark shares: the environment, the table of ratios, the JSON results, process timing. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Options {
  /** Tiny iteration counts, for the smoke test that keeps the benchmarks from rotting. */
  readonly quick: boolean;
}

/**
 * One line of the ratio table: `ratio` is eventgen's figure over the baseline's (for times lower is better,
 * for rates higher). `columns` adds named cells (P3 and P4: each contestant as a ratio to the hand-written floor).
 */
export interface Row {
  readonly bench: string;
  readonly case: string;
  readonly eventgen: number;
  readonly baseline: number;
  readonly unit: string;
  readonly ratio: number;
  readonly target?: string;
  readonly met?: boolean;
  readonly columns?: Readonly<Record<string, string>>;
}

/** `n` as a ratio cell: `0.93×`. */
export function times(n: number): string {
  return `${n.toFixed(2)}×`;
}

/** A row with a target: `ratio` compared with `limit`, at least (`≥`) or at most (`≤`). */
export function withTarget(row: Omit<Row, 'target' | 'met'>, op: '≥' | '≤', limit: number, quick: boolean): Row {
  // Quick runs (the smoke test) time too little for a verdict: the target is printed, not judged.
  if (quick) return { ...row, target: `${op} ${limit}` };
  return { ...row, target: `${op} ${limit}`, met: op === '≥' ? row.ratio >= limit : row.ratio <= limit };
}

export interface Result {
  readonly name: string;
  readonly rows: Row[];
  readonly details: Record<string, unknown>;
}

export function environment() {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** What {@link timeProcess} measured of one process. */
export interface ProcessTime {
  /** Wall time, ms. */
  readonly ms: number;
  /** CPU time (user + system, every thread), ms. */
  readonly cpuMs: number;
  /** Peak resident memory, MiB. */
  readonly peakMiB: number;
  readonly stdout: string;
}

/** Wall time of a whole process, and its CPU time and peak resident memory (read by a preload at exit). */
export function timeProcess(args: readonly string[], cwd = ROOT): ProcessTime {
  const preload = path.join(ROOT, 'bench/peak-memory.mjs');
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', preload, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr.slice(-2000)}`);
  const usage = /eventgen-bench-usage:(\d+):(\d+)/.exec(child.stderr);
  return {
    ms,
    cpuMs: usage ? Number(usage[2]) / 1000 : Number.NaN,
    peakMiB: usage ? Number(usage[1]) / 1024 : Number.NaN,
    stdout: child.stdout,
  };
}

/** The median of a figure over processes. */
export function medianOf(runs: readonly ProcessTime[], figure: 'ms' | 'cpuMs' | 'peakMiB'): number {
  return median(runs.map((r) => r[figure]));
}

/** A function to time: one call checks `value` and says whether it is valid. */
export type Contestant = (value: unknown) => boolean;

/** What {@link timeBatches} measured: each contestant's median rate, and its time of each round (ms a batch). */
export interface Batches {
  /** Calls per second: the median over the rounds. */
  readonly hz: Record<string, number>;
  /** Each contestant's time of each round, ms a batch, round by round. */
  readonly rounds: Record<string, number[]>;
}

/**
 * Times each contestant on `values` (16 or more, a power of two: each call takes the next, so no branch predictor or
 * inline cache learns one input), in batches of `batch` calls: a round times one batch of each, in an order that
 * rotates from round to round (so none always runs first or after the same one). Before each batch the heap is
 * collected (`gc`, given by `--expose-gc`), so the garbage a contestant made is not collected in the next one's batch.
 * Every contestant gets its own copy of the timing loop, so that each call site sees one function, as a caller in an
 * application would.
 */
export function timeBatches(
  contestants: Readonly<Record<string, Contestant>>,
  values: readonly unknown[],
  options: { batch: number; rounds: number; warmup: number },
): Batches {
  if (values.length < 16 || (values.length & (values.length - 1)) !== 0)
    throw new Error(`timeBatches takes 16 or more inputs, a power of two (got ${values.length})`);
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('timeBatches needs --expose-gc (to collect the heap between batches)');
  const names = Object.keys(contestants);
  const loops = names.map(() => timingLoop());
  const samples: number[][] = names.map(() => []);
  let sink = 0;
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const i = (k + round) % names.length;
      collect();
      const started = performance.now();
      sink += (loops[i] as TimingLoop)(contestants[names[i] as string] as Contestant, values, options.batch);
      const ms = performance.now() - started;
      if (round >= options.warmup) (samples[i] as number[]).push(ms);
    }
  }
  if (sink < 0) throw new Error('unreachable');
  return {
    hz: Object.fromEntries(names.map((name, i) => [name, (options.batch * 1000) / median(samples[i] as number[])])),
    rounds: Object.fromEntries(names.map((name, i) => [name, samples[i] as number[]])),
  };
}

/**
 * The median over the rounds of `a`'s rate over `b`'s (each round times both back to back, under the same load of
 * the machine: a burst of other work spoils a round, not a contestant).
 */
export function rateRatio(batches: Batches, a: string, b: string): number {
  const as = batches.rounds[a] as number[];
  const bs = batches.rounds[b] as number[];
  return median(as.map((ms, round) => (bs[round] as number) / ms));
}

type TimingLoop = (check: Contestant, values: readonly unknown[], n: number) => number;

/** A fresh function (its own type feedback): `n` calls of `check`, on the inputs in turn; counts the valid verdicts. */
function timingLoop(): TimingLoop {
  return new Function(
    'check',
    'values',
    'n',
    'const mask = values.length - 1; let valid = 0; for (let i = 0; i < n; i++) if (check(values[i & mask])) valid++; return valid;',
  ) as TimingLoop;
}

/**
 * Runs a benchmark's measurement in a process of its own (`node --expose-gc --import tsx <file>`), which loads only
 * what that benchmark needs: what other benchmarks load weighs on every contestant (see P4), and the heap can be
 * collected between batches. The child finds `payload` in the environment variable `variable` and prints its
 * result as the last line of its output.
 */
export function inChild<T>(file: string, variable: string, payload: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
      cwd: ROOT,
      env: { ...process.env, [variable]: JSON.stringify(payload) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${path.relative(ROOT, file)} exited ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop() as string) as T);
    });
  });
}

/** Whether this module is the entry point of a child started by {@link inChild} with `variable`. */
export function isChild(moduleUrl: string, variable: string): boolean {
  return (
    process.env[variable] !== undefined && process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === moduleUrl
  );
}

export function formatTable(rows: readonly Row[]): string {
  const extra = [...new Set(rows.flatMap((r) => Object.keys(r.columns ?? {})))];
  const header = ['bench', 'case', 'eventgen', 'baseline', 'unit', 'ratio', 'target', 'met', ...extra];
  const lines = rows.map((r) => [
    r.bench,
    r.case,
    round(r.eventgen),
    round(r.baseline),
    r.unit,
    times(r.ratio),
    r.target ?? 'none set',
    r.met === undefined ? '—' : r.met ? 'met' : 'missed',
    ...extra.map((name) => r.columns?.[name] ?? ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmt = (cells: readonly (string | number)[]) => `| ${cells.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [fmt(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...lines.map(fmt)].join('\n');
}

function round(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toPrecision(2);
}

export function writeResults(results: readonly Result[], env: ReturnType<typeof environment>, quick: boolean): string {
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${env.date.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify({ environment: env, quick, results }, null, 2)}\n`);
  return file;
}
