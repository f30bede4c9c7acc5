/** Shared helpers for the test suites: in-memory docs, a temp workspace, running tsc. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { type GenerateOptions, type GenerateResult, generate } from '../generator/generate.ts';
import type { DocFile, FileMap, TextCache } from '../generator/ir.ts';
import { diskCache } from '../generator/write/cache.ts';
import { compileInProcess } from './tsc.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DOCS_DIR = path.join(ROOT, 'docs');

/** The public corpus (test/fixtures/corpus, or one of its locale folders), pages only, paths from the project root. */
export function corpusDocs(folder = ''): DocFile[] {
  const root = path.join(ROOT, 'test/fixtures/corpus', folder);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md') && path.basename(f) !== 'SOURCES.md')
    .sort()
    .map((f) => {
      const file = path.join(root, f);
      return { path: path.relative(ROOT, file).split(path.sep).join('/'), text: readFileSync(file, 'utf8') };
    });
}

/** The shipped docs, as the CLI reads them from the project root. */
export function shippedDocs(): DocFile[] {
  return readdirSync(DOCS_DIR)
    .sort()
    .map((name) => ({ path: `docs/${name}`, text: readFileSync(path.join(DOCS_DIR, name), 'utf8') }));
}

/**
 * The declaration cache the CLI keeps (write/cache.ts), in a folder fresh for each run of the suite (global-setup.ts):
 * the test files that generate from the same schemas share json-schema-to-typescript's and prettier's work, as the
 * runs of one project do. test/emit/typescript.test.ts holds a run with it to a run without, cold and warm.
 */
let suiteCache: TextCache | undefined;
function sharedCache(): TextCache | undefined {
  if (suiteCache === undefined) {
    const dir = inject('generateCache');
    if (dir !== undefined) suiteCache = diskCache(dir);
  }
  return suiteCache;
}

export function run(
  docs: readonly DocFile[],
  existing: ReadonlyMap<string, string> = new Map(),
  existingOutput: ReadonlyMap<string, string> = new Map(),
  options: Partial<GenerateOptions> = {},
): Promise<GenerateResult> {
  const cache = sharedCache();
  return generate({
    docs,
    existingSchemas: existing,
    existingOutput,
    schemasDir: 'schemas',
    ...(cache === undefined ? {} : { cache }),
    options: { locales: ['en', 'fr', 'ko'], packageName: 'eventgen-events', keepGoing: false, ...options },
  });
}

/** A markdown page with front matter and the given body. */
export function page(body: string, locale = 'en-us'): string {
  return `---\ntitle: test page\nms.contentlocale: ${locale}\n---\n# Events\n\n${body}\n`;
}

/** A ```json fence holding `events` as a JSON array. */
export function fence(events: unknown[]): string {
  return `\`\`\`json\n${JSON.stringify(events, null, 2)}\n\`\`\`\n`;
}

export function egEvent(eventType: string, data: unknown, extra: Record<string, unknown> = {}) {
  return {
    id: '1',
    topic: '/subscriptions/x',
    subject: 'thing/1',
    data,
    eventType,
    dataVersion: '1.0',
    metadataVersion: '1',
    eventTime: '2024-01-01T00:00:00Z',
    ...extra,
  };
}

export function tempDir(prefix = 'eventgen-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeFiles(root: string, files: FileMap): void {
  for (const [relative, contents] of files) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}

/**
 * Runs the project's TypeScript compiler as `tsc <args>` in `cwd` would (in this process: see tsc.ts); returns its
 * report, throwing with it on an error.
 */
export function tsc(args: readonly string[], cwd: string): string {
  return compileInProcess(args, cwd);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Makes `dir` see this project's node_modules, standing in for `npm install` in a generated
 * package (its dependencies ajv, ajv-formats, @types/node and typescript are all installed here).
 */
export function linkNodeModules(dir: string): void {
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}
