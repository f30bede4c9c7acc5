/**
 * Smoke test of `npm run bench`: every benchmark runs with tiny iteration counts, so they
 * cannot rot. It checks that each produces its rows with finite figures; it asserts nothing
 * about speed (timings belong to `npm run bench`, not to tests on shared machines).
 */
import { describe, expect, it } from 'vitest';
import { run as generateCache } from '../bench/cache.ts';
import { run as generate } from '../bench/generate.ts';
import { formatTable } from '../bench/harness.ts';
import { run as scalePackage } from '../bench/scale-package.ts';
import { run as scaling } from '../bench/scaling.ts';
import { run as validators } from '../bench/validators.ts';
import { run as webhook } from '../bench/webhook.ts';

describe('benchmarks (quick)', () => {
  it.each([
    ['P1 generate', generate, 3],
    ['P1 generate, cold and warm', generateCache, 2],
    ['P2 scaling', scaling, 4],
    ['P3 validators', validators, 9],
    ['P4 webhook', webhook, 4],
  ] as const)('%s runs and reports its rows', async (name, bench, rows) => {
    const result = await bench({ quick: true });
    expect(result.name).toBe(name);
    expect(result.rows).toHaveLength(rows);
    for (const row of result.rows) {
      expect(Number.isFinite(row.eventgen) && row.eventgen > 0, `${row.case} eventgen`).toBe(true);
      expect(Number.isFinite(row.baseline) && row.baseline > 0, `${row.case} baseline`).toBe(true);
    }
    // Every row prints its ratio as N.NN×; a row with a target prints it (quick runs judge none).
    for (const row of result.rows) expect(formatTable([row])).toMatch(new RegExp(`\\| ${row.ratio.toFixed(2)}× \\|`));
    expect(formatTable(result.rows)).toContain(result.rows[0]?.case);
  });
});

describe('P5 (quick)', () => {
  it('builds the package of a synthetic corpus, sizes dist/, and finds no fixture code behind the webhook entry', async () => {
    const result = await scalePackage({ quick: true });
    expect(result.rows).toHaveLength(4);
    const [build, memory, size, fixtures] = result.rows;
    for (const row of [build, memory, size]) expect(Number.isFinite(row?.eventgen) && (row?.eventgen ?? 0) > 0).toBe(true);
    expect(fixtures?.eventgen).toBe(0);
    expect(result.details.webhookGraph).toContain('webhook.js');
  });
});
