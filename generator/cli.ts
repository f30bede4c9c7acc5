/**
 * The `eventgen` command line (yargs). Parses and validates every option before anything
 * is read or written, then runs: finishes a write a killed run left halfway, checks the
 * output folders, reads through the file store, runs the pipeline, prints diagnostics and
 * the summary, and decides the exit code: 0 success, 1 errors or a failed `--check`,
 * 2 bad usage.
 */
import path from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import yargs from 'yargs';
import { createAjv } from './ajv.ts';
import { CATALOG, type Diagnostic, diagnostic, formatDiagnostic } from './diagnostics.ts';
import { DEFAULT_PACKAGE_NAME, HANDLERS_DIR } from './emit/index.ts';
import { RELEASE_FILES } from './emit/release.ts';
import { generate } from './generate.ts';
import { DEFAULT_LOCALES } from './infer/index.ts';
import { isBreaking, reportJson, summary } from './report/index.ts';
import { DEFAULT_MAX_DOC_MB, MEGABYTE, readDocs } from './write/docs.ts';
import { inspectFolder } from './write/manifest.ts';
import { display, isWithin, realTarget } from './write/paths.ts';
import { checkOutputPaths, ownershipProblem } from './write/preflight.ts';
import { type Change, isManifest, plan, readSchemaDir, readTextIfExists, strayFiles, writeAtomic } from './write/store.ts';
import { BusyError, commit, pendingSwitch, recover, swapRoots, WriteError } from './write/swap.ts';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/** The options of `eventgen generate`, validated; paths absolute and real. */
interface GenerateArgs {
  docs: string[];
  schemas: string;
  out: string;
  reportJson: string | undefined;
  failOn: 'breaking' | 'never';
  check: boolean;
  keepGoing: boolean;
  locales: string[];
  packageName: string;
  quiet: boolean;
  timings: boolean;
  maxDocBytes: number;
  requiredFromSamples: boolean;
  allowRemoval: boolean;
}

type Parsed = { help: string } | { usage: string } | { args: GenerateArgs };

/** Runs the CLI with `argv` (without the node and script paths) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const parsed = await parseCommandLine(argv);
  if ('help' in parsed) {
    io.out(parsed.help);
    return 0;
  }
  if ('usage' in parsed) {
    io.err(`eventgen: ${parsed.usage}. Run eventgen generate --help for the options.`);
    return 2;
  }
  try {
    return await runGenerate(parsed.args, io);
  } catch (error) {
    // The net under the net: writes report their own failures (with what is on disk), so this run wrote nothing.
    io.err(formatDiagnostic(diagnostic('E_INTERNAL', (error as Error).message, { file: '.', line: 1 })));
    io.out('eventgen: nothing written');
    return 1;
  }
}

const BOOLEANS = ['check', 'keep-going', 'quiet', 'timings', 'help', 'required-from-samples', 'allow-removal'];

/**
 * Parses first and runs after: yargs reports a usage error through `.fail()` but still calls
 * the command's handler, so the handler only keeps the arguments, and nothing runs unless
 * yargs and {@link validate} both accept them. Options have no yargs defaults, so an option
 * given without its value is seen (yargs would put the default in its place).
 */
