/** The generated entry point: build the package, start `node dist/server.js`, deliver an event, stop it. */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeEventGridEvent } from '../../generated/src/index.ts';
import { linkNodeModules, ROOT, removeDir, tempDir } from '../helpers.ts';

const dir = tempDir('eventgen-server-');
afterAll(() => removeDir(dir));

it('starts with node, routes to the skeleton handlers, and stops on SIGTERM', async () => {
  cpSync(path.join(ROOT, 'generated'), dir, {
    recursive: true,
    filter: (f) => !/node_modules|dist/.test(path.relative(ROOT, f)),
  });
  linkNodeModules(dir);
  // The package's own build script, as a user runs it (tsc, then the compiled validators are copied).
  execFileSync('npm', ['run', '-s', 'build'], { cwd: dir, encoding: 'utf8' });
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', WEBHOOK_SECRET: 'entry' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start: ${output}`)), 20_000);
      child.stdout.on('data', () => {
        const match = /listening on (\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const event = makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed: 9 });
    const denied = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([event]),
    });
    expect(denied.status).toBe(401);
    const response = await fetch(`${url}?secret=entry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([event]),
    });
    expect(response.status).toBe(200);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(output).toContain(
    `Microsoft.Communication.SMSReceived ${makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed: 9 }).id}`,
  );
  expect(output).toContain('eventgen webhook closed');
});
