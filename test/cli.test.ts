/** The `eventgen generate` command end to end: files on disk, exit codes, --check, --keep-going. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../generator/cli.ts';
import { egEvent, fence, linkNodeModules, page, ROOT, removeDir, tempDir, tsc } from './helpers.ts';

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
      /^eventgen: 5 docs read, 23 samples \(13 distinct\), 12 event types, 2 warnings, 0 errors, 43 files written$/,
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
    writeFileSync(path.join(w.docs, 'broken.md'), page('```json\n[{ "eventType": "A.B.C" "data": {} }]\n```'));
    const failed = await cli(args(w));
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(
      /broken\.md:8:25 error E_JSON_SYNTAX invalid JSON: comma expected\. Fix the JSON in the doc, or run with --keep-going/,
    );
    expect(failed.out).toContain('nothing written');
    expect(existsSync(w.schemas) || existsSync(w.out)).toBe(false);

    const kept = await cli(args(w, '--keep-going'));
    expect(kept.code).toBe(0);
    expect(kept.err).toContain('broken.md:8:25 warning E_JSON_SYNTAX');
    expect(kept.out.split('\n').at(-1)).toMatch(/1 unparseable sample blocks skipped: .*broken\.md:8$/);
    expect(readdirSync(w.schemas)).toHaveLength(13);
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
      page(fence([egEvent('Contoso.Sms.Received', { a: 1 }), egEvent('Contoso.SMS.Received', { b: 1 })])),
    );
    const failed = await cli(args(w));
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(
      /dup\.md:\d+ error E_NAME_COLLISION .*Contoso\.Sms\.Received and Contoso\.SMS\.Received both map to the TypeScript name ContosoSmsReceivedEventData/,
    );
  });

  it('deletes a generated file that is no longer produced, never a file of the user', async () => {
    const w = workspace();
    await cli(args(w));
    const stale = path.join(w.out, 'src/old.ts');
    const mine = path.join(w.out, 'src/mine.ts');
    writeFileSync(stale, '// Generated by `eventgen generate` from the event documentation.\n');
    writeFileSync(mine, 'export const mine = 1;\n');
    expect((await cli(args(w, '--check'))).err).toContain('old.ts (would be deleted)');
    await cli(args(w));
    expect([existsSync(stale), existsSync(mine)]).toEqual([false, true]);
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
    [['frobnicate'], /Unknown argument: frobnicate/],
  ])('exits 2 on bad usage: %j', async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });

  it('--help documents every option and exits 0', async () => {
    const help = await cli(['generate', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--docs', '--schemas', '--out', '--check', '--keep-going', '--locales', '--package-name', '--quiet']) {
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

describe('the eventgen binary', () => {
  it('runs on another folder of Event Grid docs and produces a package that compiles', () => {
    const dir = tempDir('eventgen-bin-');
    dirs.push(dir);
    const bin = path.join(ROOT, 'bin/eventgen.js');
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
      'Contoso.Orders.OrderPlaced.schema.json',
      'Microsoft.Storage.BlobCreated.schema.json',
      'Microsoft.Storage.BlobDeleted.schema.json',
      'shared.defs.json',
    ]);
    const created = JSON.parse(readFileSync(path.join(dir, 's/Microsoft.Storage.BlobCreated.schema.json'), 'utf8'));
    expect(created.description).toBe('Triggered when a blob is created or replaced.');
    expect(created.required).not.toContain('contentOffset');
    expect(created.properties.url.format).toBe('uri');
    expect(JSON.parse(readFileSync(path.join(dir, 'g/package.json'), 'utf8')).name).toBe('@contoso/storage-events');
    linkNodeModules(path.join(dir, 'g'));
    tsc(['-p', 'tsconfig.json', '--noEmit'], path.join(dir, 'g'));
  });

  it('gives the same output from its transpiled cache as from the sources through tsx', () => {
    const dir = tempDir('eventgen-cache-');
    dirs.push(dir);
    const bin = path.join(ROOT, 'bin/eventgen.js');
    const generate = (out: string, env: NodeJS.ProcessEnv) =>
      execFileSync(
        process.execPath,
        [
          bin,
          'generate',
          '--docs',
          path.join(ROOT, 'docs'),
          '--schemas',
          path.join(dir, out, 's'),
          '--out',
          path.join(dir, out, 'g'),
          '--quiet',
        ],
        {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, ...env },
        },
      );
    generate('cached', {});
    const cache = path.join(ROOT, 'node_modules/.cache/eventgen');
    expect(readdirSync(cache).some((d) => existsSync(path.join(cache, d, 'generator/cli.js')))).toBe(true);
    generate('sources', { EVENTGEN_NO_CACHE: '1' });
    expect(snapshot(path.join(dir, 'cached'))).toEqual(snapshot(path.join(dir, 'sources')));
  });

  it('exits 2 on bad usage', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/eventgen.js'), 'generate', '--bogus'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown argument: bogus');
  });
});

describe('handler skeletons', () => {
  const skeleton = (w: ReturnType<typeof workspace>, name: string) => path.join(w.out, 'src/handlers', `${name}.ts`);

  it('are written once: edits survive re-runs and --check, new events get one, a deleted one comes back', async () => {
    const w = workspace();
    await cli(args(w));
    const sms = skeleton(w, 'AcsSmsReceived');
    expect(readFileSync(sms, 'utf8')).toContain("export const onAcsSmsReceived: Handler<'Microsoft.Communication.SMSReceived'>");
    const edited = `${readFileSync(sms, 'utf8')}// my edit\n`;
    writeFileSync(sms, edited);
    expect((await cli(args(w, '--check'))).code).toBe(0);
    expect((await cli(args(w))).out).toContain('0 files written');
    expect(readFileSync(sms, 'utf8')).toBe(edited);

    writeFileSync(path.join(w.docs, 'new.md'), page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])));
    rmSync(skeleton(w, 'AcsUserDisconnected'));
    await cli(args(w));
    expect(existsSync(skeleton(w, 'ContosoOrdersPlaced'))).toBe(true);
    expect(existsSync(skeleton(w, 'AcsUserDisconnected'))).toBe(true);
    expect(readFileSync(sms, 'utf8')).toBe(edited);
    expect(readFileSync(path.join(w.out, 'src/handlers/index.ts'), 'utf8')).toContain(
      "'Contoso.Orders.Placed': onContosoOrdersPlaced",
    );
  });

  it('are reported, never deleted, when their event is gone', async () => {
    const w = workspace();
    await cli(args(w));
    rmSync(path.join(w.docs, 'presence-events.fr-FR.md'));
    rmSync(path.join(w.docs, 'presence-events.ko-KR.md'));
    rmSync(path.join(w.schemas, 'Microsoft.Communication.UserDisconnected.schema.json'));
    const run = await cli(args(w));
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/src\/handlers\/AcsUserDisconnected\.ts:1 warning W_SKELETON_ORPHANED .*Delete it/);
    expect(existsSync(skeleton(w, 'AcsUserDisconnected'))).toBe(true);
    expect(readFileSync(path.join(w.out, 'src/handlers/index.ts'), 'utf8')).not.toContain('AcsUserDisconnected');
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
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin/eventgen.js'), 'generate', '--docs', docs, '--schemas', w.schemas, '--out', w.out],
      {
        cwd: w.dir,
        encoding: 'utf8',
      },
    );
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
