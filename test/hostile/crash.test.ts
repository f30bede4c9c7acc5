/**
 * All or nothing, with a real kill: the binary is run on a copy of an earlier output with docs
 * that change it, and SIGKILLed right after a step of its write chosen by seeded randomness
 * (every kind of step at least once: a file written beside the output, a journal, a rename, a
 * cleanup), or at a random moment before the write. Then:
 * - right after the kill, schemas/, generated/ and catalog/ are exactly the old output or exactly
 *   the new one, or, only while a journal says how to finish, the three folders are mid-switch;
 * - after the recovery the next run does first, they are exactly old or exactly new, and
 *   nothing the killed run made is left beside them;
 * - the next run ends with exactly the new output: the same version and CHANGELOG entry as a
 *   run that was never interrupted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realTarget } from '../../generator/write/paths.ts';
import { recover, swapRoots } from '../../generator/write/swap.ts';
import { egEvent, fence, page, ROOT } from '../helpers.ts';
import { cli, copyOutput, handlersOf, outputState, removeWorkspaces, treeHash, workspace } from './harness.ts';

const BIN = path.join(ROOT, 'dist/bin.js');
const TRIES = 15;
/** Killed runs at once: a run spends most of its time waiting (the step pauses), so two cores take three. */
const CONCURRENCY = 3;
/** Each step pauses this long, so the kill sent on reading its marker lands before the next step. */
const STEP_DELAY_MS = 100;

afterAll(removeWorkspaces);

/** The HTML catalog's folder of a run: beside --out (the default), switched with the other two. */
const catalogOf = (w: { out: string }) => path.join(path.dirname(w.out), 'catalog');

/** Copies a run's output with its catalog/, the third folder a run owns (copyOutput copies the other two and handlers/). */
function copyAll(from: { schemas: string; out: string }, to: { schemas: string; out: string }): void {
  copyOutput(from, to);
  cpSync(catalogOf(from), catalogOf(to), { recursive: true, verbatimSymlinks: true });
}

/** The state of a run's three output folders: schemas/ and generated/ as outputState has them, and catalog/. */
const threeState = (w: { schemas: string; out: string }) => JSON.stringify([outputState(w), treeHash(catalogOf(w))]);

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Killed {
  steps: string[];
  /** Whether the kill landed (false: the run ended before it). */
  killed: boolean;
  stderr: string;
}

/** Runs the binary; kills it after step number `afterStep` (1-based), or after `afterMs` when given. */
function runAndKill(argv: string[], kill: { afterStep?: number; afterMs?: number }): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, ...argv], {
      cwd: ROOT,
      env: {
        ...process.env,
        EVENTGEN_TEST_WRITE_DELAY_MS: String(STEP_DELAY_MS),
        // The run waits at the step it is to be killed after, so the kill lands there on a busy machine too.
        ...(kill.afterStep === undefined ? {} : { EVENTGEN_TEST_STOP_AT_STEP: String(kill.afterStep) }),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const steps: string[] = [];
    let stderr = '';
    let killed = false;
    const killNow = () => {
      if (!killed && child.exitCode === null) killed = child.kill('SIGKILL');
    };
    const timer = kill.afterMs === undefined ? undefined : setTimeout(killNow, kill.afterMs);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      for (const match of chunk.matchAll(/eventgen-test-step (\w+)/g)) {
        steps.push(match[1] ?? '');
        if (steps.length === kill.afterStep) killNow();
      }
    });
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ steps, killed, stderr });
    });
  });
}

/**
 * Runs the binary once per entry, CONCURRENCY at a time, each killed as its entry says; the results in the entries'
 * order. Nothing else runs in this process meanwhile, so each kill is sent as soon as its step's marker is read.
 */
async function killAll(runs: { argv: string[]; kill: { afterStep?: number; afterMs?: number } }[]): Promise<Killed[]> {
  const results: Killed[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started < runs.length) {
        const i = started++;
        const entry = runs[i] as (typeof runs)[number];
        results[i] = await runAndKill(entry.argv, entry.kill);
      }
    }),
  );
  return results;
}

