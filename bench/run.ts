/**
 * `npm run bench`: P1 generate (P1c: cold and warm, bench/cache.ts), P2 scaling, P3 validators, P4 webhook, P5 the generated package at N = 1000. Prints the environment and a
 * table of ratios, and writes JSON under bench/results/. `npm run bench -- --quick` runs tiny
 * iteration counts; `--only P3,P4` picks benchmarks.
 */
import { run as generateCache } from './cache.ts';
import { run as generate } from './generate.ts';
import { environment, formatTable, type Result, writeResults } from './harness.ts';
import { run as scalePackage } from './scale-package.ts';
import { run as scaling } from './scaling.ts';
import { run as validators } from './validators.ts';
import { run as webhook } from './webhook.ts';

export const BENCHES = { P1: generate, P1c: generateCache, P2: scaling, P3: validators, P4: webhook, P5: scalePackage } as const;

async function main(argv: readonly string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',') : Object.keys(BENCHES);
  const env = environment();
  console.log(
    `eventgen benchmarks${quick ? ' (quick)' : ''}: Node ${env.node}, ${env.cpu} × ${env.cores}, ${env.memoryGiB} GiB, ${env.platform}, ${env.date}`,
  );
  const results: Result[] = [];
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (!only.includes(name)) continue;
    console.log(`running ${name}…`);
    results.push(await bench({ quick }));
  }
  console.log(`\n${formatTable(results.flatMap((r) => r.rows))}`);
  console.log(`\nresults: ${writeResults(results, env, quick)}`);
}

await main(process.argv.slice(2));
