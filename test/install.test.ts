/**
 * eventgen as people install it in their own project, from an empty folder outside the repository with
 * nothing but the README's commands ("Use it in your project"): the tarball `npm pack` makes (what the
 * registry would serve) installed from the npm cache, `npx eventgen init`, `npm run generate`, the check
 * in CI, and the application's handlers/server.ts answering Event Grid.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, removeDir, tempDir } from './helpers.ts';

const dir = tempDir('eventgen-install-');
const app = path.join(dir, 'app');
let tarball = '';
let server: ChildProcess | undefined;

/** A command of the README, run in `cwd` (npm from its cache when it can: the registry is the only network CI has). */
function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const offline =
    command === 'npm' && ['install', 'pack'].includes(args[0] ?? '') ? ['--prefer-offline', '--no-audit', '--no-fund'] : [];
  return execFileSync(command, [...args, ...offline], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

beforeAll(() => {
  sh('npm', ['pack', '--pack-destination', dir], ROOT);
  tarball = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')) ?? '');
  mkdirSync(app);
}, 600_000);
afterAll(() => {
  if (server?.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
  removeDir(dir);
});

// npm installs: minutes on a loaded 2-core machine, seconds on an idle one.
describe('eventgen installed in a project', { timeout: 600_000 }, () => {
  it('is a tarball of the built CLI, its templates and runtime: no tests, fixtures or sources', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toContain('package/dist/bin.js');
    expect(files).toContain('package/dist/templates.json');
    expect(files).toContain('package/templates/data.ts.hbs');
    expect(files).toContain('package/runtime/webhook.ts');
    expect(files).toContain('package/eventgen.config.schema.json');
    expect(files.filter((f) => /^package\/(test|generator|bench|scripts|docs|schemas|generated|handlers)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    expect(pkg.private).toBeUndefined();
    // Installing it builds nothing: no install-time script, so no dev dependency is needed.
    expect(Object.keys(pkg.scripts).filter((s) => /^(pre|post)?(install|prepare)$/.test(s))).toEqual([]);
  });

  it('npm install, npx eventgen init, docs, npm run generate, and the check passes', () => {
    sh('npm', ['init', '-y'], app);
    sh('npm', ['install', '--save-dev', tarball], app);
    const init = sh('npx', ['eventgen', 'init'], app);
    expect(init).toContain('created eventgen.config.json');
    // The $schema the configuration names is in the installed package.
    const config = JSON.parse(readFileSync(path.join(app, 'eventgen.config.json'), 'utf8'));
    expect(existsSync(path.join(app, config.$schema))).toBe(true);
    copyFileSync(path.join(ROOT, 'docs/presence-events.fr-FR.md'), path.join(app, 'docs/presence-events.fr-FR.md'));
    expect(sh('npm', ['run', 'generate'], app)).toMatch(/1 event types, .*files written/);
    expect(readdirSync(path.join(app, 'schemas'))).toContain('Microsoft.Communication.UserDisconnected.schema.json');
    // Paths are recorded relative to the project.
    expect(readFileSync(path.join(app, 'schemas/Microsoft.Communication.UserDisconnected.schema.json'), 'utf8')).toContain(
      '"file": "docs/presence-events.fr-FR.md"',
    );
    expect(sh('npm', ['run', 'generate:check'], app)).toMatch(/, 0 files stale/);
  });

  it("the application's handlers/server.ts runs from the application and answers Event Grid", async () => {
    // README: the application depends on its generated package (which brings ajv-formats and jose along), and runs
    // the server with its own tsx.
    sh('npm', ['install', './generated'], app);
    sh('npm', ['install', '--save-dev', 'tsx'], app);
    // In a process group of its own, so that the server npx starts ends with it.
    server = spawn('npx', ['tsx', 'handlers/server.ts'], { cwd: app, env: { ...process.env, PORT: '0' }, detached: true });
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`no server in 60 s:\n${output}`)), 60_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /listening on (\S+)/.exec(output);
        if (found?.[1]) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      };
      server?.stdout?.on('data', read);
      server?.stderr?.on('data', read);
      server?.on('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
    });
    const handshake = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation' },
      body: JSON.stringify([
        {
          id: '1',
          topic: '/subscriptions/x',
          subject: '',
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          eventTime: '2024-01-01T00:00:00Z',
          dataVersion: '1',
          metadataVersion: '1',
          data: { validationCode: 'code-1' },
        },
      ]),
    });
    expect(handshake.status).toBe(200);
    expect(await handshake.json()).toEqual({ validationResponse: 'code-1' });
  });
});
