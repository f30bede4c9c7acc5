/**
 * The application's entry point: the handlers folder eventgen writes beside the package (handlers/server.ts,
 * handlers/index.ts, a skeleton per event) runs as it is (`npx tsx server.ts`), routes to the skeletons,
 * and stops on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeEventGridEvent } from '../../generated/src/fixtures.ts';
import { linkNodeModules, ROOT, removeDir, run, shippedDocs, tempDir, writeFiles } from '../helpers.ts';

const dir = tempDir('eventgen-server-');
afterAll(() => removeDir(dir));

it('starts, routes to the skeleton handlers, and stops on SIGTERM', async () => {
  const result = await run(shippedDocs());
  writeFiles(path.join(dir, 'generated'), result.generated);
  writeFiles(path.join(dir, 'handlers'), result.skeletons);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  linkNodeModules(dir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: path.join(dir, 'handlers'),
    env: { ...process.env, PORT: '0', WEBHOOK_SECRET: 'entry', NODE_PATH: path.join(ROOT, 'node_modules') },
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
