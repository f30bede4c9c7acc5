/**
 * `eventgen init` in an application's folder, and the JSON Schema of eventgen.config.json it names: what
 * init writes, that it never overwrites, that the project it sets up generates, and that the shipped
 * schema says what config.ts accepts.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../generator/cli/config.ts';
import { configSchema } from '../generator/cli/config-schema.ts';
import { CONFIG_SCHEMA_REF, runInit } from '../generator/cli/init.ts';
import { validate as validateArgs } from '../generator/cli/validate.ts';
import { main } from '../generator/cli.ts';
import { ROOT } from './helpers.ts';
import { removeWorkspaces, treeHash, workspace } from './hostile/harness.ts';

afterAll(removeWorkspaces);

const BIN = path.join(ROOT, 'dist/bin.js');

function init(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runInit(dir, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('eventgen init', () => {
  it('writes eventgen.config.json, docs/ with a note and package.json with the scripts; then the project generates', () => {
    const { dir } = workspace('eventgen-init-');
    const app = path.join(dir, 'My App');
    mkdirSync(app);
    const run = spawnSync(process.execPath, [BIN, 'init'], { cwd: app, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('created eventgen.config.json');
    expect(run.stdout).toContain('npm install --save-dev eventgen');
    expect(json(path.join(app, 'eventgen.config.json'))).toEqual({
      $schema: CONFIG_SCHEMA_REF,
      docs: 'docs',
      schemas: 'schemas',
      out: 'generated',
    });
    expect(readFileSync(path.join(app, 'docs/README.md'), 'utf8')).toMatch(/^# Event Grid documentation pages\n/);
    expect(json(path.join(app, 'package.json'))).toEqual({
      name: 'my-app',
      version: '0.0.0',
      private: true,
      scripts: { generate: 'eventgen generate', 'generate:check': 'eventgen generate --check' },
    });
    // The configuration it wrote is one eventgen reads: a page dropped into docs/ generates, and the check passes.
    cpSync(path.join(ROOT, 'docs/presence-events.fr-FR.md'), path.join(app, 'docs/presence-events.fr-FR.md'));
    const generate = spawnSync(process.execPath, [BIN, 'generate', '--quiet'], { cwd: app, encoding: 'utf8' });
    expect(generate.stderr).toBe('');
    expect(generate.status).toBe(0);
    expect(existsSync(path.join(app, 'generated/src/index.ts'))).toBe(true);
    expect(existsSync(path.join(app, 'handlers/index.ts'))).toBe(true);
    expect(spawnSync(process.execPath, [BIN, 'generate', '--check'], { cwd: app }).status).toBe(0);
  });

  it('never overwrites: a second run changes nothing, and what the application has is kept and named', () => {
    const { dir } = workspace('eventgen-init-');
    const pkg = `{\n    "name": "shop",\n    "scripts": { "generate": "make gen", "test": "vitest" },\n    "devDependencies": { "eventgen": "^0.1.0" }\n}\n`;
    writeFileSync(path.join(dir, 'package.json'), pkg);
    mkdirSync(path.join(dir, 'docs'));
    writeFileSync(path.join(dir, 'docs/README.md'), 'my notes\n');
    const first = init(dir);
    expect(first.code).toBe(0);
    expect(first.out).toContain('kept the "generate" script of package.json (it runs "make gen")');
    expect(first.out).toContain('kept docs/README.md (exists)');
    expect(first.out).not.toContain('npm install --save-dev eventgen');
    expect(readFileSync(path.join(dir, 'docs/README.md'), 'utf8')).toBe('my notes\n');
    // Only the missing script is added; the file keeps its keys, their order and its indentation.
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(
      `{\n    "name": "shop",\n    "scripts": {\n        "generate": "make gen",\n        "test": "vitest",\n        "generate:check": "eventgen generate --check"\n    },\n    "devDependencies": {\n        "eventgen": "^0.1.0"\n    }\n}\n`,
    );
    writeFileSync(path.join(dir, 'eventgen.config.json'), '{ "out": "src/events" }\n');
    const before = treeHash(dir);
    const second = init(dir);
    expect(second.code).toBe(0);
    expect(second.out).not.toContain('created');
    expect(treeHash(dir)).toEqual(before);
  });

  it('leaves the options in package.json "eventgen" where they are', () => {
    const { dir } = workspace('eventgen-init-');
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "a", "eventgen": { "out": "events" } }\n');
    expect(init(dir).out).toContain('kept the "eventgen" key of package.json');
    expect(existsSync(path.join(dir, 'eventgen.config.json'))).toBe(false);
  });

  it.each([
    ['a package.json that is not JSON', '{ "name": ', /package\.json:1 error E_INIT package\.json is not valid JSON/],
    ['a package.json that is not an object', '[]', /package\.json:1 error E_INIT package\.json does not hold an object/],
    ['scripts that are not an object', '{ "scripts": "x" }', /its "scripts" is not an object/],
  ])('writes nothing for %s, and says what to fix', (_, text, message) => {
    const { dir } = workspace('eventgen-init-');
    writeFileSync(path.join(dir, 'package.json'), text);
    const before = treeHash(dir);
    const run = init(dir);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(message);
    expect(treeHash(dir)).toEqual(before);
  });

  it('takes no arguments, and has its help', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    expect(await main(['init', '--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^eventgen init\n\nSet up a project: [\s\S]*never overwrites/);
    expect(await main(['init', 'docs'], io)).toBe(2);
    expect(err.join('\n')).toContain('eventgen init takes no arguments (given: docs)');
    expect(await main(['init', '--out', 'x'], io)).toBe(2);
  });
});

describe('eventgen.config.schema.json', () => {
  it('is the schema of the option table, shipped in the package', async () => {
    await expect(`${JSON.stringify(configSchema(), null, 2)}\n`).toMatchFileSnapshot('../eventgen.config.schema.json');
    expect(json(path.join(ROOT, 'package.json')).files).toContain('eventgen.config.schema.json');
  });

  // The schema and config.ts (the oracle: what eventgen really accepts) agree on each file.
  const validate = new Ajv({ strict: true }).compile(json(path.join(ROOT, 'eventgen.config.schema.json')));
  it.each([
    [{ $schema: CONFIG_SCHEMA_REF, docs: 'docs', schemas: 'schemas', out: 'generated' }, true],
    [{ docs: ['a', 'b'], lang: 'csharp,python', quiet: true, 'max-doc-size': 20 }, true],
    [{ packageName: '@contoso/events', 'fail-on': 'breaking', 'out-csharp': 'cs' }, true],
    [{ 'fail-on': 'sometimes' }, false],
    [{ outt: 'generated' }, false],
    [{ check: true }, false],
    [{ quiet: 'yes' }, false],
    [{ docs: [1] }, false],
    [{ $schema: 1 }, false],
  ])('%j: valid %s', (config, valid) => {
    expect(validate(config)).toBe(valid);
    let accepted = true;
    try {
      validateArgs(new Map(), [], parseConfig(config, 'eventgen.config.json'));
    } catch {
      accepted = false;
    }
    expect(accepted).toBe(valid);
  });
});
