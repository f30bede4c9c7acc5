// Preloaded into a benchmarked process: prints its peak resident memory (KiB) and CPU time (user + system,
// every thread, µs) when it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeSync(2, `\neventgen-bench-usage:${usage.maxRSS}:${usage.userCPUTime + usage.systemCPUTime}\n`);
});
