#!/usr/bin/env node
// The eventgen executable (package.json "bin", built into dist/bin.js by `npm run build`).
import { main } from './cli.ts';

process.exitCode = await main(process.argv.slice(2));
