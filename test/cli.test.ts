/** The `eventgen generate` command end to end: files on disk, exit codes, --check, --keep-going. */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../generator/cli.ts';
import { egEvent, fence, linkNodeModules, page, ROOT, removeDir, tempDir, tsc } from './helpers.ts';

/** The executable package.json names (built from the sources by test/global-setup.ts). */
const BIN = path.join(ROOT, 'dist/bin.js');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

function workspace(): { dir: string; docs: string; schemas: string; out: string } {
  const dir = tempDir('eventgen-cli-');
  dirs.push(dir);
  const docs = path.join(dir, 'docs');
  cpSync(path.join(ROOT, 'docs'), docs, { recursive: true });
  return { dir, docs, schemas: path.join(dir, 'schemas'), out: path.join(dir, 'generated') };
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every file under `dir` with its contents. */
function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files[path.relative(dir, file)] = readFileSync(file, 'utf8');
    }
  }
  return files;
}

const args = (w: ReturnType<typeof workspace>, ...more: string[]) => [
  'generate',
  '--docs',
  w.docs,
  '--schemas',
  w.schemas,
  '--out',
  w.out,
  ...more,
];

describe('eventgen generate', () => {
  it('writes schemas and the package, then a second run changes nothing', async () => {
    const w = workspace();
    const first = await cli(args(w));
    expect(first.code).toBe(0);
    expect(first.out.split('\n').at(-1)).toMatch(
      /^eventgen: 5 docs read, 23 samples \(13 distinct\), 12 event types, 2 warnings, 0 errors, \d+ files written$/,
    );
    expect(first.err).toContain('event-grid-source.fr-FR.md:210:54 warning W_JSON_REPAIRED');
    const before = { ...snapshot(w.schemas), ...snapshot(w.out) };
    const second = await cli(args(w));
    expect(second.out).toContain('0 files written');
    expect({ ...snapshot(w.schemas), ...snapshot(w.out) }).toEqual(before);
    expect((await cli(args(w, '--check'))).code).toBe(0);
  });

  it('--check fails after a hand edit of a generated file and names it', async () => {
    const w = workspace();
    await cli(args(w));
    const file = path.join(w.out, 'src/data.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nexport type Extra = 1;\n`);
    const check = await cli(args(w, '--check'));
    expect(check.code).toBe(1);
    expect(check.err).toMatch(/stale: .*generated\/src\/data\.ts \(would change\)/);
    expect(check.out).toContain('1 files stale');
    expect(readFileSync(file, 'utf8')).toContain('Extra'); // --check writes nothing
  });

  it('--check fails when a new doc would add an event', async () => {
    const w = workspace();
    await cli(args(w));
    writeFileSync(path.join(w.docs, 'new.md'), page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])));
    const check = await cli(args(w, '--check'));
    expect(check.code).toBe(1);
    expect(check.err).toContain('Contoso.Orders.Placed.schema.json (would be created)');
  });

  it('writes nothing when a sample cannot be parsed, and generates the rest with --keep-going', async () => {
    const w = workspace();
    writeFileSync(path.join(w.docs, 'broken.md'), page('```json\n[{ "eventType": "A.B.C", "data": { "a": 1 } } } ]\n```'));
    const failed = await cli(args(w));
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(
      /broken\.md:8:\d+ error E_JSON_SYNTAX invalid JSON: .*\. Fix the JSON in the doc, or run with --keep-going/,
    );
    expect(failed.out).toContain('nothing written');
    expect(existsSync(w.schemas) || existsSync(w.out)).toBe(false);

    const kept = await cli(args(w, '--keep-going'));
    expect(kept.code).toBe(0);
    expect(kept.err).toMatch(/broken\.md:8:\d+ warning E_JSON_SYNTAX/);
    expect(kept.out.split('\n').at(-1)).toMatch(/1 unparseable sample blocks skipped: .*broken\.md:8$/);
    expect(readdirSync(w.schemas).filter((f) => f.endsWith('.schema.json'))).toHaveLength(12);
  });

  it('leaves existing output untouched when a later run has errors', async () => {
    const w = workspace();
    await cli(args(w));
    const before = { ...snapshot(w.schemas), ...snapshot(w.out) };
    writeFileSync(path.join(w.docs, 'new.md'), page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])));
    writeFileSync(path.join(w.schemas, 'Microsoft.Communication.SMSReceived.schema.json'), '{ not json');
    before['Microsoft.Communication.SMSReceived.schema.json'] = '{ not json';
    const failed = await cli(args(w));
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/schemas\/Microsoft\.Communication\.SMSReceived\.schema\.json:1 error E_SCHEMA_READ/);
    expect({ ...snapshot(w.schemas), ...snapshot(w.out) }).toEqual(before);
  });

  it('keeps a curated enum in schemas/ across re-runs', async () => {
    const w = workspace();
    await cli(args(w));
    const file = path.join(w.schemas, 'Microsoft.Communication.SMSDeliveryReportReceived.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    schema.properties.DeliveryStatus.enum = ['Delivered', 'Failed'];
    writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
    expect((await cli(args(w))).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).properties.DeliveryStatus.enum).toEqual(['Delivered', 'Failed']);
  });

  it('reports two event types that map to one TypeScript name as an error', async () => {
    const w = workspace();
    writeFileSync(
      path.join(w.docs, 'dup.md'),
      page(fence([egEvent('Contoso.Sms.Received', { a: 1 }), egEvent('Contoso.Sms_Received', { b: 1 })])),
    );
    const failed = await cli(args(w));
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(
      /dup\.md:\d+ error E_NAME_COLLISION .*Contoso\.Sms_Received and Contoso\.Sms\.Received both map to the TypeScript name ContosoSmsReceivedEventData/,
    );
  });

  it('refuses event types, or type names, that differ only in case: their files would be one file on macOS and Windows', async () => {
    const w = workspace();
    writeFileSync(
      path.join(w.docs, 'case.md'),
      page(
        fence([
          egEvent('Contoso.Case.abC', { a: 1 }),
          egEvent('Contoso.Case.abc', { b: 1 }),
          egEvent('Contoso.CASE.Other', { c: 1 }),
        ]),
      ),
    );
    writeFileSync(path.join(w.docs, 'other.md'), page(fence([egEvent('Contoso.Case.Other', { c: 1 })])));
    const failed = await cli(args(w));
    expect(failed.code).toBe(1);
    // abC and abc: distinct TypeScript names (ContosoCaseAbC, ContosoCaseAbc), yet one handler file and one schema file on macOS.
    expect(failed.err).toMatch(
      /case\.md:\d+ error E_CASE_COLLISION Contoso\.Case\.abc and Contoso\.Case\.abC differ only in case, and so would the names of their schema files\. Files named after them would be one file on a case-insensitive file system/,
    );
    expect(failed.err).toMatch(/\d+ error E_CASE_COLLISION Contoso\.Case\.Other and Contoso\.CASE\.Other differ only in case/);
    expect(failed.out).toMatch(/nothing written/);
    expect(existsSync(w.schemas) || existsSync(w.out)).toBe(false);
  });

  it('deletes only files its manifest lists, that it no longer produces and nobody edited', async () => {
    const w = workspace();
    await cli(args(w));
    // As if an earlier version had written src/old.ts and src/edited.ts: both are in the manifest.
    const banner = '// Generated by `eventgen generate` from the event documentation.\n';
    const stale = path.join(w.out, 'src/old.ts');
    const edited = path.join(w.out, 'src/edited.ts');
    const mine = path.join(w.out, 'src/mine.ts');
    writeFileSync(stale, banner);
    writeFileSync(edited, `${banner}// my change\n`);
    writeFileSync(mine, `export const quoted = ${JSON.stringify(banner)};\n`); // quotes the banner, is not listed
    const manifestFile = path.join(w.out, '.eventgen-manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.files['src/old.ts'] = createHash('sha256').update(banner).digest('hex');
    manifest.files['src/edited.ts'] = createHash('sha256').update(banner).digest('hex');
    writeFileSync(manifestFile, JSON.stringify(manifest));

    const check = await cli(args(w, '--check'));
    expect(check.err).toContain('old.ts (would be deleted)');
    expect(check.err).not.toMatch(/(mine|edited)\.ts \(would/);
    const run = await cli(args(w));
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/generated\/src\/edited\.ts:1 warning W_KEPT_EDITED/);
    expect([existsSync(stale), existsSync(edited), existsSync(mine)]).toEqual([false, true, true]);
    expect(Object.keys(JSON.parse(readFileSync(manifestFile, 'utf8')).files)).not.toContain('src/old.ts');
  });

  it('refuses an --out that holds files it did not write, such as a parent folder, and deletes nothing', async () => {
    const w = workspace();
    await cli(args(w));
    writeFileSync(path.join(w.dir, 'notes.md'), 'Our docs say every file starts with "Generated by `eventgen generate`".\n');
    const before = snapshot(w.dir);
    const refused = await cli(['generate', '--docs', w.docs, '--schemas', w.schemas, '--out', w.dir]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /eventgen-cli-\w+:1 error E_OUTPUT_NOT_OURS .*\(--out\) holds files eventgen did not write \((?:catalog\/[^,]+, )?docs\/event-grid-source\.fr-FR\.md, .*, …\) and no \.eventgen-manifest\.json.*Choose a new folder, or move these files out\. Nothing was written\./,
    );
    expect(refused.out).toBe('eventgen: nothing written');
    expect(snapshot(w.dir)).toEqual(before);
  });

  it('refuses a --schemas folder of other files, and keeps the files a user adds to its own folders', async () => {
    const w = workspace();
    const foreign = path.join(w.dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'contoso.json'), '{}\n');
    const refused = await cli(['generate', '--docs', w.docs, '--schemas', foreign, '--out', w.out]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /foreign:1 error E_OUTPUT_NOT_OURS .*\(--schemas\) holds files eventgen did not write \(contoso\.json\)/,
    );
    expect(existsSync(w.out)).toBe(false);

    await cli(args(w));
    writeFileSync(path.join(w.schemas, 'README.md'), '# our schemas\n');
    writeFileSync(path.join(w.out, 'NOTES.md'), 'ours\n');
    writeFileSync(path.join(w.docs, 'new.md'), page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])));
    expect((await cli(args(w))).code).toBe(0);
    expect(readFileSync(path.join(w.schemas, 'README.md'), 'utf8')).toBe('# our schemas\n');
    expect(readFileSync(path.join(w.out, 'NOTES.md'), 'utf8')).toBe('ours\n');
    expect(existsSync(path.join(w.schemas, 'Contoso.Orders.Placed.schema.json'))).toBe(true);
  });

  it('adopts a folder written before manifests existed (every file has the banner, or is a skeleton)', async () => {
    const w = workspace();
    await cli(args(w));
    rmSync(path.join(w.out, '.eventgen-manifest.json'));
    rmSync(path.join(w.schemas, '.eventgen-manifest.json'));
    const legacy = path.join(w.out, 'src/legacy.ts');
    writeFileSync(legacy, '// Generated by `eventgen generate` from the event documentation.\nexport {};\n');
    writeFileSync(path.join(w.out, 'src/data.ts.eventgen-tmp'), 'left by a killed run of an older eventgen');
    const before = { ...snapshot(w.schemas), ...snapshot(w.out) };
    const check = await cli(args(w, '--check'));
    expect(check.code).toBe(1);
    expect(check.err).toMatch(/stale: .*generated\/\.eventgen-manifest\.json \(would be created\)/);
    expect(check.err).toMatch(/stale: .*generated\/src\/legacy\.ts \(would be deleted\)/);
    const run = await cli(args(w));
    expect(run.code).toBe(0);
    expect(run.out.split('\n').at(-1)).toMatch(/, 1 files written;?/);
    const after = { ...snapshot(w.schemas), ...snapshot(w.out) };
    delete before['src/legacy.ts'];
    delete before['src/data.ts.eventgen-tmp'];
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), '.eventgen-manifest.json'].sort());
    for (const [file, text] of Object.entries(before)) expect(after[file], file).toBe(text);
  });

  it('says no samples were found in an empty folder', async () => {
    const w = workspace();
    const empty = path.join(w.dir, 'empty');
    cpSync(path.join(ROOT, 'test/fixtures/hostile-docs'), empty, { recursive: true });
    writeFileSync(path.join(empty, 'hostile.md'), '# nothing here\n');
    const failed = await cli(['generate', '--docs', empty, '--schemas', w.schemas, '--out', w.out]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('error E_DOCS_EMPTY no event samples found');
  });

  it.each([
    [['generate', '--nope'], /Unknown argument: nope/],
    [[], /Name a command/],
    [['frobnicate'], /Unknown command: frobnicate/],
  ])('exits 2 on bad usage: %j', async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });

  // Each of these used to run the whole generation (and write) before exiting 2, or ran with a default in place of the value.
  it.each([
    [['--chek'], /Unknown argument: chek/],
    [['--fail-on', 'maybe'], /Argument: fail-on, Given: "maybe", Choices: "breaking", "never"/],
    [['--fail-on'], /Argument: fail-on/],
    [['--out'], /--out needs a value/],
    [['--schemas='], /--schemas needs a value/],
    [['--docs'], /--docs needs a value/],
    [['--check=maybe'], /--check is a switch and takes no value \(given "maybe"\)/],
    [['--max-doc-size', 'ten'], /--max-doc-size: "ten" is not a number of megabytes above 0/],
    [['--max-doc-size', '0'], /--max-doc-size: "0" is not a number/],
    [['--max-doc-size'], /--max-doc-size needs a value/],
    [['--package-name', 'My Events'], /--package-name: "My Events" is not a valid npm package name/],
    [['--locales', 'en,fr_FR!'], /--locales: "fr_FR!" is not a locale/],
    [['--report-json', 'r.json', '--report-json', 's.json'], /--report-json is given 2 times; give it once/],
    [['-x'], /Unknown argument: x/],
    [['--lang', 'csharp,cobol'], /--lang: unknown language "cobol"; choose from csharp, python, go, java, kotlin, swift, rust/],
    [['--lang'], /--lang needs a value/],
    [['--out-java', 'j'], /--out-java is given, but --lang does not name java/],
    [['--handlers-import', 'Not A Package'], /--handlers-import: "Not A Package" is neither a relative path/],
    [['--version=2'], /--version is a switch and takes no value/],
  ])('checks every option before anything runs: %j exits 2, nothing read or written', async (more, message) => {
    const w = workspace();
    const missingDocs = path.join(w.dir, 'no-such-docs'); // an error (exit 1) if it were read
    const named = new Set(more.map((a) => a.replace(/=.*/, '')));
    const base = [
      ['--docs', missingDocs],
      ['--schemas', w.schemas],
      ['--out', w.out],
    ].filter(([option]) => !named.has(option ?? ''));
    const result = await cli(['generate', ...base.flat(), ...more]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err).toMatch(/Run eventgen generate --help for the options\.$/);
    expect(result.err).not.toContain('E_READ');
    expect(result.out).toBe('');
    expect(readdirSync(w.dir)).toEqual(['docs']);
  });

  it('names the help of the command the bad usage was given to', async () => {
    const init = await cli(['init', '--force']);
    expect([init.code, init.err]).toEqual([2, 'eventgen: Unknown argument: force. Run eventgen init --help for the options.']);
  });

  it('checks where the output goes before anything runs: same folder twice, the report inside an output folder', async () => {
    const w = workspace();
    const same = await cli(['generate', '--docs', w.docs, '--schemas', w.out, '--out', w.out]);
    expect([same.code, same.err]).toEqual([
      2,
      expect.stringMatching(/--schemas and --out both name .*generated; give each its own folder/),
    ]);
    const inside = await cli([...args(w), '--report-json', path.join(w.out, 'report.json')]);
    expect(inside.code).toBe(2);
    expect(inside.err).toMatch(/--report-json .*generated\/report\.json is inside --out; write the report outside/);
    expect(readdirSync(w.dir)).toEqual(['docs']);
  });

  it('will not replace the folder it runs in (a run from inside --out)', () => {
    const w = workspace();
    mkdirSync(w.out);
    const run = spawnSync(process.execPath, [BIN, 'generate', '--docs', w.docs, '--schemas', w.schemas, '--out', '.'], {
      cwd: w.out,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--out \. holds the current folder, and eventgen replaces that folder as a whole/);
    expect(readdirSync(w.dir).sort()).toEqual(['docs', 'generated']);
    expect(readdirSync(w.out)).toEqual([]);
  });

  it('an --out that is a file is a clear error, not a stack trace; nothing is written', async () => {
    const w = workspace();
    writeFileSync(w.out, 'not a folder\n');
    const failed = await cli(args(w));
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(
      /generated:1 error E_OUTPUT_PATH .*generated is a file, but --out names the folder of the generated package\. Point --out/,
    );
    expect(failed.err).not.toContain('    at ');
    expect(failed.out).toBe('eventgen: nothing written');
    expect(readFileSync(w.out, 'utf8')).toBe('not a folder\n');
    expect(existsSync(w.schemas)).toBe(false);
  });

  it('a --report-json that is a folder is a clear error, not a stack trace; nothing is written', () => {
    const w = workspace();
    const reports = path.join(w.dir, 'reports');
    mkdirSync(reports);
    const run = spawnSync(process.execPath, [BIN, ...args(w, '--report-json', reports)], {
      cwd: w.dir,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^reports:1 error E_OUTPUT_PATH reports is a folder, but --report-json names the file to write the report to \(such as reports\/report\.json\)/,
    );
    expect(run.stderr).not.toContain('    at ');
    expect(readdirSync(w.dir).sort()).toEqual(['docs', 'reports']);
    expect(readdirSync(reports)).toEqual([]);
  });

  it('an E_INTERNAL caused by a hand-edited schema names that schema file and line, not the docs', async () => {
    const w = workspace();
    await cli(args(w));
    const file = path.join(w.schemas, 'Microsoft.Communication.SMSReceived.schema.json');
    const text = readFileSync(file, 'utf8').replace(/("From": \{\s*"type": )"string"/, '$1"text"');
    writeFileSync(file, text);
    const line = text.slice(0, text.indexOf('"text"')).split('\n').length;
    const failed = await cli(args(w));
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(
      new RegExp(
        `schemas/Microsoft\\.Communication\\.SMSReceived\\.schema\\.json:${line} error E_INTERNAL .*not a valid JSON Schema \\(/properties/From/type must be`,
      ),
    );
    expect(failed.err).not.toMatch(/docs:1 error E_INTERNAL/);
  });

  it('--help documents every option and exits 0', async () => {
    const help = await cli(['generate', '--help']);
    expect(help.code).toBe(0);
    for (const option of [
      '--docs',
      '--schemas',
      '--out',
      '--check',
      '--keep-going',
      '--locales',
      '--package-name',
      '--quiet',
      '--max-doc-size',
      '-d, --docs',
      '-s, --schemas',
      '-o, --out',
      '--lang',
      '--handlers',
      '--version',
      'generate [paths..]',
      '--config',
      'eventgen.config.json',
    ]) {
      expect(help.out).toContain(option);
    }
  });

  it('a missing docs path is an error naming it', async () => {
    const w = workspace();
    const failed = await cli(['generate', '--docs', path.join(w.dir, 'nope'), '--schemas', w.schemas, '--out', w.out]);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/nope:1 error E_READ cannot read .*nope: ENOENT/);
  });
});