describe('a run killed at any moment of its write', () => {
  it(`leaves exactly the old or the new output, and the next run finishes it (${TRIES} kills)`, {
    timeout: 600_000,
  }, async () => {
    const base = workspace('eventgen-crash-');
    const oldDocs = path.join(base.dir, 'docs-old');
    const newDocs = path.join(base.dir, 'docs-new');
    cpSync(path.join(ROOT, 'docs'), oldDocs, { recursive: true });
    cpSync(oldDocs, newDocs, { recursive: true });
    writeFileSync(path.join(newDocs, 'orders.md'), page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1', total: 2 })])));

    // The old output, and the new one as an uninterrupted run of the binary writes it (which also lists its steps).
    const old = workspace('eventgen-crash-old-');
    expect((await cli(['generate', '--docs', oldDocs, '--schemas', old.schemas, '--out', old.out, '--quiet'])).code).toBe(0);
    const oldState = threeState(old);
    const probe = workspace('eventgen-crash-new-');
    copyAll(old, probe);
    const argv = (w: { schemas: string; out: string }) => [
      'generate',
      '--docs',
      newDocs,
      '--schemas',
      w.schemas,
      '--out',
      w.out,
      '--quiet',
    ];
    const uninterrupted = await runAndKill(argv(probe), {});
    expect(uninterrupted.killed).toBe(false);
    const newState = threeState(probe);
    expect(newState).not.toBe(oldState);
    const steps = uninterrupted.steps;
    expect(new Set(steps)).toEqual(new Set(['file', 'journal', 'rename', 'cleanup']));

    // Kill points: one right after the first step of each kind, one at a random moment before the write, the rest at random steps.
    const next = random(20_240_601);
    const points: { afterStep?: number; afterMs?: number }[] = [
      ...['file', 'journal', 'rename', 'cleanup'].map((kind) => ({ afterStep: steps.indexOf(kind) + 1 })),
      { afterStep: steps.lastIndexOf('rename') }, // between the last folder's two renames
      { afterMs: Math.floor(next() * 800) },
    ];
    while (points.length < TRIES) points.push({ afterStep: 1 + Math.floor(next() * steps.length) });

    // The killed runs go CONCURRENCY at a time (each in its own folder; a kill is sent as its step's marker is
    // read, while the run pauses STEP_DELAY_MS); each killed folder is then checked, recovered and run again.
    const tries = points.map((point) => {
      const w = workspace('eventgen-crash-try-');
      copyAll(old, w);
      return { point, w };
    });
    const runs = await killAll(tries.map((t) => ({ argv: argv(t.w), kill: t.point })));
    const seen = new Set<string>();
    for (const [i, { point, w }] of tries.entries()) {
      const run = runs[i] as Killed;
      const at = `kill ${JSON.stringify(point)} after steps [${run.steps.join(' ')}]`;
      const work = readdirSync(w.dir).filter((name) => name.includes('.eventgen-swap'));
      const journal = work.some((name) => existsSync(path.join(w.dir, name, 'journal.json')));

      const killedState = threeState(w);
      const kind = killedState === oldState ? 'old' : killedState === newState ? 'new' : 'between';
      seen.add(kind);
      if (kind === 'between') expect(journal, `${at}: a half-switched state with no journal to finish it`).toBe(true);

      recover(swapRoots([realTarget(w.schemas), realTarget(w.out), realTarget(catalogOf(w))]));
      const recovered = threeState(w);
      expect([oldState, newState], `${at}: after recovery`).toContain(recovered);
      // The second journal written is the primary's: the commit point.
      const committed = run.steps.filter((s) => s === 'journal').length >= 2;
      if (committed) expect(recovered, `${at}: committed, so finished`).toBe(newState);
      // The handlers folder is the application's (copied with the old output), not a leftover.
      expect(readdirSync(w.dir).sort(), `${at}: leftovers`).toEqual(['catalog', 'generated', 'handlers', 'schemas']);

      const again = await cli(argv(w));
      expect(again.code, `${at}: ${again.err}`).toBe(0);
      expect(threeState(w), `${at}: the next run`).toBe(newState);
      expect(existsSync(path.join(handlersOf(w), 'ContosoOrdersPlaced.ts')), `${at}: the new handler`).toBe(true);
    }
    // The kill points above reach every phase: before the commit, mid-switch, and after it.
    expect([...seen].sort()).toEqual(['between', 'new', 'old']);
  });
});

describe('a run killed right after a rename (the instants the README lists)', () => {
  it('leaves a folder missing with its old files in prev, or one folder new and one old, always with the journal; --check says so, the next run repairs it', {
    timeout: 300_000,
  }, async () => {
    const base = workspace('eventgen-rename-');
    const oldDocs = path.join(base.dir, 'docs-old');
    const newDocs = path.join(base.dir, 'docs-new');
    mkdirSync(oldDocs);
    writeFileSync(path.join(oldDocs, 'a.md'), page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])));
    cpSync(oldDocs, newDocs, { recursive: true });
    writeFileSync(path.join(newDocs, 'b.md'), page(fence([egEvent('Contoso.Orders.Shipped', { orderId: 'o1' })])));
    const argv = (docs: string, w: { schemas: string; out: string }, ...more: string[]) => [
      'generate',
      '--docs',
      docs,
      '--schemas',
      w.schemas,
      '--out',
      w.out,
      '--quiet',
      ...more,
    ];
    const old = workspace('eventgen-rename-old-');
    expect((await cli(argv(oldDocs, old))).code).toBe(0);
    const probe = workspace('eventgen-rename-new-');
    copyAll(old, probe);
    const uninterrupted = await runAndKill(argv(newDocs, probe), {});
    const renames = uninterrupted.steps.flatMap((s, i) => (s === 'rename' ? [i + 1] : []));
    expect(renames).toHaveLength(6); // three folders, two renames each
    const tree = (dir: string) => JSON.stringify(treeHash(dir));
    const oldCatalog = tree(catalogOf(old));
    const oldOut = tree(old.out);
    const oldSchemas = tree(old.schemas);
    const newCatalog = tree(catalogOf(probe));
    const newOut = tree(probe.out);
    const newSchemas = tree(probe.schemas);
    expect(newCatalog).not.toBe(oldCatalog);

    // After rename k: catalog/ (first by path), generated/, then schemas/, each T → prev, then next → T.
    const expected = [
      { catalog: 'missing', out: 'old', schemas: 'old' },
      { catalog: 'new', out: 'old', schemas: 'old' },
      { catalog: 'new', out: 'missing', schemas: 'old' },
      { catalog: 'new', out: 'new', schemas: 'old' },
      { catalog: 'new', out: 'new', schemas: 'missing' },
      { catalog: 'new', out: 'new', schemas: 'new' },
    ];
    // The killed runs go CONCURRENCY at a time, as above; each folder is then checked, checked with --check and repaired.
    const tries = renames.map((afterStep) => {
      const w = workspace('eventgen-rename-try-');
      copyAll(old, w);
      return { afterStep, w };
    });
    const runs = await killAll(tries.map(({ afterStep, w }) => ({ argv: argv(newDocs, w), kill: { afterStep } })));
    for (const [k, { w }] of tries.entries()) {
      const run = runs[k] as Killed;
      expect(run.killed).toBe(true);
      const at = `killed after rename ${k + 1}`;
      const state = (dir: string, oldTree: string, newTree: string) =>
        !existsSync(dir) ? 'missing' : tree(dir) === oldTree ? 'old' : tree(dir) === newTree ? 'new' : 'other';
      expect(
        {
          catalog: state(catalogOf(w), oldCatalog, newCatalog),
          out: state(w.out, oldOut, newOut),
          schemas: state(w.schemas, oldSchemas, newSchemas),
        },
        at,
      ).toEqual(expected[k]);
      // A missing folder's old files are in prev, its new ones in next; the transition is marked by the work folders and the journal.
      for (const [dir, oldTree, newTree] of [
        [catalogOf(w), oldCatalog, newCatalog],
        [w.out, oldOut, newOut],
        [w.schemas, oldSchemas, newSchemas],
      ] as const) {
        const work = path.join(w.dir, `.${path.basename(dir)}.eventgen-swap`);
        expect(existsSync(work), `${at}: ${work}`).toBe(true);
        if (!existsSync(dir)) {
          expect(tree(path.join(work, 'prev')), at).toBe(oldTree);
          expect(tree(path.join(work, 'next')), at).toBe(newTree);
        }
      }
      // The primary journal is the first folder's by path: catalog/'s.
      expect(existsSync(path.join(w.dir, '.catalog.eventgen-swap', 'journal.json')), at).toBe(true);

      const check = await cli(argv(newDocs, w, '--check'));
      expect([check.code, check.err], at).toEqual([1, expect.stringContaining('E_OUTPUT_BUSY')]);
      const next = await cli(argv(newDocs, w));
      expect(next.code, `${at}: ${next.err}`).toBe(0);
      expect(next.err, at).toContain('W_RECOVERED');
      expect([tree(catalogOf(w)), tree(w.out), tree(w.schemas)], `${at}: repaired`).toEqual([newCatalog, newOut, newSchemas]);
      expect(readdirSync(w.dir).sort(), `${at}: leftovers`).toEqual(['catalog', 'generated', 'handlers', 'schemas']);
    }
  });
});
