// Preloaded into a benchmarked process: prints its peak resident memory (KiB) when it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\neventgen-bench-maxrss:${process.resourceUsage().maxRSS}\n`);
});
