/**
 * The command line, parsed from the option table (options.ts). Parses only: every value is checked
 * afterwards, with the configuration file's (validate.ts).
 *
 * The rules are yargs 18's (yargs-parser 22 with its defaults), which parsed it before, kept so that
 * every command line means what it meant: `--name value`, `--name=value` (quotes around the value
 * dropped), `-d value`, short groups (`-so x`), a list option (`--docs a b`) taking every argument up to
 * the next flag, an option given twice becoming a list, `--no-name` (false), `--camelCase` for
 * `--camel-case`, a switch taking a following `true` or `false`, `--` ending the options, and a last
 * argument `help` meaning `--help`. Errors are yargs' words (`Unknown argument: x`, `Invalid values:`),
 * and help is its layout (help.ts). Not kept: yargs' dot notation (`--docs.x` is an unknown argument
 * here), its special handling of a flag named `__proto__`, `_` or `$0` (unknown arguments here), and its translations of its own
 * messages into the user's locale (eventgen speaks English).
 */
import { readFileSync } from 'node:fs';
import type { Given } from './config.ts';
import { helpText } from './help.ts';
import { BUILT_IN_SWITCHES, kebab, OPTIONS } from './options.ts';

export type Parsed =
  /** Help or the version: print it, exit 0. */
  | { readonly output: string }
  | { readonly usage: string }
  /** `eventgen init`, which takes no options. */
  | { readonly init: true }
  /** The options given (by name, kebab-case) and the docs given as arguments. */
  | { readonly given: ReadonlyMap<string, Given>; readonly positional: readonly string[] };

/** eventgen's own version, from its package.json (the same path from generator/cli/ and from the build in dist/cli/). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const SWITCHES = [...OPTIONS.filter((o) => o.kind === 'switch').map((o) => o.name), ...BUILT_IN_SWITCHES];

type Kind = 'boolean' | 'string' | 'array';

/** The options known where the parse happens: before the command, only --help and --version. */
const TOP: ReadonlyMap<string, Kind> = new Map([
  ['help', 'boolean'],
  ['version', 'boolean'],
]);
const GENERATE: ReadonlyMap<string, Kind> = new Map([
  ...TOP,
  ...OPTIONS.map((o): [string, Kind] => [o.name, o.kind === 'switch' ? 'boolean' : o.kind === 'list' ? 'array' : 'string']),
]);
const SHORT: Readonly<Record<string, string>> = Object.fromEntries(OPTIONS.flatMap((o) => (o.alias ? [[o.name, o.alias]] : [])));

/**
 * Parses first and runs after: nothing runs unless the parse and validate() both accept the
 * arguments. Options have no defaults here, so an option not given is absent (and the configuration
 * file may give it), and one given without its value is seen ('' for a string, [] for a list).
 */
export async function parseCommandLine(argv: readonly string[]): Promise<Parsed> {
  for (const arg of argv) {
    if (arg === '--') break;
    const flag = /^--(?:no-)?([a-zA-Z-]+)=(.*)$/.exec(arg);
    if (flag && SWITCHES.includes(kebab(flag[1] ?? '')) && !['true', 'false'].includes(flag[2] ?? '')) {
      return { usage: `--${kebab(flag[1] ?? '')} is a switch and takes no value (given "${flag[2]}")` };
    }
  }
  // Before the command: only --help, --version and the command's name count.
  const top = parse(argv, TOP, {});
  const help = helpAsked(top);
  const command = top.positional[0];
  if (command === 'generate') return generate(argv);
  if (command === 'init') {
    if (help) return { output: helpText('init') };
    if (top.values.version === true) return { output: version() };
    return unknownArguments(top) === undefined && top.positional.length + top.rest.length === 1
      ? { init: true }
      : { usage: `eventgen init takes no arguments (given: ${argv.filter((a) => a !== 'init').join(' ')})` };
  }
  if (help) return { output: helpText('top') };
  if (top.values.version === true) return { output: version() };
  let usage: string | undefined;
  if (top.positional.length + top.rest.length === 0) usage = 'Name a command: eventgen generate, or eventgen init';
  usage = unknownArguments(top) ?? usage;
  if (usage !== undefined) return { usage };
  const named = argv.find((a) => !a.startsWith('-'));
  return { usage: named === undefined ? 'Name a command: eventgen generate, or eventgen init' : `Unknown command: ${named}` };
}

