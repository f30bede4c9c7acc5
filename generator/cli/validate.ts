/**
 * Every option value, from the command line or the configuration file, checked before anything
 * is read or written; a bad one is a {@link UsageError} (exit 2) naming the flag or the file's key.
 */
import path from 'node:path';
import { DEFAULT_CATALOG_DIR, DEFAULT_PACKAGE_NAME } from '../emit/banner.ts';
import { defaultHandlersDir, isValidPackageImport } from '../emit/handlers.ts';
import { LANGS, type Lang } from '../emit/languages/target.ts';
import { DEFAULT_LOCALES } from '../infer/locales.ts';
import { DEFAULT_MAX_DOC_MB, MEGABYTE } from '../write/docs.ts';
import { display, isWithin, realTarget } from '../write/paths.ts';
import { type Config, type Given, UsageError } from './config.ts';

/** The options of `eventgen generate`, validated; paths absolute and real. */
export interface GenerateArgs {
  /**
   * The project's folder, which the docs' paths are recorded relative to: the configuration file's
   * folder, or else the folder that holds `--schemas`. The output does not depend on the working directory.
   */
  readonly root: string;
  /** Whether `root` is a configuration file's folder: then every doc is recorded relative to it, inside it or not. */
  readonly configured: boolean;
  readonly docs: string[];
  /** Recorded events (`--observed`), as given; none when the option is not. */
  readonly observed: string[];
  readonly schemas: string;
  readonly out: string;
  /** The folder of the HTML catalog. */
  readonly catalog: string;
  /** The application's handlers folder (create-only). */
  readonly handlers: string;
  /** How the handlers import the package, when given (else the relative path to `out`). */
  readonly handlersImport: string | undefined;
  /** Other languages asked for (`--lang`), each with its folder. */
  readonly langs: readonly { readonly lang: Lang; readonly dir: string }[];
  /** Absolute, as given: written through (write/report.ts), not resolved, so `/dev/stdout` stays itself. */
  readonly reportJson: string | undefined;
  readonly failOn: 'breaking' | 'never';
  readonly check: boolean;
  readonly keepGoing: boolean;
  readonly locales: string[];
  readonly packageName: string;
  readonly quiet: boolean;
  readonly timings: boolean;
  readonly maxDocBytes: number;
  readonly requiredFromSamples: boolean;
  readonly allowRemoval: boolean;
}

const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const LOCALE = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * The arguments of a run: the command line (`given`, `positional` docs) over the configuration
 * file, option by option. Relative paths are relative to the working directory, where the
 * configuration file is.
 */
export function validate(given: ReadonlyMap<string, Given>, positional: readonly string[], config?: Config): GenerateArgs {
  const options = new Options(given, positional, config);
  const locales = localesOf(options);
  const packageName = packageNameOf(options);
  const megabytes = megabytesOf(options);
  const failOn = failOnOf(options);
  const out = realTarget(options.single('out') ?? 'generated');
  const langs = langsOf(options, out);
  const handlersImport = handlersImportOf(options);
  const reportJson = options.single('report-json');
  const schemas = realTarget(options.single('schemas') ?? 'schemas');
  const args: GenerateArgs = {
    root: config === undefined ? path.dirname(schemas) : realTarget(config.dir),
    configured: config !== undefined,
    docs: options.list('docs') ?? ['docs'],
    observed: options.list('observed') ?? [],
    schemas,
    out,
    catalog: realTarget(options.single('catalog') ?? path.join(path.dirname(out), DEFAULT_CATALOG_DIR)),
    handlers: realTarget(options.single('handlers') ?? defaultHandlersDir(out)),
    handlersImport,
    langs,
    reportJson: reportJson === undefined ? undefined : path.resolve(reportJson),
    failOn,
    check: options.flag('check'),
    keepGoing: options.flag('keep-going'),
    locales,
    packageName,
    quiet: options.flag('quiet'),
    timings: options.flag('timings'),
    maxDocBytes: megabytes * MEGABYTE,
    requiredFromSamples: options.flag('required-from-samples'),
    allowRemoval: options.flag('allow-removal'),
  };
  checkFolders(args, (name) => options.label(name));
  return args;
}

/** The options of a run by name: the command line's, else the configuration file's; each read as the kind of value it takes. */
class Options {
  constructor(
    private readonly given: ReadonlyMap<string, Given>,
    private readonly positional: readonly string[],
    private readonly config: Config | undefined,
  ) {}

  /** An option as given; `docs` gathers `--docs` and the positional arguments. */
  option(name: string): Given | undefined {
    if (name === 'docs' && this.positional.length > 0) {
      const flagged = this.given.get('docs');
      const value = [...(flagged === undefined ? [] : (flagged.value as unknown[])), ...this.positional];
      return { value, label: flagged?.label ?? '--docs' };
    }
    return this.given.get(name) ?? this.config?.values.get(name);
  }

  /** Whether the command line itself gives the option. */
  onCommandLine(name: string): boolean {
    return this.given.has(name);
  }

  /** How a message names the option: the flag or the configuration file's key it was given as. */
  label(name: string): string {
    return this.option(name)?.label ?? `--${name}`;
  }

  /** An option given once, with a value. */
  single(name: string): string | undefined {
    const o = this.option(name);
    if (o === undefined) return undefined;
    if (Array.isArray(o.value)) throw new UsageError(`${o.label} is given ${o.value.length} times; give it once`);
    if (typeof o.value !== 'string' || o.value.trim() === '') throw new UsageError(`${o.label} needs a value`);
    return o.value;
  }