describe('input files', () => {
  const schemaNames = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.schema.json'))
      .sort();

  it('a folder scan reads .md, .markdown and .txt pages and .json samples, and names the files it skipped', async () => {
    const w = workspace();
    const docs = path.join(w.dir, 'mixed');
    mkdirSync(docs);
    writeFileSync(path.join(docs, 'placed.txt'), page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])));
    writeFileSync(path.join(docs, 'shipped.markdown'), page(fence([egEvent('Contoso.Orders.Shipped', { orderId: 'o1' })])));
    writeFileSync(path.join(docs, 'paid.json'), JSON.stringify([egEvent('Contoso.Orders.Paid', { orderId: 'o1' })]));
    for (const name of ['a.png', 'b.yml', 'c.html', 'd.yaml', 'e.xml', 'f.csv', 'g.rst'])
      writeFileSync(path.join(docs, name), 'x');
    const run = await cli(['generate', '--docs', docs, '--schemas', w.schemas, '--out', w.out]);
    expect(run.code).toBe(0);
    expect(schemaNames(w.schemas)).toEqual([
      'Contoso.Orders.Paid.schema.json',
      'Contoso.Orders.Placed.schema.json',
      'Contoso.Orders.Shipped.schema.json',
    ]);
    expect(run.out.split('\n').at(-1)).toMatch(
      /^eventgen: 3 docs read, .* files written; 7 files skipped \(not \.md, \.markdown, \.txt or \.json\): \S*mixed\/a\.png, \S*mixed\/b\.yml, \S*mixed\/c\.html, \S*mixed\/d\.yaml, \S*mixed\/e\.xml, …$/,
    );
  });

  it('reads a page named on the command line whatever its extension', async () => {
    const w = workspace();
    const file = path.join(w.dir, 'events.yml');
    writeFileSync(file, page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])));
    const run = await cli(['generate', '--docs', file, '--schemas', w.schemas, '--out', w.out]);
    expect(run.code).toBe(0);
    expect(run.out).not.toContain('skipped');
    expect(schemaNames(w.schemas)).toEqual(['Contoso.Orders.Placed.schema.json']);
  });

  it('reads the seed pages as Microsoft Learn exports them (.txt, plus a README.md): the 12 event types of docs/', async () => {
    const w = workspace();
    const seeds = path.join(ROOT, 'test/fixtures/seeds');
    const fromSeeds = await cli(['generate', '--docs', seeds, '--schemas', w.schemas, '--out', w.out]);
    expect(fromSeeds.code).toBe(0);
    expect(fromSeeds.out.split('\n').at(-1)).toMatch(/^eventgen: 6 docs read, 23 samples \(13 distinct\), 12 event types, /);
    const fromDocs = path.join(w.dir, 'from-docs');
    await cli(args(w).map((a) => (a === w.schemas ? path.join(fromDocs, 's') : a === w.out ? path.join(fromDocs, 'g') : a)));
    expect(schemaNames(w.schemas)).toHaveLength(12);
    expect(schemaNames(w.schemas)).toEqual(schemaNames(path.join(fromDocs, 's')));
  });
});