function generate(argv: readonly string[]): Parsed {
  const parsed = parse(argv, GENERATE, SHORT);
  if (helpAsked(parsed)) return { output: helpText('generate') };
  if (parsed.values.version === true) return { output: version() };
  // As yargs did, the last failure found is the one reported.
  let usage = unknownArguments(parsed);
  const invalid = [].concat((parsed.values['fail-on'] ?? []) as never).filter((v) => v !== 'breaking' && v !== 'never');
  if (invalid.length > 0) {
    const values = (list: readonly unknown[]) => list.map((v) => JSON.stringify(v)).join(', ');
    usage = `Invalid values:\n  Argument: fail-on, Given: ${values(invalid)}, Choices: ${values(['breaking', 'never'])}`;
  }
  if (usage !== undefined) return { usage };
  const given = new Map<string, Given>();
  for (const o of OPTIONS) {
    const value = parsed.values[o.name];
    if (value !== undefined) given.set(o.name, { value, label: `--${o.name}` });
  }
  // The arguments after `--` join the others, and the first (the command's name, where the parse before the command found it) goes.
  return { given, positional: [...parsed.positional, ...parsed.rest].slice(1) };
}

/** `--help`, or `help` as the last argument before any `--`. */
function helpAsked(parsed: ParseResult): boolean {
  if (parsed.positional.at(-1) === 'help') {
    parsed.positional.pop();
    return true;
  }
  return parsed.values.help === true;
}

/** yargs' strict-options check: every flag given that names no option, with its camelCase twin when it has one. */
function unknownArguments({ values, aliases, newAliases }: ParseResult): string | undefined {
  const unknown = Object.keys(values).filter((key) => {
    if (!Object.hasOwn(aliases, key)) return true;
    return ![key, ...(aliases[key] as string[])].some((a) => !newAliases.has(a) || !newAliases.has(key));
  });
  if (unknown.length === 0) return undefined;
  const names = unknown.map((s) => (s.trim() ? s : `"${s}"`)).join(', ');
  return unknown.length === 1 ? `Unknown argument: ${names}` : `Unknown arguments: ${names}`;
}

interface ParseResult {
  /** Every flag given, by each of its names, in the order yargs-parser set them. */
  readonly values: Record<string, unknown>;
  readonly positional: string[];
  /** The arguments after `--`. */
  readonly rest: string[];
  readonly aliases: Record<string, string[]>;
  readonly newAliases: Set<string>;
}

const NEGATIVE = /^-([0-9]+(\.[0-9]+)?|\.[0-9]+)$/;