  /** An option given once or more, each time with a value. */
  list(name: string): string[] | undefined {
    const o = this.option(name);
    if (o === undefined) return undefined;
    const items = (Array.isArray(o.value) ? o.value : [o.value]).map(String);
    if (items.length === 0 || items.some((item) => item.trim() === '')) throw new UsageError(`${o.label} needs a value`);
    return items;
  }

  /** A flag, given at most once. */
  flag(name: string): boolean {
    const o = this.option(name);
    if (Array.isArray(o?.value)) throw new UsageError(`${o.label} is given ${o.value.length} times; give it once`);
    return o?.value === true;
  }

  /** A list whose values may each hold several, comma-separated (`--lang csharp,go`); `fallback` when not given. */
  commaList(name: string, fallback: readonly string[]): string[] {
    return (this.list(name) ?? [...fallback])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  }
}

function localesOf(options: Options): string[] {
  const locales = options.commaList('locales', DEFAULT_LOCALES);
  if (locales.length === 0) throw new UsageError(`${options.label('locales')} needs a value`);
  const badLocale = locales.find((l) => !LOCALE.test(l));
  if (badLocale !== undefined)
    throw new UsageError(`${options.label('locales')}: "${badLocale}" is not a locale such as en or fr-FR`);
  return locales;
}

function packageNameOf(options: Options): string {
  const packageName = options.single('package-name') ?? DEFAULT_PACKAGE_NAME;
  if (!PACKAGE_NAME.test(packageName) || packageName.length > 214) {
    throw new UsageError(
      `${options.label('package-name')}: "${packageName}" is not a valid npm package name (lower case, such as @contoso/events)`,
    );
  }
  return packageName;
}

function megabytesOf(options: Options): number {
  const size = options.single('max-doc-size') ?? String(DEFAULT_MAX_DOC_MB);
  const megabytes = Number(size);
  if (!Number.isFinite(megabytes) || megabytes <= 0) {
    throw new UsageError(`${options.label('max-doc-size')}: "${size}" is not a number of megabytes above 0`);
  }
  return megabytes;
}

function failOnOf(options: Options): GenerateArgs['failOn'] {
  const failOn = options.single('fail-on') ?? 'never';
  if (failOn !== 'breaking' && failOn !== 'never') {
    throw new UsageError(`${options.label('fail-on')}: "${failOn}" is not one of breaking, never`);
  }
  return failOn;
}

/** The languages asked for, each with its folder (`--out-<lang>`, else `generated-<lang>` beside `out`). */
function langsOf(options: Options, out: string): GenerateArgs['langs'] {
  const asked = options.option('lang') === undefined ? [] : options.commaList('lang', []);
  const langs = parseLangs(asked, options.label('lang')).map((lang) => ({
    lang,
    dir: realTarget(options.single(`out-${lang}`) ?? path.join(path.dirname(out), `generated-${lang}`)),
  }));
  // A folder the configuration file gives for a language this run does not render is simply not used.
  for (const lang of LANGS) {
    if (options.onCommandLine(`out-${lang}`) && !langs.some((l) => l.lang === lang)) {
      throw new UsageError(`${options.label(`out-${lang}`)} is given, but ${options.label('lang')} does not name ${lang}`);
    }
  }
  return langs;
}

function handlersImportOf(options: Options): string | undefined {
  const handlersImport = options.single('handlers-import');
  if (handlersImport !== undefined && !isValidPackageImport(handlersImport)) {
    throw new UsageError(
      `${options.label('handlers-import')}: "${handlersImport}" is neither a relative path (../generated) nor an npm package name (@contoso/events)`,
    );
  }
  return handlersImport;
}

/** `csharp, Python` → `['csharp', 'python']`: repeats count once, `all` is every language, an unknown name is a usage error. */
function parseLangs(items: readonly string[], label: string): Lang[] {
  const names = items.map((l) => l.toLowerCase());
  const unknown = names.filter((l) => l !== 'all' && !(LANGS as readonly string[]).includes(l));
  if (unknown.length > 0) {
    throw new UsageError(
      `${label}: unknown language ${unknown.map((l) => JSON.stringify(l)).join(', ')}; choose from ${LANGS.join(', ')} (comma-separated), or all`,
    );
  }
  return names.includes('all') ? [...LANGS] : LANGS.filter((l) => names.includes(l));
}

/** Where the output folders are: each is replaced as a whole when a run writes (write/swap.ts). */
function checkFolders(args: GenerateArgs, label: (name: string) => string): void {
  const folders: [string, string][] = [
    [label('schemas'), args.schemas],
    [label('out'), args.out],
    [label('catalog'), args.catalog],
    ...args.langs.map(({ lang, dir }): [string, string] => [label(`out-${lang}`), dir]),
  ];
  for (const [i, [name, folder]] of folders.entries()) {
    const same = folders.slice(0, i).find(([, other]) => other === folder);
    if (same !== undefined) throw new UsageError(`${same[0]} and ${name} both name ${display(folder)}; give each its own folder`);
    if (path.dirname(folder) === folder) throw new UsageError(`${name} cannot be the root of the file system`);
    if (!args.check && isWithin(realTarget(process.cwd()), folder)) {
      throw new UsageError(
        `${name} ${display(folder)} holds the current folder, and eventgen replaces that folder as a whole when it writes; run it from outside`,
      );
    }
    if (args.reportJson !== undefined && isWithin(realTarget(args.reportJson), folder)) {
      throw new UsageError(
        `${label('report-json')} ${display(args.reportJson)} is inside ${name}; write the report outside the folders eventgen writes`,
      );
    }
    // The handlers are the application's: never inside a folder eventgen replaces as a whole.
    if (isWithin(args.handlers, folder)) {
      throw new UsageError(
        `${label('handlers')} ${display(args.handlers)} is inside ${name}, which eventgen replaces as a whole; keep the application's handlers outside it`,
      );
    }
  }
}
