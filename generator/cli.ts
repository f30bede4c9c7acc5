/**
 * The `eventgen` command line (yargs): parses options, reads through the file store,
 * runs the pipeline, prints diagnostics and the summary, and decides the exit code:
 * 0 success, 1 errors or a failed `--check`, 2 bad usage.
 */
import path from 'node:path';
import yargs from 'yargs';
import { CATALOG, type Diagnostic, diagnostic, formatDiagnostic } from './diagnostics.ts';
import { DEFAULT_PACKAGE_NAME, GENERATED_MARK, HANDLERS_DIR } from './emit/index.ts';
import { RELEASE_FILES } from './emit/release.ts';
import { generate } from './generate.ts';
import { DEFAULT_LOCALES } from './infer/index.ts';
import { isBreaking, reportJson, summary } from './report/index.ts';
import {
  apply,
  type Change,
  display,
  plan,
  readDocs,
  readSchemaDir,
  readTextIfExists,
  strayFiles,
  writeAtomic,
} from './write/store.ts';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

interface GenerateArgs {
  docs: string[];
  reportJson: string | undefined;
  failOn: 'breaking' | 'never';
  schemas: string;
  out: string;
  check: boolean;
  keepGoing: boolean;
  locales: string[];
  packageName: string;
  quiet: boolean;
  timings: boolean;
}

