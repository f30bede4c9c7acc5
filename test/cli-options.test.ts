/**
 * The command line as its peers have it: --version, short aliases, docs as arguments, a configuration
 * file under the flags, and progress on a terminal. Runs that read the working directory's
 * configuration run main() in a temp folder (the working directory changed for the run); --version,
 * --help and a run whose stderr is not a terminal run the built binary (dist/bin.js).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../generator/cli/args.ts';
import { main } from '../generator/cli.ts';
import { ROOT } from './helpers.ts';
import { removeWorkspaces, treeHash, workspace } from './hostile/harness.ts';

const BIN = path.join(ROOT, 'dist/bin.js');
const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

afterAll(removeWorkspaces);

/** A temp folder with a copy of docs/. */
function project() {
  const w = workspace('eventgen-options-');
  cpSync(path.join(ROOT, 'docs'), path.join(w.dir, 'docs'), { recursive: true });
  return w;
}

async function cli(argv: string[], tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: tty, progressAfterMs: 0 });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The binary in `cwd`. */
function bin(cwd: string, ...argv: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: 'utf8' });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** eventgen run in `cwd`: main() as bin.ts calls it, in this process, with the working directory changed for the run. */
async function inDir(cwd: string, ...argv: string[]) {
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    return await cli(argv);
  } finally {
    process.chdir(previous);
  }
}

const schemaNames = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.schema.json')) : []);

describe('eventgen --version', () => {
  it('prints the version of eventgen, alone or after the command', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, out: VERSION, err: '' });
    expect((await cli(['generate', '--version'])).out).toBe(VERSION);
    const run = bin(ROOT, '--version');
    expect([run.code, run.out.trim()]).toEqual([0, VERSION]);
  });
});

describe('eventgen --help', () => {
  // test/fixtures/help/: the screens yargs prints (at 80 columns, its widest) from the option table.
  const fixture = (name: string) => readFileSync(path.join(ROOT, 'test/fixtures/help', `${name}.txt`), 'utf8').trimEnd();

  it('answers --help, a last argument help, and --help after the command, with exit code 0', async () => {
    expect(await cli(['--help'])).toEqual({ code: 0, out: fixture('top-80'), err: '' });
    expect(await cli(['help'])).toEqual({ code: 0, out: fixture('top-80'), err: '' });
    expect(await cli(['generate', '--help'])).toEqual({ code: 0, out: fixture('generate-80'), err: '' });
    expect(await cli(['--help', 'generate', '--nope'])).toEqual({ code: 0, out: fixture('generate-80'), err: '' });
    expect(await cli(['generate', 'docs', 'help'])).toEqual({ code: 0, out: fixture('generate-80'), err: '' });
    const run = bin(ROOT, 'generate', '--help');
    expect([run.code, run.out.trimEnd()]).toEqual([0, fixture('generate-80')]);
  });
});

describe('eventgen completion', () => {
  it('prints the shell completion script, and the words the script asks for', async () => {
    const script = await cli(['completion']);
    expect([script.code, script.err]).toEqual([0, '']);
    expect(script.out).toContain('eventgen --get-yargs-completions');
    const commands = await cli(['--get-yargs-completions', 'eventgen', '']);
    expect(commands.out.split('\n')).toEqual(expect.arrayContaining(['generate', 'completion']));
    const options = await cli(['--get-yargs-completions', 'eventgen', 'generate', '--']);
    expect(options.out.split('\n')).toEqual(expect.arrayContaining(['--docs', '--check', '--fail-on', '--config']));
  });
});

