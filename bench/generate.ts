/**
 * P1: whole-process wall time of `eventgen generate` on docs/ against the quicktype CLI making
 * TypeScript from the same extracted samples (one folder per event type, one file per sample).
 * Median of at least 5 runs after a warm-up.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extract } from '../generator/extract/index.ts';
import { eventDataTypeName } from '../generator/names.ts';
import { median, type Options, type Result, ROOT, timeProcess } from './harness.ts';

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
    const eventgen = () =>
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
      ]);
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
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < runs; i++) {
      rmSync(path.join(work, 's'), { recursive: true, force: true });
      rmSync(path.join(work, 'g'), { recursive: true, force: true });
      ours.push(eventgen().ms);
      theirs.push(quicktype().ms);
    }
    const a = median(ours);
    const b = median(theirs);
    return {
      name: 'P1 generate',
      rows: [
        {
          bench: 'P1',
          case: 'docs/ → TypeScript (process wall time, median)',
          eventgen: a,
          baseline: b,
          unit: 'ms (quicktype CLI)',
          ratio: a / b,
        },
      ],
      details: {
        runs,
        eventgen: ours,
        quicktype: theirs,
        note: 'eventgen also writes schemas, validators, fixtures and handlers; quicktype writes types only',
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
