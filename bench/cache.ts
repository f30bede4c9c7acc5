/**
 * P1, cold and warm: whole-process wall time of `eventgen generate` on a doc set of many event types
 * (the public corpus' en-us pages, test/fixtures/corpus/en-us) against the quicktype CLI making
 * TypeScript from the same extracted samples (one folder per event type, one file per sample).
 *
 * - cold: no output folders yet and an empty declaration cache (CACHE_DIR a new folder for each run):
 *   json-schema-to-typescript and prettier print every declaration of data.ts;
 * - warm: a re-run after one doc changed (a field added to one sample, on its line, so no other sample
 *   moves), with the output and the cache of the run before it: what people wait for when a doc is
 *   added or edited. Each round adds another field, so each re-run has one declaration to compile.
 *
 * Rounds alternate the contestants; figures are medians (the rows of bench/generate.ts are docs/'s). The row's
 * ratio is of wall times; the case also gives the CPU times and the median of the rounds' CPU ratios.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extract } from '../generator/extract/index.ts';
import { eventDataTypeName } from '../generator/names.ts';
import { median, type Options, type ProcessTime, type Result, ROOT, type Row, timeProcess, withTarget } from './harness.ts';

const DOC_SET = 'test/fixtures/corpus/en-us';

/**
 * `run` (a `timeProcess`) with CACHE_DIR set for the child (the harness passes the environment on as it is): the
 * benchmarks give eventgen a cache folder of their own, never the project's node_modules/.cache.
 */
export function withCacheDir<T>(dir: string, run: () => T): T {
  const before = process.env.CACHE_DIR;
  process.env.CACHE_DIR = dir;
  try {
    return run();
  } finally {
    if (before === undefined) delete process.env.CACHE_DIR;
    else process.env.CACHE_DIR = before;
  }
}

export async function run({ quick }: Options): Promise<Result> {
  const work = mkdtempSync(path.join(tmpdir(), 'eventgen-bench-p1-cache-'));
  try {
    const docsDir = path.join(work, 'docs');
    cpSync(path.join(ROOT, DOC_SET), docsDir, { recursive: true });
    const names = readdirSync(docsDir).filter((f) => f.endsWith('.md') && f !== 'SOURCES.md');
    const docs = names.map((f) => ({ path: `docs/${f}`, text: readFileSync(path.join(docsDir, f), 'utf8') }));
    const samples = extract(docs).extraction.samples;
    const eventTypes = new Set(samples.map((s) => s.eventType)).size;
    const samplesDir = path.join(work, 'samples');
    for (const [i, sample] of samples.entries()) {
      const dir = path.join(samplesDir, eventDataTypeName(sample.eventType));
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(sample.data));
    }
    const eventgen = (out: string, cache: string) =>
      withCacheDir(cache, () =>
        timeProcess(
          [
            path.join(ROOT, 'bin/eventgen.js'),
            'generate',
            '--docs',
            docsDir,
            '--schemas',
            path.join(out, 's'),
            '--out',
            path.join(out, 'g'),
            '--quiet',
          ],
          work,
        ),
      );
    const quicktype = () =>
      timeProcess([
        path.join(ROOT, 'node_modules/quicktype/dist/index.js'),
        '--lang',
        'ts',
        '--src-lang',
        'json',
        '-o',
        path.join(work, 'qt.ts'),
        samplesDir,
      ]);

    // The doc the warm rounds edit: its first sample's data gains a field on the line it opens.
    const edited = path.join(
      docsDir,
      names.find((f) => /"data"\s*:\s*\{/.test(readFileSync(path.join(docsDir, f), 'utf8'))) ?? '',
    );
    const original = readFileSync(edited, 'utf8');
    const editDoc = (round: number) =>
      writeFileSync(
        edited,
        original.replace(/"data"\s*:\s*\{/, (open) => `${open} "benchField${round}": ${round},`),
      );

    const runs = quick ? 1 : 5;
    if (!quick) {
      eventgen(path.join(work, 'warm-up'), path.join(work, 'warm-up-cache'));
      quicktype();
    }
    const cold: ProcessTime[] = [];
    const theirs: ProcessTime[] = [];
    for (let i = 0; i < runs; i++) {
      cold.push(eventgen(path.join(work, `cold-${i}`), path.join(work, `cold-cache-${i}`)));
      theirs.push(quicktype());
    }
    // Warm: the output and the cache of the first cold run, one doc changed before each re-run.
    const warm: ProcessTime[] = [];
    for (let i = 0; i < runs; i++) {
      editDoc(i);
      warm.push(eventgen(path.join(work, 'cold-0'), path.join(work, 'cold-cache-0')));
      theirs.push(quicktype());
    }
    writeFileSync(edited, original);
    const c = median(cold.map((r) => r.ms));
    const w = median(warm.map((r) => r.ms));
    const q = median(theirs.map((r) => r.ms));
    const cpu = (list: ProcessTime[]) => (median(list.map((r) => r.cpuMs)) / 1000).toFixed(1);
    // On a loaded machine CPU time is the steadier measure: the median over the rounds of eventgen's CPU time
    // over the quicktype run of the same round (each eventgen run is followed by one).
    const cpuRatio = (list: ProcessTime[], offset: number) =>
      median(list.map((r, i) => r.cpuMs / (theirs[offset + i]?.cpuMs ?? Number.NaN))).toFixed(2);
    const rows: Row[] = [
      withTarget(
        {
          bench: 'P1',
          case: `cold: ${eventTypes} event types (${DOC_SET}) → TypeScript, no cache (wall time, median; CPU ${cpu(cold)} s vs ${cpu(theirs)} s, ${cpuRatio(cold, 0)}× by round)`,
          eventgen: c,
          baseline: q,
          unit: 'ms (quicktype CLI)',
          ratio: c / q,
        },
        '≤',
        1.5,
        quick,
      ),
      withTarget(
        {
          bench: 'P1',
          case: `warm: the same re-run after one doc changed, with the cache (CPU ${cpu(warm)} s, ${cpuRatio(warm, runs)}× by round)`,
          eventgen: w,
          baseline: q,
          unit: 'ms (quicktype CLI)',
          ratio: w / q,
        },
        '≤',
        0.5,
        quick,
      ),
    ];
    return {
      name: 'P1 generate, cold and warm',
      rows,
      details: {
        runs,
        docSet: DOC_SET,
        eventTypes,
        samples: samples.length,
        editedDoc: path.basename(edited),
        cold: cold.map(({ stdout: _, ...r }) => r),
        warm: warm.map(({ stdout: _, ...r }) => r),
        quicktype: theirs.map(({ stdout: _, ...r }) => r),
        note: 'eventgen also writes schemas, validators, fixtures and handlers; quicktype writes types only',
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
