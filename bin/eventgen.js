#!/usr/bin/env node
// Runs the built CLI, dist/bin.js (package.json's "bin"), for scripts that call bin/eventgen.js by path.
// dist/ is built by `npm run build` (and `npm run generate`, `npm pack`, the tests).
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(built)) await import(built.href);
else {
  process.stderr.write('eventgen is not built: run npm install, then npm run build, in its folder first.\n');
  process.exitCode = 1;
}
