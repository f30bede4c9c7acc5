// Compiles the validators on a worker thread (see compileValidatorsInParallel in validators.ts).
// Plain JavaScript, so it starts without a loader: beside the transpiled sources (bin/eventgen.js)
// it loads validators.js; beside the TypeScript sources it registers tsx to load validators.ts.
import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const compiled = new URL('./validators.js', import.meta.url);
let validators;
if (existsSync(compiled)) validators = await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  validators = await import('./validators.ts');
}
parentPort?.postMessage(validators.compileValidators(new Map(workerData.events), workerData.shared));
