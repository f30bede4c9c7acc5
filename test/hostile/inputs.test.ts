/**
 * Hostile docs: inputs that used to be altered or dropped silently. Each case is a file (or a
 * folder) whose name says what must happen: `.ok` generates with no diagnostic about reading
 * it, `.warn` generates and reports the diagnostic at its file:line, `.fail` exits 1 with the
 * diagnostic and leaves schemas/ and generated/ exactly as they were. The static cases are in
 * test/fixtures/hostile-inputs/; the ones that cannot be committed (symlinks, devices, a 10 MB
 * page) are made at test time under the same naming.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egEvent, fence, page, ROOT } from '../helpers.ts';
import { cli, copyOutput, diagnosticLine, outputState, removeWorkspaces, workspace } from './harness.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/hostile-inputs');
const TEN_MB = 10 * 1024 * 1024;

interface Expectation {
  /** The event type the page documents, when the run must read it. */
  readonly eventType?: string;
  /** The diagnostic a .warn or .fail case must report: code, file name (as it ends), line. */
  readonly diagnostic?: readonly [code: string, file: string, line: number];
  /** Anything else to check after the run. */
  readonly afterwards?: (w: Workspace, run: Run) => void | Promise<void>;
}

type Workspace = ReturnType<typeof workspace>;
type Run = Awaited<ReturnType<typeof cli>>;

const STATIC: Record<string, Expectation> = {
  'utf16le-bom.ok.md': { eventType: 'Contoso.Hostile.Utf16Le' },
  'utf16be-bom.ok.md': { eventType: 'Contoso.Hostile.Utf16Be' },
  'utf8-bom-front-matter.ok.md': {
    eventType: 'Contoso.Hostile.Bom',
    afterwards: (w) => {
      // The front matter was read: its locale, not the default en-US.
      const schema = JSON.parse(readFileSync(path.join(w.schemas, 'Contoso.Hostile.Bom.schema.json'), 'utf8'));
      expect(schema['x-eventgen'].sources[0].locale).toBe('fr-FR');
    },
  },
  'utf8-bom-sample.ok.json': { eventType: 'Contoso.Hostile.BomSample' },
  'invalid-utf8.warn.md': {
    eventType: 'Contoso.Hostile.Latin1',
    diagnostic: ['W_DOC_ENCODING', 'invalid-utf8.warn.md', 11],
  },
  // Without its byte order mark the page reads as garbage, with no samples: said, at line 1, and nothing is written.
  'utf16le-no-bom.fail.md': { diagnostic: ['W_DOC_ENCODING', 'utf16le-no-bom.fail.md', 1] },
};

const validPage = (eventType: string) => page(fence([egEvent(eventType, { id: 'x1' })]));

interface MadeCase extends Expectation {
  /** Makes the case in `dir`; returns the arguments that point the run at it. */
  readonly make: (dir: string, w: Workspace) => string[];
  readonly skip?: boolean;
}