describe('the command line as yargs parsed it', () => {
  const parsed = async (argv: string[]) => {
    const p = await parseCommandLine(argv);
    return 'given' in p ? { given: Object.fromEntries([...p.given].map(([k, v]) => [k, v.value])), positional: p.positional } : p;
  };
  it.each([
    [['generate', 'a', '--docs', 'b', 'c', '--', '-d'], { given: { docs: ['b', 'c'] }, positional: ['a', '-d'] }],
    [['generate', '--docs=a', 'b', '-o', 'x', '-s=y'], { given: { docs: ['a', 'b'], out: 'x', schemas: 'y' }, positional: [] }],
    [
      ['generate', '--out', '--quiet', 'true', '--keepGoing', 'false'],
      { given: { out: '', quiet: true, 'keep-going': false }, positional: [] },
    ],
    [['generate', '--packageName', 'p', '--package-name="q"'], { given: { 'package-name': ['p', 'q'] }, positional: [] }],
    [
      ['generate', '--no-quiet', '--no-out', '--docs', '-1'],
      { given: { docs: ['-1'], out: false, quiet: false }, positional: [] },
    ],
    [['generate', '-so', 'x'], { given: { schemas: '', out: 'x' }, positional: [] }],
    [['generate', '--nope', '-x', '--out-cobol'], { usage: 'Unknown arguments: nope, x, out-cobol, outCobol' }],
    [
      ['generate', '--fail-on', 'maybe', '--nope'],
      { usage: 'Invalid values:\n  Argument: fail-on, Given: "maybe", Choices: "breaking", "never"' },
    ],
    [['--quiet', 'generate'], { usage: 'Unknown argument: quiet' }],
    [['--version', 'frobnicate'], { output: VERSION }],
    [['frobnicate', 'generate'], { usage: 'Unknown command: frobnicate' }],
    [
      ['generate', '--config', 'missing.json'],
      { usage: '--config missing.json: no such file; give the path of a JSON file of options' },
    ],
    [['--', 'generate'], { usage: 'Unknown command: generate' }],
  ])('%j', async (argv, expected) => {
    expect(await parsed(argv)).toEqual(expected);
  });
});

describe('aliases and docs as arguments', () => {
  it('-d, -s and -o are --docs, --schemas and --out; docs may be given as arguments, and with -d', async () => {
    const a = project();
    const long = await cli(['generate', '--docs', path.join(a.dir, 'docs'), '--schemas', a.schemas, '--out', a.out, '--quiet']);
    const b = project();
    const pages = readdirSync(path.join(b.dir, 'docs')).map((f) => path.join(b.dir, 'docs', f));
    const [first, ...rest] = pages;
    const short = await cli(['generate', ...rest, '-d', first ?? '', '-s', b.schemas, '-o', b.out, '--quiet']);
    expect([long.code, short.code]).toEqual([0, 0]);
    expect(short.out.split('\n').at(-1)).toMatch(/^eventgen: 5 docs read, 23 samples/);
    // The same schemas, but for where the docs were (sources name the files).
    const schemas = (w: { dir: string; schemas: string }) =>
      schemaNames(w.schemas).map((f) => readFileSync(path.join(w.schemas, f), 'utf8').replaceAll(w.dir, '<dir>'));
    expect(schemas(b)).toEqual(schemas(a));
  });

  it('after --, an argument starting with a dash is a doc', async () => {
    const w = project();
    const odd = path.join(w.dir, '-odd.md');
    cpSync(path.join(w.dir, 'docs/presence-events.ko-KR.md'), odd);
    const run = await cli(['generate', '-s', w.schemas, '-o', w.out, '--quiet', '--', odd]);
    expect(run.code).toBe(0);
    expect(run.out.split('\n').at(-1)).toMatch(/^eventgen: 1 docs read/);
  });
});

