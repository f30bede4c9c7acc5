#!/usr/bin/env node
// The eventgen CLI. It runs the TypeScript sources of generator/ with no build step to remember:
// the first run after a change transpiles them, file by file with TypeScript's transpileModule,
// into node_modules/.cache/eventgen/<hash of the sources>/, and later runs load that JavaScript
// (loading the sources through tsx's hooks costs about a second more on every run). Without
// TypeScript, with EVENTGEN_NO_CACHE set, or if anything about the cache fails, tsx runs the sources.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return sources(file);
      return /\.(ts|mjs)$/.test(entry.name) ? [file] : [];
    });
}

async function compiledEntry() {
  const files = sources(path.join(root, 'generator'));
  const hash = createHash('sha256');
  for (const file of files) hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  const cache = path.join(root, 'node_modules', '.cache', 'eventgen');
  const dir = path.join(cache, hash.digest('hex').slice(0, 16));
  const entry = path.join(dir, 'generator', 'cli.js');
  if (!existsSync(entry)) {
    const ts = (await import('typescript')).default;
    const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, rewriteRelativeImportExtensions: true };
    const staging = `${dir}.${process.pid}.tmp`;
    for (const file of files) {
      const relative = path.relative(root, file);
      const out = path.join(staging, relative.endsWith('.ts') ? `${relative.slice(0, -3)}.js` : relative);
      const text = readFileSync(file, 'utf8');
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(
        out,
        file.endsWith('.ts') ? ts.transpileModule(text, { compilerOptions: options, fileName: file }).outputText : text,
      );
    }
    // Templates are read at run time beside generator/, always the live ones.
    symlinkSync(path.join(root, 'templates'), path.join(staging, 'templates'), 'dir');
    writeFileSync(path.join(staging, 'package.json'), '{ "type": "module" }\n');
    try {
      renameSync(staging, dir);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another run made it first
    }
    for (const old of readdirSync(cache)) {
      // Staging folders (<hash>.<pid>.tmp) are another run's work unless their run is gone (killed).
      const staging = /\.(\d+)\.tmp$/.exec(old);
      const stale = staging ? !running(Number(staging[1])) : path.join(cache, old) !== dir;
      if (stale) rmSync(path.join(cache, old), { recursive: true, force: true });
    }
  }
  return pathToFileURL(entry).href;
}

function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

let cli;
try {
  if (process.env.EVENTGEN_NO_CACHE) throw new Error('cache disabled');
  cli = await import(await compiledEntry());
} catch {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../generator/cli.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));
