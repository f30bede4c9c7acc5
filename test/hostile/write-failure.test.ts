/**
 * A write that fails says truthfully what is on disk: "nothing was changed" only when that is
 * so, and which folder has which output when the failure comes mid-switch (then the next run
 * finishes the switch). The failures are made by a `renameSync` that throws on a chosen rename.
 */
import * as fs from 'node:fs';
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { egEvent, fence, page, ROOT } from '../helpers.ts';
import { cli, copyOutput, handlersOf, outputState, removeWorkspaces, workspace } from './harness.ts';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return { ...actual, default: actual, renameSync: vi.fn(actual.renameSync) };
});
const realRename = (await vi.importActual<typeof import('node:fs')>('node:fs')).renameSync;

/** Makes the first rename that `matches` throw EIO. */
function failRename(matches: (from: string, to: string) => boolean): void {
  let failed = false;
  vi.mocked(fs.renameSync).mockImplementation((from, to) => {
    if (!failed && matches(String(from), String(to))) {
      failed = true;
      throw Object.assign(new Error(`EIO: i/o error, rename '${from}' -> '${to}'`), { code: 'EIO' });
    }
    return realRename(from, to);
  });
}

let old: ReturnType<typeof workspace>;
let oldState: string;
let newState: string;
const docs = { old: '', new: '' };
const argv = (w: { schemas: string; out: string }) => [
  'generate',
  '--docs',
  docs.new,
  '--schemas',
  w.schemas,
  '--out',
  w.out,
  '--quiet',
];

beforeAll(async () => {
  const base = workspace('eventgen-write-failure-');
  docs.old = path.join(base.dir, 'docs-old');
  docs.new = path.join(base.dir, 'docs-new');
  cpSync(path.join(ROOT, 'docs'), docs.old, { recursive: true });
  cpSync(docs.old, docs.new, { recursive: true });
  writeFileSync(path.join(docs.new, 'orders.md'), page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])));
  old = workspace('eventgen-write-failure-old-');
  expect((await cli(['generate', '--docs', docs.old, '--schemas', old.schemas, '--out', old.out, '--quiet'])).code).toBe(0);
  oldState = outputState(old);
  const reference = workspace('eventgen-write-failure-new-');
  copyOutput(old, reference);
  expect((await cli(argv(reference))).code).toBe(0);
  newState = outputState(reference);
});
afterEach(() => vi.mocked(fs.renameSync).mockImplementation(realRename));
afterAll(removeWorkspaces);