describe('eventgen.config.json', () => {
  it('gives the options a project always passes; flags win, option by option', async () => {
    const w = project();
    mkdirSync(path.join(w.dir, 'more'));
    cpSync(path.join(w.dir, 'docs/presence-events.ko-KR.md'), path.join(w.dir, 'more/sms.md'));
    writeFileSync(
      path.join(w.dir, 'eventgen.config.json'),
      JSON.stringify({
        docs: ['docs'],
        out: 'pkg',
        packageName: '@contoso/events',
        lang: 'python',
        'out-python': 'py',
        catalog: 'site',
        quiet: true,
      }),
    );
    const run = await inDir(w.dir, 'generate');
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(w.dir, 'site/index.html'), 'utf8')).toContain('@contoso/events event catalog');
    expect(existsSync(path.join(w.dir, 'catalog'))).toBe(false);
    expect(run.err).not.toMatch(/ info /); // quiet
    expect(JSON.parse(readFileSync(path.join(w.dir, 'pkg/package.json'), 'utf8')).name).toBe('@contoso/events');
    expect(existsSync(path.join(w.dir, 'py/pyproject.toml'))).toBe(true);
    expect(schemaNames(path.join(w.dir, 'schemas'))).toHaveLength(12);

    const flags = await inDir(
      w.dir,
      'generate',
      'more/sms.md',
      '-s',
      's2',
      '--package-name',
      'flag-events',
      '--no-quiet',
      '--lang',
      'csharp',
    );
    expect(flags.code).toBe(0);
    expect(flags.out).toMatch(/eventgen: 1 docs read/);
    expect(schemaNames(path.join(w.dir, 's2'))).toEqual(['Microsoft.Communication.UserDisconnected.schema.json']);
    expect(JSON.parse(readFileSync(path.join(w.dir, 'pkg/package.json'), 'utf8')).name).toBe('flag-events');
    expect(existsSync(path.join(w.dir, 'generated-csharp/FlagEvents.cs'))).toBe(true);
  });

  it('may be the "eventgen" key of package.json; a generated package.json\'s own key is not read as options', async () => {
    const w = project();
    writeFileSync(
      path.join(w.dir, 'package.json'),
      JSON.stringify({ name: 'app', eventgen: { out: 'events', schemas: 'event-schemas' } }),
    );
    expect((await inDir(w.dir, 'generate', '--quiet')).code).toBe(0);
    expect(existsSync(path.join(w.dir, 'events/package.json'))).toBe(true);
    expect(schemaNames(path.join(w.dir, 'event-schemas'))).toHaveLength(12);
    // A folder whose package.json is a generated package's: its "eventgen" key is the package's record.
    const app = path.join(w.dir, 'app');
    mkdirSync(app);
    cpSync(path.join(w.dir, 'events/package.json'), path.join(app, 'package.json'));
    expect(JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')).eventgen.contentHash).toBeTypeOf('string');
    const run = await inDir(app, 'generate', '-d', '../docs', '-s', 's', '-o', 'g', '--quiet');
    expect([run.code, run.err]).toEqual([0, expect.not.stringContaining('package.json')]);
  });

  it.each([
    [
      '{ "out": "pkg", "chek": true }',
      /^eventgen: eventgen\.config\.json "chek" is not an option\. The options are: docs, observed, schemas, out, /,
    ],
    ['{ "maxDocSize": "ten" }', /^eventgen: eventgen\.config\.json "maxDocSize": "ten" is not a number of megabytes above 0/],
    ['{ "quiet": "yes" }', /^eventgen: eventgen\.config\.json "quiet" must be true or false \(given "yes"\)/],
    ['{ "docs": [1] }', /^eventgen: eventgen\.config\.json "docs" must be a string or an array of strings/],
    ['{ "lang": ["csharp", "cobol"] }', /^eventgen: eventgen\.config\.json "lang": unknown language "cobol"/],
    ['{ "check": true }', /^eventgen: eventgen\.config\.json "check": --check is for one run; give it on the command line/],
    ['{ "package-name": "x", "packageName": "y" }', /"packageName": --package-name is given twice in eventgen\.config\.json/],
    ['{ "out": "schemas" }', /^eventgen: --schemas and eventgen\.config\.json "out" both name schemas/],
    ['["docs"]', /^eventgen: eventgen\.config\.json must hold an object of options/],
    ['{ "out": ', /^eventgen: eventgen\.config\.json is not valid JSON/],
  ])('is checked as strictly as flags: %s exits 2 naming the file, nothing read or written', async (text, message) => {
    const w = project();
    writeFileSync(path.join(w.dir, 'eventgen.config.json'), text);
    const before = treeHash(w.dir);
    const run = await inDir(w.dir, 'generate');
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.out).toBe('');
    expect(treeHash(w.dir)).toEqual(before);
  });

  it('--config names another file of options, whose paths are relative to its folder, and which messages name', async () => {
    const w = project();
    mkdirSync(path.join(w.dir, 'ci'));
    writeFileSync(path.join(w.dir, 'ci/options.json'), JSON.stringify({ docs: '../docs', out: 'ci-pkg', quiet: true }));
    const run = await inDir(w.dir, 'generate', '--config', 'ci/options.json', '-s', 'ci-schemas');
    expect(run.code).toBe(0);
    expect(existsSync(path.join(w.dir, 'ci/ci-pkg/package.json'))).toBe(true);
    expect(existsSync(path.join(w.dir, 'ci-schemas'))).toBe(true); // the command line's paths: from the working folder
    // From any other folder, the same file names the same files: the run has nothing to change.
    const elsewhere = path.join(w.dir, 'docs');
    const again = await inDir(elsewhere, 'generate', '--config', '../ci/options.json', '-s', '../ci-schemas', '--check');
    expect([again.code, again.out.split('\n').at(-1)]).toEqual([0, expect.stringMatching(/0 files stale/)]);
    writeFileSync(path.join(w.dir, 'ci/options.json'), '{ "quiet": 1 }');
    const bad = await inDir(w.dir, 'generate', '--config', 'ci/options.json');
    expect([bad.code, bad.err]).toEqual([2, expect.stringMatching(/^eventgen: ci\/options\.json "quiet" must be true or false/)]);
  });

  it('is one place: both the file and a package.json "eventgen" key is bad usage', async () => {
    const w = project();
    writeFileSync(path.join(w.dir, 'eventgen.config.json'), '{}');
    writeFileSync(path.join(w.dir, 'package.json'), JSON.stringify({ eventgen: { out: 'x' } }));
    const run = await inDir(w.dir, 'generate');
    expect([run.code, run.err]).toEqual([
      2,
      expect.stringMatching(/both eventgen\.config\.json and the "eventgen" key of package\.json/),
    ]);
  });
});

