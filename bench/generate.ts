/**
 * P1: whole-process wall time of `eventgen generate` on docs/ against the quicktype CLI making
 * TypeScript from the same extracted samples (one folder per event type, one file per sample).
 * Median of at least 5 runs after a warm-up, each cold (no output, an empty cache of declarations). Beside it, what a run spends before it reads a doc:
 * `eventgen generate --help` (Node start-up, bin/eventgen.js, every module the CLI imports) against
 * `node -e 0` (Node start-up alone); the time a fresh process takes to load the modules a docs/ run
 * loads (the pipeline, dist/cli/run.js, and Handlebars' runtime, which the first template loads), as a
 * share of the whole run; and the import time of each heavy dependency on its own.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extract } from '../generator/extract/index.ts';
import { eventDataTypeName } from '../generator/names.ts';
import { withCacheDir } from './cache.ts';
import { median, type Options, type ProcessTime, type Result, ROOT, type Row, timeProcess, withTarget } from './harness.ts';

export async function run({ quick }: Options): Promise<Result> {
  const work = mkdtempSync(path.join(tmpdir(), 'eventgen-bench-p1-'));
  try {
    const docsDir = path.join(ROOT, 'docs');
    const docs = readdirSync(docsDir).map((f) => ({ path: `docs/${f}`, text: readFileSync(path.join(docsDir, f), 'utf8') }));
    const samplesDir = path.join(work, 'samples');
    for (const [i, sample] of extract(docs).extraction.samples.entries()) {
      const dir = path.join(samplesDir, eventDataTypeName(sample.eventType));
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(sample.data));
    }
    // A cold run: no output folders and an empty cache of declarations, a new folder each run.
    let cold = 0;
    const eventgen = () =>
      withCacheDir(path.join(work, `cache-${cold++}`), () =>
        timeProcess([
          'bin/eventgen.js',
          'generate',
          '--docs',
          'docs',
          '--schemas',
          path.join(work, 's'),
          '--out',
          path.join(work, 'g'),
          '--quiet',
        ]),
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
    const runs = quick ? 1 : 5;
    if (!quick) {
      eventgen();
      quicktype();
    }
    const ours: ProcessTime[] = [];
    const theirs: ProcessTime[] = [];
    for (let i = 0; i < runs; i++) {
      rmSync(path.join(work, 's'), { recursive: true, force: true });
      rmSync(path.join(work, 'g'), { recursive: true, force: true });
      ours.push(eventgen());
      theirs.push(quicktype());
    }
    const a = median(ours.map((r) => r.ms));
    const b = median(theirs.map((r) => r.ms));
    const cpu = (list: ProcessTime[]) => (median(list.map((r) => r.cpuMs)) / 1000).toFixed(1);

    // Start-up: the CLI with nothing to do (it loads every module it imports statically), and Node alone.
    const help = median(Array.from({ length: runs }, () => timeProcess(['bin/eventgen.js', 'generate', '--help']).ms));
    const node = median(Array.from({ length: runs }, () => timeProcess(['-e', '0']).ms));
    // The modules a first generation on docs/ loads, in a fresh process (the CLI's own start-up is the row above).
    const pipeline = median(
      Array.from({ length: runs }, () => importTime(path.join(ROOT, 'dist/cli/run.js'), 'handlebars/runtime.js')),
    );
    const imports = Object.fromEntries(
      (quick ? HEAVY.slice(0, 1) : HEAVY).map((specifier) => [
        specifier,
        median(Array.from({ length: quick ? 1 : 3 }, () => importTime(specifier))),
      ]),
    );
    const rows: Row[] = [
      withTarget(
        {
          bench: 'P1',
          case: `docs/ → TypeScript, cold: no cache (process wall time, median; CPU ${cpu(ours)} s vs ${cpu(theirs)} s)`,
          eventgen: a,
          baseline: b,
          unit: 'ms (quicktype CLI)',
          ratio: a / b,
        },
        // The cold goal of P1c (bench/cache.ts), on docs/.
        '≤',
        1.5,
        quick,
      ),
      {
        bench: 'P1',
        case: 'start-up and module loading: eventgen generate --help vs node -e 0',
        eventgen: help,
        baseline: node,
        unit: 'ms (Node alone)',
        ratio: help / node,
      },
      {
        bench: 'P1',
        case: 'module loading of a docs/ run (the pipeline, in a fresh process) vs the whole run',
        eventgen: pipeline,
        baseline: a,
        unit: 'ms (whole run)',
        ratio: pipeline / a,
      },
    ];
    return {
      name: 'P1 generate',
      rows,
      details: {
        runs,
        eventgen: ours.map(({ stdout: _, ...r }) => r),
        quicktype: theirs.map(({ stdout: _, ...r }) => r),
        startup: { help, node, pipeline, importMs: imports },
        note: 'eventgen also writes schemas, validators, fixtures and handlers; quicktype writes types only',
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Dependencies the generator imports, each of which takes tens of milliseconds or more to load. */
const HEAVY = [
  'quicktype-core',
  'yargs',
  // Loaded only for a declaration of data.ts the cache does not hold.
  'json-schema-to-typescript',
  'prettier',
  'ajv/dist/2020.js',
  'ajv/dist/standalone/index.js',
  'markdown-it',
  // The built CLI renders precompiled templates with the runtime; the whole of it compiles templates from source.
  'handlebars/runtime.js',
  'handlebars',
  'yaml',
  'typescript',
  'tsx/esm/api',
];

/** How long a fresh Node process takes to import `specifiers`, one after the other (ms, measured inside the process). */
function importTime(...specifiers: string[]): number {
  const imports = specifiers.map((s) => `await import(${JSON.stringify(s)});`).join(' ');
  const script = `const t = performance.now(); ${imports} console.log(performance.now() - t);`;
  return Number(timeProcess(['--input-type=module', '-e', script]).stdout.trim());
}