/** yargs-parser's loop over the arguments, for options of three kinds (boolean, string, array of strings). */
function parse(
  args: readonly string[],
  declared: ReadonlyMap<string, Kind>,
  short: Readonly<Record<string, string>>,
): ParseResult {
  const aliases: Record<string, string[]> = Object.create(null);
  const newAliases = new Set<string>();
  for (const key of declared.keys()) {
    const list = short[key] ? [short[key]] : [];
    aliases[key] = list;
    for (const x of [...list, key]) {
      if (!x.includes('-')) continue;
      const c = camelCase(x);
      if (c !== key && !list.includes(c)) {
        list.push(c);
        newAliases.add(c);
      }
    }
    for (const x of [...list, key]) {
      if (x.length <= 1 || !/[A-Z]/.test(x)) continue;
      const c = decamelize(x);
      if (c !== key && !list.includes(c)) {
        list.push(c);
        newAliases.add(c);
      }
    }
    for (const x of list) aliases[x] = [key, ...list.filter((y) => y !== x)];
  }
  const kindOf = (key: string): Kind | undefined => {
    for (const k of [...(aliases[key] ?? []), key]) {
      const kind = declared.get(k);
      if (kind !== undefined) return kind;
    }
    return undefined;
  };
  const isBool = (key: string) => kindOf(key) === 'boolean';
  const isArray = (key: string) => kindOf(key) === 'array';
  /** What a flag given without a value is: true for a switch (and an unknown flag), '' for a string or a list's name in a group. */
  const defaultValue = (key: string) => {
    const kind = kindOf(key);
    return kind === 'string' || kind === 'array' ? '' : true;
  };
  const values: Record<string, unknown> = Object.create(null);
  const positional: string[] = [];
  let rest: string[] = [];

  const addNewAlias = (key: string, alias: string) => {
    if (!aliases[key]?.length) {
      aliases[key] = [alias];
      newAliases.add(alias);
    }
    if (!aliases[alias]?.length) addNewAlias(alias, key);
  };
  const setKey = (key: string, value: unknown) => {
    const current = values[key];
    const typeArray = isArray(key);
    if (Array.isArray(current)) {
      values[key] = typeArray && Array.isArray(value) ? current.concat(value) : current.concat([value]);
    } else if (current === undefined && typeArray) {
      values[key] = Array.isArray(value) ? value : [value];
    } else if (current !== undefined && !isBool(key)) {
      values[key] = [current, value];
    } else {
      values[key] = value;
    }
  };
  const setArg = (key: string, raw: unknown, stripQuotes = false) => {
    if (key.includes('-')) addNewAlias(key, camelCase(key));
    let value = stripQuotes ? unquote(raw) : raw;
    if (isBool(key) && typeof value === 'string') value = value === 'true';
    setKey(key, value);
    for (const alias of aliases[key] ?? []) setKey(alias, value);
  };
  const eatArray = (i: number, key: string, after?: string): number => {
    const list: string[] = [];
    const next = after || args[i + 1];
    if (next === undefined || (after === undefined && /^-/.test(next) && !NEGATIVE.test(next))) {
      // no value: an empty list
    } else {
      if (after !== undefined) list.push(unquote(after) as string);
      for (let ii = i + 1; ii < args.length; ii++) {
        const arg = args[ii] as string;
        if (/^-/.test(arg) && !NEGATIVE.test(arg)) break;
        i = ii;
        list.push(arg);
      }
    }
    setArg(key, list);
    return i;
  };
  /** A flag that may take the next argument as its value. */
  const valueFrom = (i: number, key: string, takes: (next: string) => boolean): number => {
    if (isArray(key)) return eatArray(i, key);
    const next = args[i + 1];
    if (next !== undefined && takes(next) && !isBool(key)) {
      setArg(key, next);
      return i + 1;
    }
    if (next !== undefined && /^(true|false)$/.test(next)) {
      setArg(key, next);
      return i + 1;
    }
    setArg(key, defaultValue(key));
    return i;
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const equals = /^--.+=/.test(arg);
    const negated = /^--no-(.+)/.exec(arg);
    const long = /^--(.+)/.exec(arg);
    if (/^---+(=|$)/.test(arg.replace(/^-{3,}/, '---'))) {
      positional.push(arg);
    } else if (equals) {
      const withValue = /^--?([^=]+)=([\s\S]*)$/.exec(arg);
      const key = withValue?.[1];
      if (key === undefined) continue;
      if (isArray(key)) i = eatArray(i, key, withValue?.[2]);
      else setArg(key, withValue?.[2], true);
    } else if (negated) {
      const key = negated[1] as string;
      setArg(key, isArray(key) ? [false] : false);
    } else if (long) {
      const key = long[1] as string;
      i = valueFrom(i, key, (next) => !/^-/.test(next) || NEGATIVE.test(next));
    } else if (/^-[^-]+/.test(arg) && !NEGATIVE.test(arg)) {
      const letters = arg.slice(1, -1).split('');
      let broken = false;
      for (let j = 0; j < letters.length; j++) {
        const letter = letters[j] as string;
        const next = arg.slice(j + 2);
        if (letters[j + 1] === '=') {
          const value = arg.slice(j + 3);
          if (isArray(letter)) i = eatArray(i, letter, value);
          else setArg(letter, value);
          broken = true;
          break;
        }
        if (next === '-') {
          setArg(letter, next);
          continue;
        }
        if (/[A-Za-z]/.test(letter) && /^-?\d+(\.\d*)?(e-?\d+)?$/.test(next) && !isBool(next)) {
          setArg(letter, next);
          broken = true;
          break;
        }
        if (letters[j + 1] && /\W/.test(letters[j + 1] as string)) {
          setArg(letter, next);
          broken = true;
          break;
        }
        setArg(letter, defaultValue(letter));
      }
      const key = arg.slice(-1);
      if (!broken && key !== '-') i = valueFrom(i, key, (next) => !/^(-|--)[^-]/.test(next) || NEGATIVE.test(next));
    } else if (arg === '--') {
      rest = args.slice(i + 1);
      break;
    } else {
      positional.push(arg);
    }
  }
  return { values, positional, rest, aliases, newAliases };
}

function unquote(value: unknown): unknown {
  return typeof value === 'string' && (value[0] === "'" || value[0] === '"') && value[value.length - 1] === value[0]
    ? value.substring(1, value.length - 1)
    : value;
}

/** yargs-parser's camelCase: `out-csharp` → `outCsharp` (a name already in mixed case keeps its case). */
function camelCase(text: string): string {
  const str = text !== text.toLowerCase() && text !== text.toUpperCase() ? text : text.toLowerCase();
  if (!str.includes('-') && !str.includes('_')) return str;
  let out = '';
  let upper = false;
  const leading = /^-+/.exec(str)?.[0].length ?? 0;
  for (let i = leading; i < str.length; i++) {
    let chr = str.charAt(i);
    if (upper) {
      upper = false;
      chr = chr.toUpperCase();
    }
    if (i !== 0 && (chr === '-' || chr === '_')) upper = true;
    else if (chr !== '-' && chr !== '_') out += chr;
  }
  return out;
}

/** yargs-parser's decamelize: `packageName` → `package-name`. */
function decamelize(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const l = lower.charAt(i);
    const c = text.charAt(i);
    out += l !== c && i > 0 ? `-${l}` : c;
  }
  return out;
}