describe('the eventgen binary', () => {
  it('runs on another folder of Event Grid docs and produces a package that compiles', () => {
    const dir = tempDir('eventgen-bin-');
    dirs.push(dir);
    const bin = BIN;
    const docs = path.join(ROOT, 'test/fixtures/storage-docs');
    const out = execFileSync(
      process.execPath,
      [
        bin,
        'generate',
        '--docs',
        docs,
        '--schemas',
        path.join(dir, 's'),
        '--out',
        path.join(dir, 'g'),
        '--package-name',
        '@contoso/storage-events',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(out).toContain('3 event types');
    expect(readdirSync(path.join(dir, 's')).sort()).toEqual([
      '.eventgen-manifest.json',
      'Contoso.Orders.OrderPlaced.schema.json',
      'Microsoft.Storage.BlobCreated.schema.json',
      'Microsoft.Storage.BlobDeleted.schema.json',
      'shared.defs.json',
    ]);
    const created = JSON.parse(readFileSync(path.join(dir, 's/Microsoft.Storage.BlobCreated.schema.json'), 'utf8'));
    expect(created.description).toBe('Triggered when a blob is created or replaced.');
    expect(created.required ?? []).not.toContain('contentOffset');
    expect(created.properties.url.type).toBe('string');
    expect(JSON.parse(readFileSync(path.join(dir, 'g/package.json'), 'utf8')).name).toBe('@contoso/storage-events');
    linkNodeModules(path.join(dir, 'g'));
    tsc(['-p', 'tsconfig.json', '--noEmit'], path.join(dir, 'g'));
  });

  it('is the build in dist/ (package.json "bin"), and runs without tsx or TypeScript', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ eventgen: 'dist/bin.js' });
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    // Built when packed (the tarball ships dist/), never when installed: no dev dependency is needed then.
    expect(pkg.scripts.prepack).toBe('node scripts/build.mjs');
    expect(pkg.scripts.prepare).toBeUndefined();
    const dir = tempDir('eventgen-dist-');
    dirs.push(dir);
    // Any attempt to load tsx or typescript fails the run.
    writeFileSync(
      path.join(dir, 'hooks.mjs'),
      "export async function resolve(s, c, next) { if (/^(tsx|typescript)(\\/|$)/.test(s)) throw new Error('loaded ' + s); return next(s, c); }\n",
    );
    writeFileSync(
      path.join(dir, 'register.mjs'),
      "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
    );
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        './register.mjs',
        path.join(ROOT, pkg.bin.eventgen),
        'generate',
        '-d',
        path.join(ROOT, 'docs'),
        '-s',
        's',
        '-o',
        'g',
        '--lang',
        'python',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(run.stderr).not.toContain('loaded ');
    expect(run.status).toBe(0);
    expect(readdirSync(path.join(dir, 'generated-python')).sort()).toEqual([
      '.eventgen-manifest.json',
      'eventgen_events',
      'pyproject.toml',
    ]);
  });

  it('writes the same bytes from any working directory: doc paths are recorded relative to the project, with / separators', async () => {
    const here = workspace();
    const there = workspace();
    const elsewhere = tempDir('eventgen-cwd-');
    dirs.push(elsewhere);
    /** The binary in `cwd`, run alongside others (each pair of runs below is independent). */
    const generate = (cwd: string, ...more: string[]) =>
      new Promise<{ status: number | null; stdout: string }>((resolve) => {
        execFile(process.execPath, [BIN, 'generate', '--quiet', ...more], { cwd, encoding: 'utf8' }, (error, stdout) =>
          resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout }),
        );
      });
    const fromOutside = ['--docs', there.docs, '--schemas', there.schemas, '--out', there.out];
    const written = await Promise.all([generate(here.dir), generate(elsewhere, ...fromOutside)]);
    expect(written.map((run) => run.status)).toEqual([0, 0]);
    expect(snapshot(there.out)).toEqual(snapshot(here.out));
    expect(snapshot(there.schemas)).toEqual(snapshot(here.schemas));
    const schema = readFileSync(path.join(here.schemas, 'Microsoft.Communication.SMSReceived.schema.json'), 'utf8');
    expect(schema).toContain('docs/');
    expect(schema).not.toContain(here.dir);
    // --check from a folder below, and from elsewhere, on the output written from the project's folder.
    const sub = path.join(here.dir, 'sub');
    mkdirSync(sub);
    const relative = ['--docs', '../docs', '--schemas', '../schemas', '--out', '../generated', '--check'];
    const [check, checkElsewhere] = await Promise.all([
      generate(sub, ...relative),
      generate(elsewhere, '--docs', here.docs, '--schemas', here.schemas, '--out', here.out, '--check'),
    ]);
    expect(check.stdout).toMatch(/, 0 files stale/);
    expect(check.status).toBe(0);
    expect(checkElsewhere.status).toBe(0);
  });

  it('exits 2 on bad usage', () => {
    const result = spawnSync(process.execPath, [BIN, 'generate', '--bogus'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown argument: bogus');
  });
});