async function parseCommandLine(argv: readonly string[]): Promise<Parsed> {
  for (const arg of argv) {
    if (arg === '--') break;
    const flag = /^--(?:no-)?([a-zA-Z-]+)=(.*)$/.exec(arg);
    if (flag && BOOLEANS.includes(kebab(flag[1] ?? '')) && !['true', 'false'].includes(flag[2] ?? '')) {
      return { usage: `--${kebab(flag[1] ?? '')} is a switch and takes no value (given "${flag[2]}")` };
    }
  }
  let usage: string | undefined;
  let raw: Record<string, unknown> | undefined;
  const parser = yargs([...argv])
    .scriptName('eventgen')
    .usage('$0 <command> [options]')
    .command(
      'generate',
      'Read Event Grid docs, write JSON Schemas and the generated TypeScript package',
      (y) =>
        y
          .option('docs', {
            type: 'string',
            array: true,
            defaultDescription: 'docs',
            describe:
              'Markdown pages (.md, .markdown, .txt) or JSON sample files, or folders of them (searched recursively; other files are skipped)',
          })
          .option('schemas', {
            type: 'string',
            defaultDescription: 'schemas',
            describe: 'Folder of the reviewed JSON Schemas, one per event type',
          })
          .option('out', {
            type: 'string',
            defaultDescription: 'generated',
            describe: 'Folder of the generated package (a package of its own)',
          })
          .option('check', {
            type: 'boolean',
            default: false,
            describe: 'Write nothing; exit 1 and list the stale files when schemas or output would change',
          })
          .option('keep-going', {
            type: 'boolean',
            default: false,
            describe: 'Report unparseable JSON samples as warnings and generate from the rest',
          })
          .option('locales', {
            type: 'string',
            array: true,
            defaultDescription: DEFAULT_LOCALES.join(','),
            describe: 'Preferred description locales, best first (others are kept in x-eventgen.descriptions)',
          })
          .option('package-name', {
            type: 'string',
            defaultDescription: DEFAULT_PACKAGE_NAME,
            describe: 'The "name" of the generated package.json',
          })
          .option('max-doc-size', {
            type: 'string',
            defaultDescription: String(DEFAULT_MAX_DOC_MB),
            describe: 'Largest doc file read, in MB; a larger file is an error',
          })
          .option('required-from-samples', {
            type: 'boolean',
            default: false,
            describe: 'Make a field required when every sample of its event has it (recorded in each schema file)',
          })
          .option('allow-removal', {
            type: 'boolean',
            default: false,
            describe: 'Let a run mark more than half of the known event types as no longer documented',
          })
          .option('quiet', { type: 'boolean', default: false, describe: 'Print warnings and errors only, not info diagnostics' })
          .option('timings', { type: 'boolean', default: false, describe: 'Print how long each stage took' })
          .option('report-json', {
            type: 'string',
            describe: 'Also write the change report as JSON to this file (outside --out and --schemas)',
          })
          .option('fail-on', {
            choices: ['breaking', 'never'] as const,
            defaultDescription: 'never',
            describe: 'With "breaking": write nothing and exit 1 when the run would make a breaking change (a CI gate)',
          })
          .example('$0 generate', 'docs/ → schemas/ and generated/')
          .example('$0 generate --check', 'in CI: fail when schemas/ or generated/ are stale')
          .example('$0 generate --docs other-docs --out /tmp/pkg', 'any folder of Event Grid docs'),
      (args) => {
        raw = args;
      },
    )
    .demandCommand(1, 'Name a command: eventgen generate')
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message, error) => {
      if (error && !message) throw error;
      usage = message ?? String(error);
    });
  let output = '';
  await parser.parseAsync([...argv], {}, (_error, _parsed, text) => {
    output = text;
  });
  if (usage !== undefined) return { usage };
  if (raw === undefined) return output ? { help: output } : { usage: 'Name a command: eventgen generate' };
  try {
    return { args: validate(raw) };
  } catch (error) {
    if (error instanceof UsageError) return { usage: error.message };
    throw error;
  }
}

