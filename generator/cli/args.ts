/**
 * The command line, parsed by yargs from the option table (options.ts). Parses only: every value
 * is checked afterwards, with the configuration file's (validate.ts).
 */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import type { Given } from './config.ts';
import { BUILT_IN_SWITCHES, kebab, OPTIONS } from './options.ts';

export type Parsed =
  /** Help or the version: print it, exit 0. */
  | { readonly output: string }
  | { readonly usage: string }
  /** The options given (by name, kebab-case) and the docs given as arguments. */
  | { readonly given: ReadonlyMap<string, Given>; readonly positional: readonly string[] };

/** eventgen's own version, from its package.json (the same path from generator/cli/ and from the build in dist/cli/). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const SWITCHES = [...OPTIONS.filter((o) => o.kind === 'switch').map((o) => o.name), ...BUILT_IN_SWITCHES];

/**
 * Parses first and runs after: yargs reports a usage error through `.fail()` but still calls
 * the command's handler, so the handler only keeps the arguments, and nothing runs unless
 * yargs and validate() both accept them. Options have no yargs defaults, so an option not
 * given is absent (and the configuration file may give it), and one given without its value
 * is seen (yargs would put the default in its place).
 */
export async function parseCommandLine(argv: readonly string[]): Promise<Parsed> {
  for (const arg of argv) {
    if (arg === '--') break;
    const flag = /^--(?:no-)?([a-zA-Z-]+)=(.*)$/.exec(arg);
    if (flag && SWITCHES.includes(kebab(flag[1] ?? '')) && !['true', 'false'].includes(flag[2] ?? '')) {
      return { usage: `--${kebab(flag[1] ?? '')} is a switch and takes no value (given "${flag[2]}")` };
    }
  }
  let usage: string | undefined;
  let raw: Record<string, unknown> | undefined;
  const parser = yargs([...argv])
    .scriptName('eventgen')
    .usage('$0 <command> [options]')
    .parserConfiguration({ 'parse-positional-numbers': false })
    .command(
      'generate',
      'Read Event Grid docs, write JSON Schemas and the generated TypeScript package',
      (y) => {
        y.usage('$0 generate [docs..] [options]');
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
        return y
          .example('$0 generate', 'docs/ → schemas/ and generated/')
          .example('$0 generate docs/*.md -o /tmp/pkg', 'these pages, the package into /tmp/pkg')
          .example('$0 generate --check', 'in CI: fail when schemas/ or generated/ are stale')
          .example('$0 generate --lang csharp,python', 'also generated-csharp/ and generated-python/')
          .epilogue(
            'Options a project always passes can live in eventgen.config.json (or the "eventgen" key of package.json); flags win.',
          );
      },
      (args) => {
        raw = args;
      },
    )
    .demandCommand(1, 'Name a command: eventgen generate')
    .strictOptions()
    .help()
    .version(version())
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
  if (raw === undefined) {
    if (output) return { output };
    const command = argv.find((a) => !a.startsWith('-'));
    return { usage: command === undefined ? 'Name a command: eventgen generate' : `Unknown command: ${command}` };
  }
  const given = new Map<string, Given>();
  for (const o of OPTIONS) if (raw[o.name] !== undefined) given.set(o.name, { value: raw[o.name], label: `--${o.name}` });
  return { given, positional: (raw._ as unknown[]).slice(1).map(String) };
}