describe("the application's handlers folder", () => {
  const handlers = (w: ReturnType<typeof workspace>) => path.join(w.dir, 'handlers');
  const skeleton = (w: ReturnType<typeof workspace>, name: string) => path.join(handlers(w), `${name}.ts`);

  it('is beside --out by default; its files are written once: edits survive re-runs and --check, new events get one, a deleted one comes back', async () => {
    const w = workspace();
    await cli(args(w));
    const sms = skeleton(w, 'AcsSmsReceived');
    expect(readFileSync(sms, 'utf8')).toContain("export const onAcsSmsReceived: Handler<'Microsoft.Communication.SMSReceived'>");
    expect(readFileSync(sms, 'utf8')).toContain("from '../generated/src/router.js'");
    expect(existsSync(path.join(w.out, 'src/handlers'))).toBe(false);
    const edited = `${readFileSync(sms, 'utf8')}// my edit\n`;
    writeFileSync(sms, edited);
    const index = path.join(handlers(w), 'index.ts');
    const wiredByHand = `${readFileSync(index, 'utf8')}// wired by hand\n`;
    writeFileSync(index, wiredByHand);
    expect((await cli(args(w, '--check'))).code).toBe(0);
    expect((await cli(args(w))).out).toContain('0 files written');
    expect(readFileSync(sms, 'utf8')).toBe(edited);

    writeFileSync(path.join(w.docs, 'new.md'), page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])));
    rmSync(skeleton(w, 'AcsUserDisconnected'));
    const check = await cli(args(w, '--check'));
    expect(check.code).toBe(1);
    expect(check.err).toMatch(/stale: \S*handlers\/AcsUserDisconnected\.ts \(would be created\)/);
    expect(check.err).toMatch(/stale: \S*handlers\/ContosoOrdersPlaced\.ts \(would be created\)/);
    expect(check.err).not.toMatch(/handlers\/AcsSmsReceived\.ts/);
    // The new event's handler is not in index.ts (eventgen never edits it): the check names the file to wire it into.
    expect(check.err).toMatch(/stale: \S*handlers\/index\.ts \(does not wire Contoso\.Orders\.Placed\)/);
    const written = await cli(args(w));
    expect(written.code).toBe(0);
    expect(written.err).toMatch(
      /handlers\/index\.ts:1 warning W_HANDLER_UNWIRED Contoso\.Orders\.Placed has no handler wired here: add `import \{ onContosoOrdersPlaced \} from '\.\/ContosoOrdersPlaced\.js';` and `\['Contoso\.Orders\.Placed'\]: onContosoOrdersPlaced,` to handlers/,
    );
    expect(existsSync(skeleton(w, 'ContosoOrdersPlaced'))).toBe(true);
    expect(existsSync(skeleton(w, 'AcsUserDisconnected'))).toBe(true);
    expect(readFileSync(sms, 'utf8')).toBe(edited);
    expect(readFileSync(index, 'utf8')).toBe(wiredByHand);
    expect((await cli(args(w, '--check'))).code).toBe(1);
    // Wired as the warning says, the check passes again.
    writeFileSync(
      index,
      wiredByHand
        .replace(
          'import type { Handlers }',
          "import { onContosoOrdersPlaced } from './ContosoOrdersPlaced.js';\nimport type { Handlers }",
        )
        .replace('} satisfies', "  ['Contoso.Orders.Placed']: onContosoOrdersPlaced,\n} satisfies"),
    );
    expect((await cli(args(w, '--check'))).code).toBe(0);
    expect(existsSync(path.join(handlers(w), '.eventgen-manifest.json'))).toBe(false);
  });

  it('event types as long as Event Grid allows get file names that fit, shortened with a stable hash, the same in schemas/ and handlers/', async () => {
    const w = workspace();
    rmSync(w.docs, { recursive: true });
    mkdirSync(w.docs);
    const long = (length: number, letter: string) => `Contoso.Long.${letter.toUpperCase()}${letter.repeat(length - 14)}`;
    const types = [long(241, 'a'), long(253, 'b'), long(256, 'c'), long(256, 'd').slice(0, 200)];
    writeFileSync(path.join(w.docs, 'long.md'), page(fence(types.map((t) => egEvent(t, { n: 1 })))));
    const first = await cli(args(w));
    expect(first.code, first.err).toBe(0);
    const names = [...readdirSync(w.schemas), ...readdirSync(handlers(w))];
    for (const name of names) expect(Buffer.byteLength(name), name).toBeLessThanOrEqual(230);
    // Short enough names are kept whole; the others end with 12 hex digits of a hash, in both folders.
    expect(existsSync(path.join(w.schemas, `${types[3]}.schema.json`))).toBe(true);
    expect(readdirSync(w.schemas).filter((n) => /-[0-9a-f]{12}\.schema\.json$/.test(n))).toHaveLength(3);
    expect(readdirSync(handlers(w)).filter((n) => /-[0-9a-f]{12}\.ts$/.test(n))).toHaveLength(3);
    // Every skeleton index.ts imports is there.
    const index = readFileSync(path.join(handlers(w), 'index.ts'), 'utf8');
    const imported = [...index.matchAll(/from '\.\/(.+)\.js'/g)].map((m) => `${m[1]}.ts`);
    expect(imported).toHaveLength(4);
    for (const file of imported) expect(existsSync(path.join(handlers(w), file)), file).toBe(true);
    // Stable: the next run changes nothing, and --check agrees.
    expect((await cli(args(w))).out).toContain('0 files written');
    expect((await cli(args(w, '--check'))).code).toBe(0);
  });

  it('are reported, never deleted, when their event is gone', async () => {
    const w = workspace();
    await cli(args(w));
    rmSync(path.join(w.docs, 'presence-events.fr-FR.md'));
    rmSync(path.join(w.docs, 'presence-events.ko-KR.md'));
    rmSync(path.join(w.schemas, 'Microsoft.Communication.UserDisconnected.schema.json'));
    const run = await cli(args(w));
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/handlers\/AcsUserDisconnected\.ts:1 warning W_SKELETON_ORPHANED .*Delete it/);
    expect(existsSync(skeleton(w, 'AcsUserDisconnected'))).toBe(true);
  });

  it('--handlers names the folder; the skeletons import the package by the relative path, or by --handlers-import', async () => {
    const w = workspace();
    const app = path.join(w.dir, 'app/src/events');
    await cli(args(w, '--handlers', app));
    expect(readFileSync(path.join(app, 'AcsSmsReceived.ts'), 'utf8')).toContain("from '../../../generated/src/router.js'");
    expect(existsSync(path.join(w.dir, 'handlers'))).toBe(false);
    const named = path.join(w.dir, 'named');
    await cli(args(w, '--handlers', named, '--handlers-import', '@contoso/events'));
    expect(readFileSync(path.join(named, 'server.ts'), 'utf8')).toContain("from '@contoso/events/node-http'");
  });

  it('may not be inside a folder eventgen replaces as a whole', async () => {
    const w = workspace();
    const inside = await cli(args(w, '--handlers', path.join(w.out, 'handlers')));
    expect(inside.code).toBe(2);
    expect(inside.err).toMatch(/--handlers .*generated\/handlers is inside --out, which eventgen replaces as a whole/);
    expect(readdirSync(w.dir)).toEqual(['docs']);
  });

  it('skeletons an older eventgen kept inside the package are kept, and named', async () => {
    const w = workspace();
    await cli(args(w));
    const old = path.join(w.out, 'src/handlers/AcsSmsReceived.ts');
    mkdirSync(path.dirname(old));
    writeFileSync(old, '// my handler\n');
    const run = await cli(args(w));
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/generated\/src\/handlers\/AcsSmsReceived\.ts:1 warning W_SKELETON_MOVED .*now live in \S*handlers/);
    expect(readFileSync(old, 'utf8')).toBe('// my handler\n');
  });
});