class UsageError extends Error {}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const LOCALE = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** Every value the parser let through, checked before anything runs. */
function validate(raw: Record<string, unknown>): GenerateArgs {
  const extra = (raw._ as unknown[]).slice(1);
  if (extra.length > 0) throw new UsageError(`Unknown argument: ${extra.join(' ')}`);
  const single = (name: string): string | undefined => {
    const value = raw[name];
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw new UsageError(`--${name} is given ${value.length} times; give it once`);
    if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} needs a value`);
    return value;
  };
  const list = (name: string): string[] | undefined => {
    const value = raw[name];
    if (value === undefined) return undefined;
    const items = (Array.isArray(value) ? value : [value]).map(String);
    if (items.length === 0 || items.some((item) => item.trim() === '')) throw new UsageError(`--${name} needs a value`);
    return items;
  };
  const flag = (name: string): boolean => {
    const value = raw[name];
    if (Array.isArray(value)) throw new UsageError(`--${name} is given ${value.length} times; give it once`);
    return value === true;
  };

  const locales = (list('locales') ?? [...DEFAULT_LOCALES])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  if (locales.length === 0) throw new UsageError('--locales needs a value');
  const badLocale = locales.find((l) => !LOCALE.test(l));
  if (badLocale !== undefined) throw new UsageError(`--locales: "${badLocale}" is not a locale such as en or fr-FR`);
  const packageName = single('package-name') ?? DEFAULT_PACKAGE_NAME;
  if (!PACKAGE_NAME.test(packageName) || packageName.length > 214) {
    throw new UsageError(
      `--package-name: "${packageName}" is not a valid npm package name (lower case, such as @contoso/events)`,
    );
  }
  const size = single('max-doc-size') ?? String(DEFAULT_MAX_DOC_MB);
  const megabytes = Number(size);
  if (!Number.isFinite(megabytes) || megabytes <= 0) {
    throw new UsageError(`--max-doc-size: "${size}" is not a number of megabytes above 0`);
  }
  const failOn = single('fail-on') ?? 'never';

  const args: GenerateArgs = {
    docs: list('docs') ?? ['docs'],
    schemas: realTarget(single('schemas') ?? 'schemas'),
    out: realTarget(single('out') ?? 'generated'),
    reportJson: single('report-json'),
    failOn: failOn === 'breaking' ? 'breaking' : 'never',
    check: flag('check'),
    keepGoing: flag('keep-going'),
    locales,
    packageName,
    quiet: flag('quiet'),
    timings: flag('timings'),
    maxDocBytes: megabytes * MEGABYTE,
    requiredFromSamples: flag('required-from-samples'),
    allowRemoval: flag('allow-removal'),
  };
  if (args.reportJson !== undefined) args.reportJson = realTarget(args.reportJson);

  // Where the output folders are: each is replaced as a whole when a run writes (write/swap.ts).
  if (args.schemas === args.out)
    throw new UsageError(`--schemas and --out both name ${display(args.out)}; give each its own folder`);
  for (const [name, folder] of [
    ['--schemas', args.schemas],
    ['--out', args.out],
  ] as const) {
    if (path.dirname(folder) === folder) throw new UsageError(`${name} cannot be the root of the file system`);
    if (!args.check && isWithin(realTarget(process.cwd()), folder)) {
      throw new UsageError(
        `${name} ${display(folder)} holds the current folder, and eventgen replaces that folder as a whole when it writes; run it from outside`,
      );
    }
    if (args.reportJson !== undefined && isWithin(args.reportJson, folder)) {
      throw new UsageError(
        `--report-json ${display(args.reportJson)} is inside ${name}; write the report outside the folders eventgen writes`,
      );
    }
  }
  return args;
}

async function runGenerate(args: GenerateArgs, io: Io): Promise<number> {
  const print = (diagnostics: readonly Diagnostic[]) => {
    for (const d of diagnostics) if (!(args.quiet && d.severity === 'info')) io.err(formatDiagnostic(d));
  };
  const stop = (diagnostics: readonly Diagnostic[]) => {
    print(diagnostics);
    io.out('eventgen: nothing written');
    return 1;
  };
  const roots = swapRoots([args.schemas, args.out]);

  const pathProblems = checkOutputPaths(args);
  if (pathProblems.length > 0) return stop(pathProblems);

  // A run killed while writing is finished (or undone) before anything is read; --check only says so.
  let recovered: Diagnostic[] = [];
  try {
    const pending = args.check ? pendingSwitch(roots) : undefined;
    if (pending) {
      const message = pending.busy
        ? `another eventgen run is writing ${display(pending.work)}; --check cannot compare until it ends`
        : `a run was killed while writing, and its write is not finished yet (${display(pending.work)}); --check writes nothing, so it cannot finish it`;
      return stop([diagnostic('E_OUTPUT_BUSY', message, { file: display(pending.work), line: 1 })]);
    }
    if (!args.check) recovered = recover(roots);
  } catch (error) {
    return stop([writeFailure(error, roots[0] ?? args.out, 'finishing the write of an interrupted run failed')]);
  }

  // Only folders that are empty or eventgen's own are written into (write/manifest.ts).
  const schemasOwner = inspectFolder(args.schemas, 'schemas', [args.out]);
  const outOwner = inspectFolder(args.out, 'out', [args.schemas]);
  const ownership = [
    ownershipProblem(schemasOwner, '--schemas', args.schemas),
    ownershipProblem(outOwner, '--out', args.out),
  ].filter((d) => d !== undefined);
  if (ownership.length > 0) return stop([...recovered, ...ownership]);

  const read = readDocs(args.docs, { maxBytes: args.maxDocBytes, exclude: [args.schemas, args.out] });
  const existingSchemas = readSchemaDir(args.schemas);
  const schemasDir = display(args.schemas);
  let result: Awaited<ReturnType<typeof generate>>;
  const input = {
    docs: read.docs,
    existingSchemas,
    existingOutput: readReleaseFiles(args.out),
    schemasDir,
    options: {
      locales: args.locales,
      packageName: args.packageName,
      keepGoing: args.keepGoing,
      requiredFromSamples: args.requiredFromSamples,
      allowRemoval: args.allowRemoval,
    },
  };
  try {
    result = await generate(input);
  } catch (error) {
    // Stages report bad input as diagnostics; this is the net for anything they did not foresee.
    return stop([...recovered, ...read.diagnostics, ...(await blame(error, input, args.docs))]);
  }
  const handlersDir = path.join(args.out, HANDLERS_DIR);
  const expected = new Set([...result.skeletons.keys(), ...result.generated.keys()].map((f) => path.relative(HANDLERS_DIR, f)));
  const orphans = strayFiles(handlersDir, expected).map((file) =>
    diagnostic('W_SKELETON_ORPHANED', 'handler skeleton for an event type no longer in schemas/ was kept', {
      file: display(file),
      line: 1,
    }),
  );
  const started = performance.now();
  const errors = [...read.diagnostics, ...result.diagnostics].filter((d) => d.severity === 'error').length;
  const { changes, kept } = plan([
    {
      root: args.schemas,
      files: result.schemas,
      previous: schemasOwner.kind === 'known' ? schemasOwner.manifest : undefined,
      prune: false,
    },
    {
      root: args.out,
      files: result.generated,
      createOnly: result.skeletons,
      previous: outOwner.kind === 'known' ? outOwner.manifest : undefined,
      prune: true,
    },
  ]);
  const diagnostics = [...recovered, ...read.diagnostics, ...result.diagnostics, ...orphans, ...(errors > 0 ? [] : kept)];
  print(diagnostics);

  const { stats } = result;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const head =
    `${stats.docsRead} docs read, ${stats.samples} samples (${stats.distinctSamples} distinct), ` +
    `${stats.eventTypes} event types, ${warnings} warnings, ${errors} errors`;
  const tail = summaryTail(diagnostics, read.skipped);
  if (errors > 0) {
    io.out(`eventgen: ${head}, nothing written${tail}`);
    return 1;
  }
  for (const line of summary(result.changes, result.release)) io.out(line);
  if (args.reportJson !== undefined) {
    try {
      writeAtomic(args.reportJson, reportJson(result.changes, result.release));
    } catch (error) {
      return stop([writeFailure(error, args.reportJson, 'writing the report failed', 'nothing was written')]);
    }
  }
  if (args.failOn === 'breaking' && isBreaking(result.changes)) {
    io.out(`eventgen: ${head}, nothing written: the run would make a breaking change (--fail-on breaking)${tail}`);
    return 1;
  }
  if (args.check) {
    for (const change of changes) io.err(`stale: ${display(change.file)} (${describeChange(change)})`);
    io.out(`eventgen: ${head}, ${changes.length} files stale${tail}`);
    return changes.length > 0 ? 1 : 0;
  }
  try {
    commit(changes, roots);
  } catch (error) {
    print([writeFailure(error, roots[0] ?? args.out, 'writing failed')]);
    io.out(`eventgen: ${head}, ${error instanceof WriteError ? error.state : 'nothing written'}${tail}`);
    return 1;
  }
  if (args.timings) {
    io.err(
      `timings: ${[...result.timings, ['write', performance.now() - started] as const].map(([s, ms]) => `${s} ${Math.round(ms)} ms`).join(', ')}`,
    );
  }
  const written = changes.filter((c) => !isManifest(c)).length;
  const recorded =
    written === 0 && changes.length > 0 ? ` (only ${changes.map((c) => display(c.file)).join(' and ')} recorded)` : '';
  io.out(`eventgen: ${head}, ${written} files written${recorded}${tail}`);
  return 0;
}

/** A diagnostic for a failed write that says what is on disk now. */
function writeFailure(error: unknown, at: string, what: string, state = 'nothing was changed'): Diagnostic {
  if (error instanceof BusyError) {
    return diagnostic('E_OUTPUT_BUSY', `${error.message}; nothing was changed`, { file: display(error.work), line: 1 });
  }
  const message =
    error instanceof WriteError ? `${what}: ${error.message}; ${error.state}` : `${what}: ${(error as Error).message}; ${state}`;
  return diagnostic('E_WRITE', message, { file: display(at), line: 1 });
}

function describeChange(change: Change): string {
  return { create: 'would be created', update: 'would change', delete: 'would be deleted' }[change.kind];
}

/** Shown at most, of the files a folder scan skipped. */
const SKIPPED_NAMED = 5;

function summaryTail(diagnostics: readonly Diagnostic[], skippedFiles: readonly string[]): string {
  const parts: string[] = [];
  const blocks = diagnostics
    .filter((d) => d.code === 'E_JSON_SYNTAX' && d.severity !== CATALOG.E_JSON_SYNTAX.severity)
    .map((d) => `${d.file}:${d.line}`);
  if (blocks.length > 0) parts.push(`${blocks.length} unparseable sample blocks skipped: ${blocks.join(', ')}`);
  if (skippedFiles.length > 0) {
    const named = skippedFiles.slice(0, SKIPPED_NAMED).join(', ') + (skippedFiles.length > SKIPPED_NAMED ? ', …' : '');
    parts.push(`${skippedFiles.length} files skipped (not .md, .markdown, .txt or .json): ${named}`);
  }
  return parts.map((p) => `; ${p}`).join('');
}

/** What the release step needs of the generated package on disk: its package.json and CHANGELOG.md. */
function readReleaseFiles(out: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of RELEASE_FILES) {
    const text = readTextIfExists(path.join(out, name));
    if (text !== undefined) files.set(name, text);
  }
  return files;
}

/**
 * The E_INTERNAL diagnostics for a stage that threw, naming what caused it: a schema file that
 * is not a valid JSON Schema (at the line of the bad keyword), or the schemas folder when the
 * docs alone generate, or else the docs.
 */
async function blame(error: unknown, input: Parameters<typeof generate>[0], docs: readonly string[]): Promise<Diagnostic[]> {
  const reason = error instanceof RangeError ? 'an input is nested too deeply' : (error as Error).message;
  const ajv = createAjv({ standalone: false });
  const invalid: Diagnostic[] = [];
  for (const [name, text] of input.existingSchemas) {
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch {
      continue; // E_SCHEMA_READ reports it
    }
    if (ajv.validateSchema(schema as object)) continue;
    const first = ajv.errors?.[0];
    const pointer = first?.instancePath ?? '';
    const node = findNodeAtLocation(
      parseTree(text) ?? { type: 'null', offset: 0, length: 0 },
      pointer
        .split('/')
        .slice(1)
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')),
    );
    const line = text.slice(0, node?.offset ?? 0).split('\n').length;
    invalid.push(
      diagnostic(
        'E_INTERNAL',
        `${reason}: this file is not a valid JSON Schema (${pointer || '/'} ${first?.message ?? 'is invalid'})`,
        { file: `${input.schemasDir}/${name}`, line },
        pointer,
      ),
    );
  }
  if (invalid.length > 0) return invalid;
  if (input.existingSchemas.size > 0) {
    try {
      await generate({ ...input, existingSchemas: new Map() });
      return [
        diagnostic('E_INTERNAL', `${reason}: the docs alone generate, so a file in ${input.schemasDir} causes it`, {
          file: input.schemasDir,
          line: 1,
        }),
      ];
    } catch {
      // The docs fail on their own too.
    }
  }
  return [diagnostic('E_INTERNAL', reason, { file: docs.join(' '), line: 1 })];
}
