/**
 * The `eventgen` command line. Parses (yargs, cli/args.ts) and validates (cli/validate.ts) every
 * option, from the command line and the configuration file (cli/config.ts), before anything is
 * read or written, then runs (cli/run.ts). Exit codes: 0 success, 1 errors or a failed
 * `--check`, 2 bad usage. `bin.ts` is the executable; tests call {@link main} in process.
 */

import { parseCommandLine } from './cli/args.ts';
import { UsageError } from './cli/config.ts';
import { consoleIo, type Io } from './cli/print.ts';
import { type GenerateArgs, validate } from './cli/validate.ts';
import { diagnostic, formatDiagnostic } from './diagnostics.ts';

export type { Io } from './cli/print.ts';

/** Runs the CLI with `argv` (without the node and script paths) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  let args: GenerateArgs;
  try {
    const parsed = await parseCommandLine(argv);
    if ('output' in parsed) {
      io.out(parsed.output);
      return 0;
    }
    if ('usage' in parsed) throw new UsageError(parsed.usage);
    if ('init' in parsed) {
      const { runInit } = await import('./cli/init.ts');
      return runInit(process.cwd(), io);
    }
    args = validate(parsed.given, parsed.positional, parsed.config);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // The help of the command the usage names: `init` has its own; anything else is about generate.
    const command = argv.find((a) => !a.startsWith('-')) === 'init' ? 'init' : 'generate';
    io.err(`eventgen: ${error.message}. Run eventgen ${command} --help for the options.`);
    return 2;
  }
  try {
    // The pipeline (markdown, ajv, json-schema-to-typescript, prettier, handlebars) loads only for a run
    // that will happen: --help, --version and usage errors answer without it.
    const { runGenerate } = await import('./cli/run.ts');
    return await runGenerate(args, io);
  } catch (error) {
    // The net under the net: writes report their own failures (with what is on disk), so this run wrote nothing.
    io.err(formatDiagnostic(diagnostic('E_INTERNAL', (error as Error).message, { file: '.', line: 1 })));
    io.out('eventgen: nothing written');
    return 1;
  }
}