describe('deeply nested samples (the real binary, with the default stack of Node)', () => {
  const deepDoc = (depth: number) =>
    page(
      `\`\`\`json\n[${JSON.stringify(egEvent('Contoso.Deep.Thing', { x: '__deep__' })).replace('"__deep__"', `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)}]\n\`\`\``,
    );
  const generate = (depth: number) => {
    const w = workspace();
    const docs = path.join(w.dir, 'deep');
    mkdirSync(docs);
    writeFileSync(path.join(docs, 'deep.md'), deepDoc(depth));
    const run = spawnSync(process.execPath, [BIN, 'generate', '--docs', docs, '--schemas', w.schemas, '--out', w.out], {
      cwd: w.dir,
      encoding: 'utf8',
    });
    return { ...run, w };
  };

  it('reads a 300-deep sample and writes its declarations unformatted, with a warning', () => {
    const run = generate(300);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('warning W_UNFORMATTED src/data.ts is written unformatted');
    expect(existsSync(path.join(run.w.out, 'src/data.ts'))).toBe(true);
  });

  it('reports a 5,000-deep sample as unreadable, without crashing', () => {
    const run = generate(5000);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/deep\.md:8:1 error E_JSON_SYNTAX JSON block cannot be parsed: it is nested too deeply to read/);
    expect(run.stderr).not.toContain('    at ');
  });
});

