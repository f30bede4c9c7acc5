/** What every benchmark shares: the environment, the table of ratios, the JSON results, process timing. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Options {
  /** Tiny iteration counts, for the smoke test that keeps the benchmarks from rotting. */
  readonly quick: boolean;
}

/** One line of the ratio table: `ratio` is eventgen's figure over the baseline's, lower is better unless `higherIsBetter`. */
export interface Row {
  readonly bench: string;
  readonly case: string;
  readonly eventgen: number;
  readonly baseline: number;
  readonly unit: string;
  readonly ratio: number;
  readonly target?: string;
  readonly met?: boolean;
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

/** Wall time of a whole process in ms, and its peak resident memory in MiB (read by a preload at exit). */
export function timeProcess(args: readonly string[], cwd = ROOT): { ms: number; peakMiB: number; stdout: string } {
  const preload = path.join(ROOT, 'bench/peak-memory.mjs');
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', preload, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr.slice(-2000)}`);
  const peak = /eventgen-bench-maxrss:(\d+)/.exec(child.stderr);
  return { ms, peakMiB: peak ? Number(peak[1]) / 1024 : Number.NaN, stdout: child.stdout };
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['bench', 'case', 'eventgen', 'baseline', 'unit', 'ratio', 'target', 'met'];
  const lines = rows.map((r) => [
    r.bench,
    r.case,
    round(r.eventgen),
    round(r.baseline),
    r.unit,
    `${r.ratio.toFixed(2)}×`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'no',
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