describe('a write that fails', () => {
  it('before its commit point: says nothing was changed, and nothing was', async () => {
    const w = workspace('eventgen-write-failure-try-');
    copyOutput(old, w);
    failRename((_from, to) => to.endsWith('journal.json'));
    const run = await cli(argv(w));
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /error E_WRITE writing failed: EIO: i\/o error, rename '\S*\/\.generated\.eventgen-swap\/journal\.json\.tmp' -> '\S*\/\.generated\.eventgen-swap\/journal\.json'; nothing was changed: \S*\/catalog and \S*\/generated and \S*\/schemas are as before\. Check free space/,
    );
    expect(run.out.split('\n').at(-1)).toMatch(/, nothing was changed: .* are as before$/);
    expect(outputState(w)).toBe(oldState);
    // The copied output has no catalog/ (copyOutput copies schemas/, generated/ and handlers/): none is made.
    expect(readdirSync(w.dir).sort()).toEqual(['generated', 'handlers', 'schemas']);
    expect(existsSync(path.join(handlersOf(w), 'ContosoOrdersPlaced.ts'))).toBe(false);
  });

  it('mid-switch: says which folder is new and which is old, and the next run finishes the switch', async () => {
    const w = workspace('eventgen-write-failure-try-');
    copyOutput(old, w);
    failRename((from) => from === fs.realpathSync(w.schemas));
    const run = await cli(argv(w));
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /error E_WRITE writing failed: EIO: i\/o error, rename '\S*\/schemas' -> '\S*\/\.schemas\.eventgen-swap\/prev'; the switch stopped halfway: \S*\/catalog has the new output, \S*\/generated has the new output, \S*\/schemas still has the old output; the next eventgen generate finishes it \(journal in \S*\/\.catalog\.eventgen-swap\)\. Check free space/,
    );
    expect(run.err).not.toContain('nothing was changed');

    vi.mocked(fs.renameSync).mockImplementation(realRename);
    const next = await cli(argv(w));
    expect(next.code).toBe(0);
    expect(next.err).toMatch(
      /warning W_RECOVERED an eventgen run \(pid \d+\) was interrupted while switching \S*\/catalog and \S*\/generated and \S*\/schemas to its new output; the switch is now finished\./,
    );
    expect(outputState(w)).toBe(newState);
    expect(readdirSync(w.dir).sort()).toEqual(['catalog', 'generated', 'handlers', 'schemas']);
  });

  it('with --lang, each language folder is switched with the others: none changes when the write fails, all do when it succeeds', async () => {
    const w = workspace('eventgen-write-failure-try-');
    copyOutput(old, w);
    const python = path.join(w.dir, 'generated-python');
    failRename((_from, to) => to.endsWith('journal.json'));
    const failed = await cli([...argv(w), '--lang', 'python']);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(
      /nothing was changed: \S*\/catalog and \S*\/generated and \S*\/generated-python and \S*\/schemas are as before\./,
    );
    expect(outputState(w)).toBe(oldState);
    expect(existsSync(python)).toBe(false);

    failRename((from) => from.endsWith('next') && !from.includes('python'));
    const halfway = await cli([...argv(w), '--lang', 'python']);
    expect(halfway.code).toBe(1);
    // Neither catalog/ (the copied output has none) nor generated-python/ existed before: no old output in a prev/.
    expect(halfway.err).toMatch(
      /the switch stopped halfway: \S*\/catalog does not exist yet \(it had no old output\), \S*\/generated still has the old output, \S*\/generated-python does not exist yet \(it had no old output\), \S*\/schemas still has the old output; the next eventgen generate finishes it \(journal in \S*\/\.catalog\.eventgen-swap\)/,
    );
    vi.mocked(fs.renameSync).mockImplementation(realRename);
    // The next run finishes the switch first, even one that does not ask for the language.
    const next = await cli(argv(w));
    expect(next.code).toBe(0);
    expect(next.err).toMatch(/W_RECOVERED .*generated-python/);
    expect(outputState(w)).toBe(newState);
    expect(readdirSync(python).sort()).toEqual(['.eventgen-manifest.json', 'eventgen_events', 'pyproject.toml']);
    expect(readdirSync(w.dir).sort()).toEqual(['catalog', 'generated', 'generated-python', 'handlers', 'schemas']);
  });

  it('into a folder another live run holds: refused, nothing changed; once its lock is gone, the run goes ahead', async () => {
    const w = workspace('eventgen-write-failure-try-');
    copyOutput(old, w);
    const lock = path.join(w.dir, '.generated.eventgen-swap');
    fs.mkdirSync(path.join(lock, 'next'), { recursive: true });
    writeFileSync(path.join(lock, 'owner'), String(process.ppid)); // a live process that is not this one
    const before = outputState(w);
    const refused = await cli(argv(w));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      new RegExp(
        `error E_OUTPUT_BUSY another eventgen run \\(pid ${process.ppid}\\) holds the lock \\S*\\.generated\\.eventgen-swap; if no eventgen run is going on, delete \\S*owner and run again`,
      ),
    );
    expect(outputState(w)).toBe(before);

    fs.rmSync(path.join(lock, 'owner'));
    const next = await cli(argv(w));
    expect(next.code).toBe(0);
    expect(next.err).toMatch(/warning W_RECOVERED .*interrupted before it changed \S*generated; its unfinished copy was removed/);
    expect(outputState(w)).toBe(newState);
    expect(readdirSync(w.dir).sort()).toEqual(['catalog', 'generated', 'handlers', 'schemas']);
    expect(existsSync(path.join(handlersOf(w), 'ContosoOrdersPlaced.ts'))).toBe(true);
  });
});
