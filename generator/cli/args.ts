/**
 * The command line, parsed by yargs from the option table (options.ts): the `generate` command with
 * its options and aliases, the configuration file through yargs' `.config()` (`--config`, by default
 * eventgen.config.json or the `eventgen` key of package.json, checked by config.ts), `.strict()`,
 * `--help`, `--version` and a shell completion script (`eventgen completion`). Parses only: every
 * value is checked afterwards (validate.ts). yargs is loaded here only, by the CLI.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import yargs, { type Argv } from 'yargs';
import { type Config, type Given, loadConfig, UsageError } from './config.ts';
import { BUILT_IN_SWITCHES, COMMAND, CONFIG_OPTION, kebab, OPTIONS } from './options.ts';

export type Parsed =
  /** Help, the version or the completion script: print it, exit 0. */
  | { readonly output: string }
  | { readonly usage: string }
  /** `eventgen init`, which takes no options. */
  | { readonly init: true }
  /**
   * The options given on the command line (by name, kebab-case), the docs given as arguments, and the
   * configuration file's options, which the command line overrides option by option.
   */
  | { readonly given: ReadonlyMap<string, Given>; readonly positional: readonly string[]; readonly config?: Config };

/** eventgen's own version, from its package.json (the same path from generator/cli/ and from the build in dist/cli/). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const SWITCHES = [...OPTIONS.filter((o) => o.kind === 'switch').map((o) => o.name), ...BUILT_IN_SWITCHES];

/** The options of `generate`, from the table. */
function generateCommand(y: Argv, loaded: { config?: Config }): Argv {
  y.usage('$0 generate [paths..] [options]');
  // Not named `docs`: yargs would join the arguments to the configuration file's --docs, where they replace it.
  y.positional('paths', { type: 'string', array: true, describe: 'Docs to read, as --docs takes them' });
  for (const o of OPTIONS) {
    y.option(o.name, {
      type: o.kind === 'switch' ? 'boolean' : 'string',
      ...(o.kind === 'list' ? { array: true } : {}),
      ...(o.alias ? { alias: o.alias } : {}),
      ...(o.choices ? { choices: o.choices } : {}),
      ...(o.defaultDescription ? { defaultDescription: o.defaultDescription } : {}),
      describe: o.describe,
      ...(o.hidden ? { hidden: true } : {}),
    });
  }
  // yargs reads the file the option names (by default the working directory's eventgen.config.json),
  // through config.ts; what the command line gives wins.
  y.option(CONFIG_OPTION.name, {
    type: 'string',
    default: CONFIG_OPTION.default,
    defaultDescription: CONFIG_OPTION.defaultDescription,
    describe: CONFIG_OPTION.describe,
  });
  y.config(CONFIG_OPTION.name, CONFIG_OPTION.describe, (file: string) => {
    loaded.config = loadConfig(file);
    return Object.fromEntries([...(loaded.config?.values ?? [])].map(([name, given]) => [name, given.value]));
  });
  for (const [command, description] of COMMAND.examples) y.example(command, description);
  return y.epilogue(COMMAND.epilogue);
}

/** A switch given a value (`--quiet=yes`), which yargs would read as false: a usage error. */
function switchWithValue(argv: readonly string[]): string | undefined {
  for (const arg of argv) {
    if (arg === '--') break;
    const flag = /^--(?:no-)?([a-zA-Z-]+)=(.*)$/.exec(arg);
    if (flag && SWITCHES.includes(kebab(flag[1] ?? '')) && !['true', 'false'].includes(flag[2] ?? '')) {
      return `--${kebab(flag[1] ?? '')} is a switch and takes no value (given "${flag[2]}")`;
    }
  }
  return undefined;
}

/** What the command line gives, without what yargs merged from the configuration file: what equals the file's value is the file's. */
function fromCommandLine(raw: Record<string, unknown>, config: Config | undefined): Map<string, Given> {
  const given = new Map<string, Given>();
  for (const o of OPTIONS) {
    const value = raw[o.name];
    if (value === undefined) continue;
    const file = config?.values.get(o.name);
    if (file === undefined || !isDeepStrictEqual(file.value, value)) given.set(o.name, { value, label: `--${o.name}` });
  }
  return given;
}

/**
 * Parses first and runs after: yargs reports a usage error through `.fail()` but may still call the
 * command's handler, so the handler only keeps the arguments, and nothing runs unless yargs and
 * validate() both accept them. Options have no yargs defaults, so an option not given is absent (and
 * validate() applies the default), and one given without its value is seen (yargs would put the
 * default in its place).
 */
export async function parseCommandLine(argv: readonly string[]): Promise<Parsed> {
  const switchUsage = switchWithValue(argv);
  if (switchUsage !== undefined) return { usage: switchUsage };
  let usage: string | undefined;
  let raw: Record<string, unknown> | undefined;
  let init = false;
  const loaded: { config?: Config } = {};
  const parser = yargs([...argv])
    .scriptName('eventgen')
    .usage('$0 <command> [options]')
    .parserConfiguration({ 'parse-positional-numbers': false })
    .command(
      'generate [paths..]',
      COMMAND.describe,
      (y) => generateCommand(y, loaded),
      (args) => {
        raw = args;
      },
    )
    .command(
      'init',
      'Set up a project: eventgen.config.json, docs/ (with a note) and the generate scripts in package.json; never overwrites',
      (y) => y.strict(),
      (args) => {
        const extra = (args._ as unknown[]).slice(1).map(String);
        if (extra.length > 0) usage = `eventgen init takes no arguments (given: ${extra.join(' ')})`;
        else init = true;
      },
    )
    .completion('completion', 'Print a bash or zsh completion script: eventgen completion >> ~/.bashrc')
    .demandCommand(1, 'Name a command: eventgen generate, or eventgen init')
    .strict()
    .strictCommands()
    .help()
    .version(version())
    .exitProcess(false)
    .fail((message, error) => {
      if (error && !(error instanceof UsageError) && !message) throw error;
      usage = message ?? error?.message ?? 'bad usage';
    });
  let output = '';
  await parser.parseAsync([...argv], {}, (_error, _parsed, text) => {
    output = text;
  });
  if (usage !== undefined) return { usage };
  if (init) return { init: true };
  if (raw === undefined) {
    if (output) return { output };
    const command = argv.find((a) => !a.startsWith('-'));
    return {
      usage: command === undefined ? 'Name a command: eventgen generate, or eventgen init' : `Unknown command: ${command}`,
    };
  }
  // yargs merged the file's options under the command line's.
  const given = fromCommandLine(raw, loaded.config);
  // `_` holds the command and the arguments after `--`.
  const positional = [...((raw.paths as unknown[] | undefined) ?? []), ...(raw._ as unknown[]).slice(1)].map(String);
  return { given, positional, ...(loaded.config ? { config: loaded.config } : {}) };
}
