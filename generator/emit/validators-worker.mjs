// Compiles the validators on a worker thread (see compileValidatorsInParallel in validators.ts).
// Plain JavaScript so that it starts without a loader; it registers tsx to load the TypeScript.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { compileValidators } = await import('./validators.ts');
parentPort?.postMessage(compileValidators(new Map(workerData.events), workerData.shared));