describe('the HTML catalog', () => {
  it('is written beside --out on every run, through the same all-or-nothing write and --check; --catalog moves it', async () => {
    const w = workspace();
    expect((await cli(args(w))).code).toBe(0);
    const page = path.join(w.dir, 'catalog/index.html');
    expect(readFileSync(page, 'utf8')).toMatch(/^<!-- Generated by `eventgen generate`.*\n<!doctype html>/);
    expect(readFileSync(page, 'utf8')).toContain('id="Microsoft.Communication.SMSReceived"');
    expect(readdirSync(path.join(w.dir, 'catalog')).sort()).toEqual(['.eventgen-manifest.json', 'index.html']);
    expect(JSON.parse(readFileSync(path.join(w.out, 'package.json'), 'utf8')).exports['./asyncapi.json']).toBe('./asyncapi.json');

    writeFileSync(page, readFileSync(page, 'utf8').replace('SMSReceived', 'Edited'));
    const check = await cli(args(w, '--check'));
    expect(check.code).toBe(1);
    expect(check.err).toMatch(/stale: \S*catalog\/index\.html \(would change\)/);
    expect((await cli(args(w))).code).toBe(0);
    expect((await cli(args(w, '--check'))).code).toBe(0);

    const moved = path.join(w.dir, 'site/events');
    expect((await cli(args(w, '--catalog', moved))).code).toBe(0);
    expect(readFileSync(path.join(moved, 'index.html'), 'utf8')).toBe(readFileSync(page, 'utf8'));
  });

  it('never writes into a folder of files it did not write', async () => {
    const w = workspace();
    const mine = path.join(w.dir, 'catalog');
    mkdirSync(mine);
    writeFileSync(path.join(mine, 'index.html'), '<!doctype html><p>my own page</p>\n');
    const run = await cli(args(w));
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /catalog:1 error E_OUTPUT_NOT_OURS .*\(--catalog\) holds files eventgen did not write \(index\.html\)/,
    );
    expect(readFileSync(path.join(mine, 'index.html'), 'utf8')).toBe('<!doctype html><p>my own page</p>\n');
    expect(existsSync(w.out)).toBe(false);
  });

  it('is refused as the same folder as another output', async () => {
    const w = workspace();
    const same = await cli(args(w, '--catalog', w.out));
    expect([same.code, same.err]).toEqual([
      2,
      expect.stringMatching(/--out and --catalog both name .*generated; give each its own folder/),
    ]);
  });
});
