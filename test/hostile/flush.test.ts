/**
 * What the write stage puts on disk before its journal names it (flushToDisk in generator/write/swap.ts): on Linux one
 * syncfs of the filesystem (`sync -f`) for all the files written; where that fails or is missing, an fsync of every
 * file written and of every folder under the flushed folders; a file that cannot be flushed stops the caller.
 */
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushToDisk } from '../../generator/write/swap.ts';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return { ...actual, default: actual, fsyncSync: vi.fn(actual.fsyncSync) };
});
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  return { ...actual, default: actual, spawnSync: vi.fn(actual.spawnSync) };
});

const dirs: string[] = [];
afterEach(() => {
  vi.mocked(fs.fsyncSync).mockClear();
  vi.mocked(childProcess.spawnSync).mockClear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder `next` with two files and a subfolder with one. */
function tree() {
  const root = mkdtempSync(path.join(tmpdir(), 'eventgen-flush-'));
  dirs.push(root);
  const next = path.join(root, 'next');
  mkdirSync(path.join(next, 'src'), { recursive: true });
  const files = [path.join(next, 'a.json'), path.join(next, 'b.json'), path.join(next, 'src/c.ts')];
  for (const file of files) writeFileSync(file, 'x');
  return { next, files };
}

describe('flushToDisk', () => {
  it.runIf(process.platform === 'linux')('flushes the filesystem once on Linux, with no fsync per file', () => {
    const { next, files } = tree();
    flushToDisk([next], files);
    expect(vi.mocked(childProcess.spawnSync).mock.calls.map((call) => [call[0], call[1]])).toEqual([['sync', ['-f', next]]]);
    expect(fs.fsyncSync).not.toHaveBeenCalled();
  });

  it('fsyncs every file written and every folder when the filesystem cannot be flushed at once', () => {
    const { next, files } = tree();
    vi.mocked(childProcess.spawnSync).mockReturnValueOnce({ error: new Error('ENOENT'), status: null } as never);
    flushToDisk([next], files);
    // Three files, then the two folders (next/ and next/src/).
    expect(fs.fsyncSync).toHaveBeenCalledTimes(5);
  });

  it('throws when a file cannot be flushed', () => {
    const { next, files } = tree();
    vi.mocked(childProcess.spawnSync).mockReturnValueOnce({ status: 1 } as never);
    expect(() => flushToDisk([next], [...files, path.join(next, 'missing.json')])).toThrow(/ENOENT/);
  });
});
