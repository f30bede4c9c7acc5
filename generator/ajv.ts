/**
 * The one ajv configuration eventgen validates with: the generated standalone validators,
 * the merge stage's conflict check and the tests' oracle all use it, so they agree.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export function createAjv(options: { standalone: boolean }): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    // Own properties only: a `toString` or `__proto__` inherited from Object.prototype never satisfies `required`.
    ownProperties: true,
    // optimize: false: ajv's code optimiser took a third of the generate time at 1000 event types (bench P2).
    ...(options.standalone ? { code: { source: true, esm: true, lines: true, optimize: false } } : {}),
  });
  addFormats.default(ajv);
  return ajv;
}