/** Runs the CLI with `argv` (without the node and script paths) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  let exitCode = 0;
  let usageError: string | undefined;
  const parser = yargs([...argv])
    .scriptName('eventgen')
    .usage('$0 <command> [options]')
    .command<GenerateArgs>(
      'generate',
      'Read Event Grid docs, write JSON Schemas and the generated TypeScript package',
      (y) =>
        y
          .option('docs', {
            type: 'string',
            array: true,
            default: ['docs'],
            describe: 'Markdown pages or JSON sample files, or folders of them (searched recursively)',
          })
          .option('schemas', {
            type: 'string',
            default: 'schemas',
            describe: 'Folder of the reviewed JSON Schemas, one per event type',
          })
          .option('out', {
            type: 'string',
            default: 'generated',
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
            default: [...DEFAULT_LOCALES],
            coerce: (values: string[]) =>
              values
                .flatMap((v) => v.split(','))
                .map((v) => v.trim())
                .filter(Boolean),
            describe: 'Preferred description locales, best first (others are kept in x-eventgen.descriptions)',
          })
          .option('package-name', {
            type: 'string',
            default: DEFAULT_PACKAGE_NAME,
            describe: 'The "name" of the generated package.json',
          })
          .option('quiet', { type: 'boolean', default: false, describe: 'Print warnings and errors only, not info diagnostics' })
          .option('timings', { type: 'boolean', default: false, describe: 'Print how long each stage took' })
          .option('report-json', { type: 'string', describe: 'Also write the change report as JSON to this file' })
          .option('fail-on', {
            choices: ['breaking', 'never'] as const,
            default: 'never' as const,
            describe: 'With "breaking": write nothing and exit 1 when the run would make a breaking change (a CI gate)',
          })
          .example('$0 generate', 'docs/ → schemas/ and generated/')
          .example('$0 generate --check', 'in CI: fail when schemas/ or generated/ are stale')
          .example('$0 generate --docs other-docs --out /tmp/pkg', 'any folder of Event Grid docs'),
      async (args) => {
        exitCode = await runGenerate(args, io);
      },
    )
    .demandCommand(1, 'Name a command: eventgen generate')
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      usageError = message;
    });
  let helpShown = false;
  await parser.parseAsync([...argv], {}, (_err, parsed, output) => {
    if (output) {
      helpShown = (parsed as { help?: boolean }).help === true;
      (usageError ? io.err : io.out)(output);
    }
  });
  if (usageError !== undefined) {
    io.err(`eventgen: ${usageError}. Run eventgen generate --help for the options.`);
    return 2;
  }
  return helpShown ? 0 : exitCode;
}

async function runGenerate(args: GenerateArgs, io: Io): Promise<number> {
  const read = readDocs(args.docs);
  const schemasDir = display(path.resolve(args.schemas));
  let result: Awaited<ReturnType<typeof generate>>;
  try {
    result = await generate({
      docs: read.docs,
      existingSchemas: readSchemaDir(args.schemas),
      existingOutput: readReleaseFiles(args.out),
      schemasDir,
      options: { locales: args.locales, packageName: args.packageName, keepGoing: args.keepGoing },
    });
  } catch (error) {
    // Stages report bad input as diagnostics; this is the net for anything they did not foresee.
    const reason = error instanceof RangeError ? 'an input is nested too deeply' : (error as Error).message;
    io.err(formatDiagnostic(diagnostic('E_INTERNAL', reason, { file: args.docs.join(' '), line: 1 })));
    io.out('eventgen: nothing written');
    return 1;
  }
  const handlersDir = path.join(args.out, HANDLERS_DIR);
  const expected = new Set([...result.skeletons.keys(), ...result.generated.keys()].map((f) => path.relative(HANDLERS_DIR, f)));
  const orphans = strayFiles(handlersDir, expected).map((file) =>
    diagnostic('W_SKELETON_ORPHANED', 'handler skeleton for an event type no longer in schemas/ was kept', {
      file: display(file),
      line: 1,
    }),
  );
  const diagnostics = [...read.diagnostics, ...result.diagnostics, ...orphans];
  const started = performance.now();
  for (const d of diagnostics) if (!(args.quiet && d.severity === 'info')) io.err(formatDiagnostic(d));

  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const { stats } = result;
  const head =
    `${stats.docsRead} docs read, ${stats.samples} samples (${stats.distinctSamples} distinct), ` +
    `${stats.eventTypes} event types, ${stats.warnings} warnings, ${errors} errors`;
  const skipped = skippedBlocks(diagnostics);
  const tail = skipped.length > 0 ? `; ${skipped.length} unparseable sample blocks skipped: ${skipped.join(', ')}` : '';
  if (errors > 0) {
    io.out(`eventgen: ${head}, nothing written${tail}`);
    return 1;
  }
  for (const line of summary(result.changes, result.release)) io.out(line);
  if (args.reportJson !== undefined) writeAtomic(args.reportJson, reportJson(result.changes, result.release));
  if (args.failOn === 'breaking' && isBreaking(result.changes)) {
    io.out(`eventgen: ${head}, nothing written: the run would make a breaking change (--fail-on breaking)${tail}`);
    return 1;
  }
  const changes = plan([
    { root: args.schemas, files: result.schemas },
    { root: args.out, files: result.generated, pruneMark: GENERATED_MARK },
    { root: args.out, files: result.skeletons, createOnly: true },
  ]);
  if (args.check) {
    for (const change of changes) io.err(`stale: ${display(change.file)} (${describeChange(change)})`);
    io.out(`eventgen: ${head}, ${changes.length} files stale${tail}`);
    return changes.length > 0 ? 1 : 0;
  }
  try {
    apply(changes);
    if (args.timings)
      io.err(
        `timings: ${[...result.timings, ['write', performance.now() - started] as const].map(([s, ms]) => `${s} ${Math.round(ms)} ms`).join(', ')}`,
      );
  } catch (error) {
    io.err(`eventgen: writing failed, nothing was changed: ${(error as Error).message}`);
    return 1;
  }
  io.out(`eventgen: ${head}, ${changes.length} files written${tail}`);
  return 0;
}

function describeChange(change: Change): string {
  return { create: 'would be created', update: 'would change', delete: 'would be deleted' }[change.kind];
}

function skippedBlocks(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.code === 'E_JSON_SYNTAX' && d.severity !== CATALOG.E_JSON_SYNTAX.severity)
    .map((d) => `${d.file}:${d.line}`);
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