describe('progress', () => {
  it('on a terminal, a line per stage with what it made, on stderr', async () => {
    const w = project();
    const run = await cli(['generate', path.join(w.dir, 'docs'), '-s', w.schemas, '-o', w.out, '--lang', 'go'], true);
    expect(run.code).toBe(0);
    const lines = run.err.split('\n').filter((l) => /^eventgen: \w+ /.test(l));
    expect(lines.map((l) => l.replace(/ \(\d+\.\d s\)$/, ''))).toEqual([
      'eventgen: read 5 docs',
      'eventgen: extract 5 docs, 23 samples',
      'eventgen: infer 12 event types',
      'eventgen: merge 12 schemas',
      'eventgen: report 12 changes',
      expect.stringMatching(/^eventgen: emit \d+ files$/),
      'eventgen: catalog 1 files',
      expect.stringMatching(/^eventgen: languages go: 3 files$/),
      expect.stringMatching(/^eventgen: write \d+ files$/),
    ]);
    expect(run.out).not.toMatch(/^eventgen: (read|extract) /m);
  });

  it('none with --quiet, none when stderr is not a terminal, none from a run shorter than a second', async () => {
    const w = project();
    const quiet = await cli(['generate', path.join(w.dir, 'docs'), '-s', w.schemas, '-o', w.out, '--quiet'], true);
    expect(quiet.err).not.toMatch(/^eventgen: /m);
    const piped = bin(w.dir, 'generate', '-s', 's2', '-o', 'g2');
    expect(piped.code).toBe(0);
    expect(piped.err).not.toMatch(/^eventgen: /m);
    const out: string[] = [];
    const err: string[] = [];
    const fast = await main(['generate', path.join(w.dir, 'docs'), '-s', w.schemas, '-o', w.out], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      isTTY: true,
      progressAfterMs: 60_000,
    });
    expect(fast).toBe(0);
    expect(err.join('\n')).not.toMatch(/^eventgen: /m);
  });
});

describe('--observed', () => {
  const line = (eventType: string, data: unknown) =>
    JSON.stringify({
      receivedAt: '2024-12-08T10:00:00.000Z',
      outcome: 'unknown',
      envelope: 'eventgrid',
      redacted: true,
      event: {
        id: 'redacted',
        topic: 'redacted',
        subject: 'redacted',
        eventType,
        data,
        dataVersion: '1.0',
        eventTime: '2000-01-01T00:00:00Z',
      },
    });

  it('is read from the configuration file as from the flag; a path that is not there is an error naming it', async () => {
    const w = project();
    mkdirSync(path.join(w.dir, 'recorded'));
    writeFileSync(
      path.join(w.dir, 'recorded/events-2024-12-08.ndjson'),
      `${line('Contoso.Observed.Only', { count: 1 })}\nnot json\n`,
    );
    writeFileSync(path.join(w.dir, 'eventgen.config.json'), JSON.stringify({ observed: ['recorded'] }));
    const run = await inDir(w.dir, 'generate', '--quiet');
    expect(run.code).toBe(0);
    expect(run.err).toContain('recorded/events-2024-12-08.ndjson:2 warning W_OBSERVED_LINE not JSON');
    expect(run.out).toContain('Observed in production (recorded events): 1 event type added');
    expect(schemaNames(path.join(w.dir, 'schemas'))).toContain('Contoso.Observed.Only.schema.json');
    const before = treeHash(w.dir);
    const missing = await inDir(w.dir, 'generate', '--observed', 'nowhere');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^nowhere:1 error E_OBSERVED_READ --observed nowhere: no such file or folder/m);
    expect(treeHash(w.dir)).toEqual(before);
    const device = await inDir(w.dir, 'generate', '--observed', '/dev/null');
    expect(device.code).toBe(1);
    expect(device.err).toMatch(/E_OBSERVED_READ --observed \/dev\/null: not a file or a folder/);
  });
});
