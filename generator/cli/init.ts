/**
 * `eventgen init`: sets up eventgen in an application's folder (the working directory), as
 * `biome init` or `tsc --init` do, and never overwrites anything:
 * - `eventgen.config.json` with the default folders and a `$schema` (eventgen.config.schema.json,
 *   shipped in eventgen's package) for editors; left alone when it exists, or when package.json
 *   already keeps the options under its `eventgen` key;
 * - `docs/README.md`, a note on what to put in `docs/`; left alone when it exists;
 * - the `generate` and `generate:check` scripts in package.json (created when there is none); a
 *   script of that name that runs something else is kept, and named.
 * Each file is written whole (beside, then renamed) or not at all; package.json is rewritten only to
 * add what is missing, its other keys and their order kept.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
// package.json is replaced as the report is: written beside it, then renamed over it.
import { writeReport as writeAtomic } from '../write/report.ts';
import { createHandlers } from './handlers.ts';
import { CONFIG_FILE } from './options.ts';
import type { Io } from './print.ts';

/** Where an application that installs eventgen finds the JSON Schema of its configuration file. */
export const CONFIG_SCHEMA_REF = './node_modules/eventgen/eventgen.config.schema.json';

export const SCRIPTS: Readonly<Record<string, string>> = {
  generate: 'eventgen generate',
  'generate:check': 'eventgen generate --check',
};

const DOCS_NOTE = `# Event Grid documentation pages

Put here the pages that document the events your application receives, and run
\`npm run generate\`. eventgen reads every \`.md\`, \`.markdown\` and \`.txt\` page (Microsoft Learn
pages as markdown, such as a page's "Edit" source on GitHub, or a saved export) and every \`.json\`
file of sample events, in this folder and below.

A page of event types in any locale works: eventgen finds its table of event types and its JSON
samples in both envelopes (Event Grid schema and CloudEvents 1.0). A sample your own service sent
(one event, or an array of them, as JSON) is evidence too.

What eventgen writes: \`schemas/\` (one JSON Schema per event type, for review: commit it, and edit
it to curate), \`generated/\` (the package: types, validators, fixtures, the webhook) and
\`handlers/\` (a handler per event type, yours to edit). \`npm run generate:check\` fails in CI when
they are stale.
`;

/** Runs `eventgen init` in `dir`; returns the exit code (0, or 1 when a file could not be read or written). */
export function runInit(dir: string, io: Io): number {
  const packageFile = path.join(dir, 'package.json');
  const found = readPackage(packageFile);
  if ('problem' in found) {
    io.err(`package.json:1 error E_INIT ${found.problem}. Nothing was written.`);
    return 1;
  }
  const outcome: Outcome = { done: [], kept: [] };
  try {
    addConfig(dir, found.pkg, outcome);
    addDocsNote(dir, outcome);
    addScripts(dir, found, outcome);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    io.err(`. error E_WRITE eventgen init could not write (${code}). Check the folder's permissions and run it again.`);
    if (outcome.done.length > 0) io.out(`eventgen: written before it stopped: ${outcome.done.join(', ')}`);
    return 1;
  }
  for (const file of outcome.done) io.out(`created ${file}`);
  for (const file of outcome.kept) io.out(`kept ${file}`);
  io.out(nextSteps(found.pkg).join('\n'));
  return 0;
}

/** What init created, and what it found and kept, one phrase each. */
interface Outcome {
  readonly done: string[];
  readonly kept: string[];
}

/** The application's package.json, when it has one: its object and its text (for its indentation and line ends). */
interface Package {
  readonly pkg?: Record<string, unknown>;
  readonly text?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads package.json if there is one; the problem (to fix before init writes anything) when it is not a JSON object with an object of scripts. */
function readPackage(file: string): Package | { problem: string } {
  if (!existsSync(file)) return {};
  let text: string;
  let parsed: unknown;
  try {
    text = readFileSync(file, 'utf8');
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `package.json is not valid JSON (${(error as Error).message})` };
  }
  if (!isObject(parsed)) return { problem: 'package.json does not hold an object; fix it, then run eventgen init again' };
  if (parsed.scripts !== undefined && !isObject(parsed.scripts)) {
    return { problem: 'its "scripts" is not an object. Fix it, then run eventgen init again' };
  }
  return { pkg: parsed, text };
}

