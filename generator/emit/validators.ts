/**
 * Standalone validators: every event schema, the shared definitions and the envelope
 * schemas compiled at generate time with ajv (JSON Schema 2020-12, ajv-formats) into
 * one ES module, so the generated package never compiles a schema at run time.
 *
 * ajv's standalone ES module output still loads its small runtime (`ucs2length`, `equal`, when
 * the schemas need them) and the format checks with `require(…)`; those calls become ES imports
 * here, and the packages they name are declared as dependencies of the generated package. Format
 * checks come from `./formats.js`, a copy of generator/formats.mjs that the package ships
 * ({@link formatsModule}), so the package checks formats with the code inference and tests use.
 *
 * ajv's part of the module (the envelopes it compiles, and any schema outside the own code's subset) is
 * kept in the run cache (ir.ts TextCache) under a hash of its schemas and ajv's version: a re-run whose
 * envelopes and shared definitions did not change compiles nothing with ajv here.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { createAjv, forAjv, profileOf } from '../ajv.ts';
import { sha256 } from '../hash.ts';
import { type JsonSchema, SHARED_DEFS_FILE, type TextCache } from '../ir.ts';
import { CLOUD_EVENT, EVENT_GRID_ANY, EVENT_GRID_DELIVERED } from './envelopes.ts';
import { ownValidators } from './validators-code.ts';

export interface CompiledValidators {
  /** The ES module source. */
  readonly code: string;
  /** npm packages the module imports at run time. */
  readonly imports: string[];
  /** The exports of eventgen's own code (errors in their final shape); the others are ajv's. */
  readonly own: string[];
}

/** The export name of the Event Grid envelope's validator. */
const ENVELOPE = 'EventGridEvent';

/**
 * Compiles `events` (export name → schema with `$id`) and the shared definitions into one module.
 * Exports `EventGridEvent`, `EventGridDeliveredEvent`, `CloudEvent` and one function per event.
 */
export function compileValidators(
  events: ReadonlyMap<string, JsonSchema>,
  shared: Readonly<Record<string, JsonSchema>>,
  cache?: TextCache,
): CompiledValidators {
  const strippedShared = (forAjv({ $defs: shared }) as { $defs: Record<string, JsonSchema> }).$defs;
  const stripped = new Map([...events].map(([name, schema]) => [name, forAjv(schema) as JsonSchema]));
  // eventgen's own code for the schemas in its subset, the Event Grid envelope among them; ajv compiles the
  // delivered form (an `allOf` of that envelope), the CloudEvents envelope and the rest.
  const own = ownValidators(new Map([[ENVELOPE, EVENT_GRID_ANY], ...stripped]), strippedShared);
  const left = [...own.left].filter(([name]) => name !== ENVELOPE);
  const schemas = [
    { $id: SHARED_DEFS_FILE, $defs: strippedShared } as JsonSchema,
    EVENT_GRID_ANY, // the delivered form refers to it
    EVENT_GRID_DELIVERED,
    CLOUD_EVENT,
    ...left.map(([, schema]) => schema),
  ];
  const exports: Record<string, string> = {
    ...(own.left.has(ENVELOPE) ? { [ENVELOPE]: EVENT_GRID_ANY.$id as string } : {}),
    EventGridDeliveredEvent: EVENT_GRID_DELIVERED.$id as string,
    CloudEvent: CLOUD_EVENT.$id as string,
  };
  for (const [name, schema] of left) exports[name] = schema.$id as string;
  const compiled = ajvModule(schemas, exports, cache);
  if (own.own.length === 0) return { code: compiled.code, imports: compiled.imports, own: [] };
  // One import of formats.js: ajv's when its code has one.
  const formatsLocal = compiled.locals.get('./formats.js');
  return {
    code:
      formatsLocal === undefined
        ? `import { formats as $formats } from "./formats.js";\n${compiled.code}${own.code}\n`
        : `${compiled.code}const $formats = ${formatsLocal}.formats;\n${own.code}\n`,
    imports: [...new Set([...compiled.imports, ...FORMATS_IMPORTS])].sort(),
    own: own.own,
  };
}

/** ajv's standalone module of `schemas` with `exports`, as {@link esmImports} gives it; through `cache` when given. */
function ajvModule(schemas: readonly JsonSchema[], exports: Record<string, string>, cache?: TextCache): AjvModule {
  const key = cache && sha256(JSON.stringify(['ajv standalone', ajvVersions(), schemas, exports]));
  const hit = key === undefined ? undefined : storedModule(cache?.get(key));
  if (hit !== undefined) return hit;
  const ajv = createAjv({ standalone: true, profile: profileOf(schemas) });
  for (const schema of schemas) ajv.addSchema(schema);
  const compiled = esmImports(standaloneCode.default(ajv, exports));
  if (key !== undefined) cache?.set(key, JSON.stringify({ ...compiled, locals: [...compiled.locals] }));
  return compiled;
}