const MADE: Record<string, MadeCase> = {
  'huge-page.fail.md': {
    make: (dir) => {
      const file = path.join(dir, 'huge-page.fail.md');
      const head = validPage('Contoso.Hostile.Huge');
      writeFileSync(file, head + 'x'.repeat(TEN_MB + 1 - Buffer.byteLength(head))); // one byte over
      return ['--docs', file];
    },
    diagnostic: ['E_DOC_TOO_LARGE', 'huge-page.fail.md', 1],
    afterwards: (_w, run) =>
      expect(run.err).toMatch(/is over the size limit of 10 MB \(10485760 bytes\), so it was not read\. .*--max-doc-size/),
  },
  'dev-zero.fail': {
    skip: !existsSync('/dev/zero'),
    make: () => ['--docs', '/dev/zero'],
    diagnostic: ['E_DOC_NOT_A_FILE', '/dev/zero', 1],
    afterwards: (_w, run) => expect(run.err).toContain('/dev/zero is a character device, so it was not read'),
  },
  'max-doc-size.fail.md': {
    make: (dir) => {
      const file = path.join(dir, 'max-doc-size.fail.md');
      writeFileSync(file, validPage('Contoso.Hostile.Small'));
      return ['--docs', file, '--max-doc-size', '0.0001'];
    },
    diagnostic: ['E_DOC_TOO_LARGE', 'max-doc-size.fail.md', 1],
    afterwards: (_w, run) => expect(run.err).toContain('over the size limit of 0.0001 MB (104 bytes)'),
  },
  'max-doc-size-raised.ok.md': {
    make: (dir) => {
      const file = path.join(dir, 'max-doc-size-raised.ok.md');
      const head = validPage('Contoso.Hostile.Raised');
      writeFileSync(file, `${head}${' '.repeat(1024 * 1024 - 1 - Buffer.byteLength(head))}\n`); // exactly 1 MB
      return ['--docs', file, '--max-doc-size', '1'];
    },
    eventType: 'Contoso.Hostile.Raised',
  },
  'symlink-loop.warn': {
    make: (dir) => {
      const docs = path.join(dir, 'symlink-loop.warn');
      mkdirSync(docs);
      writeFileSync(path.join(docs, 'page.md'), validPage('Contoso.Hostile.Loop'));
      symlinkSync('.', path.join(docs, 'loop'));
      return ['--docs', docs];
    },
    eventType: 'Contoso.Hostile.Loop',
    diagnostic: ['W_DOC_SYMLINK', 'symlink-loop.warn/loop', 1],
    afterwards: (_w, run) => expect(run.out).toMatch(/eventgen: 1 docs read, 1 samples/),
  },
  'symlink-to-parent.warn': {
    make: (dir) => {
      const docs = path.join(dir, 'symlink-to-parent.warn');
      mkdirSync(docs);
      writeFileSync(path.join(docs, 'page.md'), validPage('Contoso.Hostile.Parent'));
      symlinkSync('..', path.join(docs, 'up'));
      return ['--docs', docs];
    },
    eventType: 'Contoso.Hostile.Parent',
    diagnostic: ['W_DOC_SYMLINK', 'symlink-to-parent.warn/up', 1],
  },
  'symlink-self.warn': {
    make: (dir) => {
      const docs = path.join(dir, 'symlink-self.warn');
      mkdirSync(docs);
      writeFileSync(path.join(docs, 'page.md'), validPage('Contoso.Hostile.Self'));
      symlinkSync('self.md', path.join(docs, 'self.md'));
      return ['--docs', docs];
    },
    eventType: 'Contoso.Hostile.Self',
    diagnostic: ['W_DOC_SYMLINK', 'symlink-self.warn/self.md', 1],
  },
  'symlink-dangling.warn': {
    make: (dir) => {
      const docs = path.join(dir, 'symlink-dangling.warn');
      mkdirSync(docs);
      writeFileSync(path.join(docs, 'page.md'), validPage('Contoso.Hostile.Dangling'));
      symlinkSync('missing.md', path.join(docs, 'gone.md'));
      return ['--docs', docs];
    },
    eventType: 'Contoso.Hostile.Dangling',
    diagnostic: ['W_DOC_SYMLINK', 'symlink-dangling.warn/gone.md', 1],
  },
  'symlinked-pages.ok': {
    make: (dir) => {
      const elsewhere = path.join(dir, 'elsewhere');
      mkdirSync(elsewhere);
      writeFileSync(path.join(elsewhere, 'page.md'), validPage('Contoso.Hostile.Linked'));
      const docs = path.join(dir, 'symlinked-pages.ok');
      mkdirSync(docs);
      symlinkSync(path.join(elsewhere, 'page.md'), path.join(docs, 'linked.md'));
      symlinkSync(elsewhere, path.join(docs, 'linked-folder'));
      return ['--docs', docs];
    },
    eventType: 'Contoso.Hostile.Linked',
    // Reachable twice (a linked page, a linked folder holding it): read once.
    afterwards: (_w, run) => expect(run.out).toMatch(/eventgen: 1 docs read, 1 samples/),
  },
  'out-inside-docs.ok': {
    make: (dir, w) => {
      const docs = path.join(dir, 'out-inside-docs.ok');
      mkdirSync(docs);
      writeFileSync(path.join(docs, 'page.md'), validPage('Contoso.Hostile.Nested'));
      Object.assign(w, { schemas: path.join(docs, 'schemas'), out: path.join(docs, 'generated') });
      return ['--docs', docs];
    },
    eventType: 'Contoso.Hostile.Nested',
    afterwards: async (w, first) => {
      // The second run must not read the package or the schemas it wrote into the docs folder.
      const second = await cli(['generate', '--docs', path.dirname(w.schemas), '--schemas', w.schemas, '--out', w.out]);
      expect(second.code).toBe(0);
      expect(first.out).toMatch(/eventgen: 1 docs read, 1 samples/);
      expect(second.out.split('\n').at(-1)).toMatch(/^eventgen: 1 docs read, 1 samples .* 0 files written$/);
    },
  },
};

/** Output of an earlier run, copied into the workspace of a .fail case, so it has something to leave untouched. */
let previous: Workspace;
beforeAll(async () => {
  previous = workspace('eventgen-hostile-previous-');
  const docs = path.join(ROOT, 'test/fixtures/storage-docs');
  const run = await cli(['generate', '--docs', docs, '--schemas', previous.schemas, '--out', previous.out, '--quiet']);
  expect(run.code).toBe(0);
});
afterAll(removeWorkspaces);

async function check(name: string, expectation: Expectation, argsFor: (dir: string, w: Workspace) => string[]) {
  const w = workspace('eventgen-hostile-');
  const outcome = /\.(ok|warn|fail)(\.|$)/.exec(name)?.[1];
  if (outcome === 'fail') copyOutput(previous, w);
  const given = argsFor(w.dir, w);
  const before = outputState(w);
  const run = await cli(['generate', ...given, '--schemas', w.schemas, '--out', w.out]);
  expect(run.err, run.err).not.toContain('    at ');
  if (outcome === 'fail') {
    expect(run.code, run.err).toBe(1);
    expect(run.out.split('\n').at(-1)).toMatch(/nothing written/);
    expect(outputState(w), 'schemas/ and generated/ are unchanged').toBe(before);
  } else {
    expect(run.code, run.err).toBe(0);
    if (outcome === 'ok') expect(run.err).not.toMatch(/ (W_DOC_\w+|E_\w+) /);
  }
  if (expectation.diagnostic) {
    const [code, file, line] = expectation.diagnostic;
    expect(run.err).toMatch(diagnosticLine(file, line, code));
  }
  if (expectation.eventType) expect(existsSync(path.join(w.schemas, `${expectation.eventType}.schema.json`)), run.err).toBe(true);
  await expectation.afterwards?.(w, run);
}

describe('hostile docs', () => {
  it('every fixture in test/fixtures/hostile-inputs has a case, and its name says ok, warn or fail', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(STATIC).sort());
    for (const name of [...Object.keys(STATIC), ...Object.keys(MADE)]) expect(name).toMatch(/\.(ok|warn|fail)(\.|$)/);
  });

  it.each(Object.entries(STATIC))('%s', async (name, expectation) => {
    await check(name, expectation, () => ['--docs', path.join(FIXTURES, name)]);
  });

  it.each(Object.entries(MADE))('%s (made at test time)', async (name, made) => {
    if (made.skip) return;
    await check(name, made, made.make);
  });
});