/** The configuration file, unless it exists or package.json keeps the options under its `eventgen` key. */
function addConfig(dir: string, pkg: Package['pkg'], outcome: Outcome): void {
  if (existsSync(path.join(dir, CONFIG_FILE))) outcome.kept.push(`${CONFIG_FILE} (exists)`);
  else if (pkg !== undefined && 'eventgen' in pkg) outcome.kept.push('the "eventgen" key of package.json (it holds the options)');
  else {
    const config = { $schema: CONFIG_SCHEMA_REF, docs: 'docs', schemas: 'schemas', out: 'generated' };
    createFile(path.join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    outcome.done.push(CONFIG_FILE);
  }
}

/** The docs folder and its note, unless the note exists. */
function addDocsNote(dir: string, outcome: Outcome): void {
  const note = path.join(dir, 'docs', 'README.md');
  if (existsSync(note)) outcome.kept.push('docs/README.md (exists)');
  else {
    mkdirSync(path.dirname(note), { recursive: true });
    createFile(note, DOCS_NOTE);
    outcome.done.push('docs/README.md');
  }
}

/**
 * The scripts missing from package.json (a package.json of its own when there is none); one of the same
 * name that runs something else is kept. An existing package.json keeps its keys, indentation and line ends.
 */
function addScripts(dir: string, { pkg, text }: Package, outcome: Outcome): void {
  const packageFile = path.join(dir, 'package.json');
  const current = { ...((pkg?.scripts as Record<string, unknown> | undefined) ?? {}) };
  const added: string[] = [];
  for (const [name, command] of Object.entries(SCRIPTS)) {
    if (current[name] === undefined) {
      current[name] = command;
      added.push(name);
    } else if (current[name] !== command)
      outcome.kept.push(`the "${name}" script of package.json (it runs ${JSON.stringify(current[name])})`);
  }
  if (pkg === undefined) {
    const name = packageName(path.basename(dir));
    writeAtomic(packageFile, `${JSON.stringify({ name, version: '0.0.0', private: true, scripts: current }, null, 2)}\n`);
    outcome.done.push(`package.json (with the scripts ${added.join(', ')})`);
  } else if (added.length > 0) {
    const indent = /^[ \t]+/m.exec(text ?? '')?.[0] ?? 2;
    const eol = text?.includes('\r\n') ? '\r\n' : '\n';
    const json = JSON.stringify({ ...pkg, scripts: current }, null, indent).replace(/\n/g, eol);
    writeAtomic(packageFile, `${json}${eol}`);
    outcome.done.push(`the scripts ${added.join(', ')} in package.json`);
  }
}

/** What to do next: install eventgen (unless package.json depends on it), add pages, generate. */
function nextSteps(pkg: Package['pkg']): string[] {
  const installed = ['dependencies', 'devDependencies'].some((key) => {
    const deps = (pkg?.[key] ?? {}) as Record<string, unknown>;
    return typeof deps === 'object' && deps !== null && 'eventgen' in deps;
  });
  return [
    'Next:',
    ...(installed ? [] : ['  npm install --save-dev eventgen   (the scripts run it; the $schema points into it)']),
    '  put Event Grid documentation pages in docs/',
    '  npm run generate                  (writes schemas/, generated/ and handlers/)',
  ];
}

/** A file created whole, and only when nothing is there (written beside, then linked: never replaces one made meanwhile). */
function createFile(file: string, text: string): void {
  createHandlers([{ file, kind: 'create', contents: text }]);
}

/** An npm package name made from a folder's name: lower case, other characters as `-`. */
function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9-._~]+/g, '-')
    .replace(/^[-._]+|-+$/g, '');
  return name === '' ? 'app' : name.slice(0, 214);
}