/** A module {@link ajvModule} stored, or undefined for a text that is not one. */
function storedModule(text: string | undefined): AjvModule | undefined {
  if (text === undefined) return undefined;
  try {
    const { code, imports, locals } = JSON.parse(text) as Record<string, unknown>;
    const strings = (list: unknown): list is string[] => Array.isArray(list) && list.every((s) => typeof s === 'string');
    if (typeof code !== 'string' || !strings(imports) || !Array.isArray(locals) || !locals.every(strings)) return undefined;
    return { code, imports, locals: new Map(locals as [string, string][]) };
  } catch {
    return undefined;
  }
}

/** The versions of ajv and ajv-formats: a new release of either compiles anew. */
let versions: string | undefined;
function ajvVersions(): string {
  if (versions === undefined) {
    const require = createRequire(import.meta.url);
    const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
    versions = `ajv@${version('ajv')} ajv-formats@${version('ajv-formats')}`;
  }
  return versions;
}

/** The source of generator/formats.mjs, shipped as the generated package's `src/formats.js`. */
export function formatsModule(): string {
  return readFileSync(new URL('../formats.mjs', import.meta.url), 'utf8');
}

/** The packages formats.mjs imports. */
const FORMATS_IMPORTS = ['ajv-formats'];

/** Below this many event types a worker thread costs more to start than it saves. */
const WORKER_THRESHOLD = 200;

/**
 * {@link compileValidators} on a worker thread, so ajv (a third of the generate time at 1000
 * event types, bench P2) runs while the main thread compiles the TypeScript declarations.
 */
export function compileValidatorsInParallel(
  events: ReadonlyMap<string, JsonSchema>,
  shared: Readonly<Record<string, JsonSchema>>,
  cache?: TextCache,
): Promise<CompiledValidators> {
  // The worker has no cache: its runs are the large sets, where ajv's part is their own schemas.
  if (events.size < WORKER_THRESHOLD) return Promise.resolve(compileValidators(events, shared, cache));
  // Should the worker fail to start or die, the same compilation runs here instead.
  return compileOnWorker(events, shared).catch(() => compileValidators(events, shared));
}

/** {@link compileValidators} on a worker thread; rejects if the worker fails. */
export function compileOnWorker(
  events: ReadonlyMap<string, JsonSchema>,
  shared: Readonly<Record<string, JsonSchema>>,
): Promise<CompiledValidators> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./validators-worker.mjs', import.meta.url), {
      workerData: { events: [...events], shared },
    });
    worker.once('message', (result: CompiledValidators) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the validator worker stopped with code ${code}`));
    });
  });
}

/**
 * Turns ajv's `require("x")` calls into ES imports of `x.js` (`./formats.js`, the package's own copy of
 * generator/formats.mjs, as it is) and lists the packages, with those formats.js imports.
 */
type AjvModule = Omit<CompiledValidators, 'own'> & { locals: Map<string, string> };

function esmImports(source: string): AjvModule {
  const modules: string[] = [];
  const body = source.replace(/^"use strict";/, '').replace(/require\("([^"]+)"\)/g, (_, module: string) => {
    let i = modules.indexOf(module);
    if (i < 0) i = modules.push(module) - 1;
    return `runtime${i}`;
  });
  // Node gives a CommonJS module as the namespace's `default`; bundlers and vitest may
  // unwrap its `default` export instead. `cjs` returns module.exports either way.
  const header =
    modules.length === 0
      ? []
      : [
          ...modules.map((m, i) => `import * as runtime${i}ns from ${JSON.stringify(m.startsWith('.') ? m : `${m}.js`)};`),
          'const cjs = (ns) => (ns.default !== null && typeof ns.default === "object" && ns.default.__esModule ? ns.default : ns);',
          ...modules.map((_, i) => `const runtime${i} = cjs(runtime${i}ns);`),
        ];
  const packages = modules.filter((m) => !m.startsWith('.'));
  if (modules.length > packages.length) packages.push(...FORMATS_IMPORTS);
  const imports = [
    ...new Set(packages.map((m) => (m.startsWith('@') ? m.split('/').slice(0, 2) : m.split('/').slice(0, 1)).join('/'))),
  ];
  return {
    code: `${header.join('\n')}\n${body.trim()}\n`,
    imports: imports.sort(),
    locals: new Map(modules.map((m, i) => [m, `runtime${i}`])),
  };
}
