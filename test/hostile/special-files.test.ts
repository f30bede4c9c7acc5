/**
 * Paths on the command line that are not plain files: `--report-json` at a device node, a FIFO, a
 * symbolic link, and docs named as a FIFO or a device. Nothing may be replaced, nothing may hang.
 * The device nodes are made with mknod, so these cases run as root (as CI does) and are skipped
 * otherwise.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  readSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportPathError, writeReport } from '../../generator/write/report.ts';
import { egEvent, fence, page, ROOT } from '../helpers.ts';
import { cli, removeWorkspaces, workspace } from './harness.ts';

afterAll(removeWorkspaces);

const root = process.getuid?.() === 0;
const mknod = (file: string, kind: 'c' | 'b', major: number, minor: number) => {
  const made = spawn('mknod', [file, kind, String(major), String(minor)], { stdio: 'ignore' });
  return new Promise<void>((resolve, reject) =>
    made.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mknod ${code}`)))),
  );
};
const mkfifo = (file: string) => {
  const made = spawn('mkfifo', [file], { stdio: 'ignore' });
  return new Promise<void>((resolve, reject) =>
    made.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo ${code}`)))),
  );
};

/** A workspace with one small page of docs, and the arguments of a run on it. */
function small() {
  const w = workspace('eventgen-special-');
  const docs = path.join(w.dir, 'docs');
  mkdirSync(docs);
  writeFileSync(path.join(docs, 'orders.md'), page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])));
  const argv = (...more: string[]) => ['generate', '--docs', docs, '--schemas', w.schemas, '--out', w.out, '--quiet', ...more];
  return { ...w, docs, argv };
}

describe('--report-json at what is not a regular file', () => {
  it.runIf(root)('a character device (/dev/null made with mknod) is written in place, never replaced', async () => {
    const w = small();
    const device = path.join(w.dir, 'null');
    await mknod(device, 'c', 1, 3);
    const before = statSync(device);
    const run = await cli(w.argv('--report-json', device));
    expect(run.code, run.err).toBe(0);
    const after = lstatSync(device);
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
    expect(existsSync(path.join(w.out, 'package.json'))).toBe(true);
  });

  it.runIf(root)('a block device is refused before anything is read or written', async () => {
    const w = small();
    const device = path.join(w.dir, 'disk');
    await mknod(device, 'b', 7, 200);
    const run = await cli(w.argv('--report-json', device));
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /disk:1 error E_OUTPUT_PATH \S*disk is a block device \(a disk\), which eventgen never writes a report to/,
    );
    expect(lstatSync(device).isBlockDevice()).toBe(true);
    expect(existsSync(w.schemas) || existsSync(w.out)).toBe(false);
  });

  it('a FIFO with a reader gets the report through it, and stays a FIFO', async () => {
    const w = small();
    const fifo = path.join(w.dir, 'report.fifo');
    await mkfifo(fifo);
    const reader: ChildProcess = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let read = '';
    reader.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      read += chunk;
    });
    const ended = new Promise((resolve) => reader.on('exit', () => resolve(true)));
    const run = await cli(w.argv('--report-json', fifo));
    expect(run.code, run.err).toBe(0);
    // The reader ends once the report is written whole and the FIFO closed (it would wait forever for a replaced FIFO).
    const finished = await Promise.race([ended, new Promise((resolve) => setTimeout(() => resolve(false), 5_000))]);
    if (!finished) reader.kill('SIGKILL');
    expect(finished, 'the reader of the FIFO got an end of file').toBe(true);
    expect(JSON.parse(read)).toMatchObject({ changes: expect.any(Array) });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a FIFO nobody reads is waited for briefly, then refused; a reader that stops reading ends the write', () => {
    const w = workspace('eventgen-special-');
    const fifo = path.join(w.dir, 'report.fifo');
    return mkfifo(fifo).then(() => {
      const started = Date.now();
      expect(() => writeReport(fifo, '{}\n', { readerWaitMs: 200, stallMs: 200 })).toThrow(
        /no process opened the FIFO \S*report\.fifo for reading within 0\.2 s; start its reader first/,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(lstatSync(fifo).isFIFO()).toBe(true);

      // A reader that holds the FIFO open and reads nothing: a report larger than the pipe's buffer cannot go through.
      const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        expect(() => writeReport(fifo, 'x'.repeat(4 * 1024 * 1024), { readerWaitMs: 200, stallMs: 200 })).toThrow(
          ReportPathError,
        );
        const small = Buffer.alloc(16);
        expect(readSync(reader, small, 0, 16, null)).toBe(16); // what went through is there to read
      } finally {
        closeSync(reader);
      }
    });
  });

  it('a symbolic link to a file: the file gets the report, the link stays a link', async () => {
    const w = small();
    const real = path.join(w.dir, 'reports', 'report.json');
    mkdirSync(path.dirname(real));
    writeFileSync(real, 'old\n');
    const link = path.join(w.dir, 'report.json');
    symlinkSync(real, link);
    const run = await cli(w.argv('--report-json', link));
    expect(run.code, run.err).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(JSON.parse(readFileSync(real, 'utf8'))).toMatchObject({ changes: expect.any(Array) });
  });

  it('a symbolic link to nothing is refused, naming it; nothing is written and the link is kept', async () => {
    const w = small();
    const link = path.join(w.dir, 'report.json');
    symlinkSync(path.join(w.dir, 'elsewhere', 'report.json'), link);
    const run = await cli(w.argv('--report-json', link));
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /report\.json:1 error E_OUTPUT_PATH \S*report\.json is a symbolic link to nothing \(ENOENT\); eventgen does not create a file through a link/,
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(existsSync(path.join(w.dir, 'elsewhere'))).toBe(false);
    expect(existsSync(w.schemas) || existsSync(w.out)).toBe(false);
  });

  it('a regular file and a new path are still written whole', async () => {
    const w = small();
    const file = path.join(w.dir, 'out', 'report.json');
    const first = await cli(w.argv('--report-json', file));
    expect(first.code, first.err).toBe(0);
    const second = await cli(w.argv('--report-json', file));
    expect(second.code, second.err).toBe(0);
    expect(lstatSync(file).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ changes: [] });
  });
});

describe('docs named on the command line that are not regular files', () => {
  it('a FIFO is refused at once, naming it (never opened: nobody writes it, so reading would wait forever)', async () => {
    const w = small();
    const fifo = path.join(w.dir, 'page.md');
    await mkfifo(fifo);
    // The binary, with a time limit: a run that opened the FIFO would block this process for good.
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/bin.js'), ...w.argv(fifo)], {
      cwd: w.dir,
      encoding: 'utf8',
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    expect(run.signal, 'the run was still blocked after 20 s').toBe(null);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^page\.md:1 error E_DOC_NOT_A_FILE page\.md is a FIFO \(named pipe\), so it was not read\. Name pages/m,
    );
    expect(run.stdout).toMatch(/nothing written/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it.runIf(root)('a device node is refused, and a FIFO inside a docs folder is skipped as before', async () => {
    const w = small();
    const device = path.join(w.dir, 'zero.md');
    await mknod(device, 'c', 1, 5);
    await mkfifo(path.join(w.docs, 'pipe.md'));
    const run = await cli(w.argv(device));
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/zero\.md:1 error E_DOC_NOT_A_FILE \S*zero\.md is a character device, so it was not read/);
    expect(run.err).not.toMatch(/pipe\.md/);
    expect(existsSync(w.schemas) || existsSync(w.out)).toBe(false);
  });
});
