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
  readonly docs: string[];
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
  const option = (name: string): Given | undefined => {
    if (name === 'docs' && positional.length > 0) {
      const flagged = given.get('docs');
      const value = [...(flagged === undefined ? [] : (flagged.value as unknown[])), ...positional];
      return { value, label: flagged?.label ?? '--docs' };
    }
    return given.get(name) ?? config?.values.get(name);
  };
  const single = (name: string): string | undefined => {
    const o = option(name);
    if (o === undefined) return undefined;
    if (Array.isArray(o.value)) throw new UsageError(`${o.label} is given ${o.value.length} times; give it once`);
    if (typeof o.value !== 'string' || o.value.trim() === '') throw new UsageError(`${o.label} needs a value`);
    return o.value;
  };
  const list = (name: string): string[] | undefined => {
    const o = option(name);
    if (o === undefined) return undefined;
    const items = (Array.isArray(o.value) ? o.value : [o.value]).map(String);
    if (items.length === 0 || items.some((item) => item.trim() === '')) throw new UsageError(`${o.label} needs a value`);
    return items;
  };
  const flag = (name: string): boolean => {
    const o = option(name);
    if (Array.isArray(o?.value)) throw new UsageError(`${o.label} is given ${o.value.length} times; give it once`);
    return o?.value === true;
  };
  const label = (name: string) => option(name)?.label ?? `--${name}`;
  const commaList = (name: string, fallback: readonly string[]) =>
    (list(name) ?? [...fallback])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);

  const locales = commaList('locales', DEFAULT_LOCALES);
  if (locales.length === 0) throw new UsageError(`${label('locales')} needs a value`);
  const badLocale = locales.find((l) => !LOCALE.test(l));
  if (badLocale !== undefined) throw new UsageError(`${label('locales')}: "${badLocale}" is not a locale such as en or fr-FR`);
  const packageName = single('package-name') ?? DEFAULT_PACKAGE_NAME;
  if (!PACKAGE_NAME.test(packageName) || packageName.length > 214) {
    throw new UsageError(
      `${label('package-name')}: "${packageName}" is not a valid npm package name (lower case, such as @contoso/events)`,
    );
  }
  const size = single('max-doc-size') ?? String(DEFAULT_MAX_DOC_MB);
  const megabytes = Number(size);
  if (!Number.isFinite(megabytes) || megabytes <= 0) {
    throw new UsageError(`${label('max-doc-size')}: "${size}" is not a number of megabytes above 0`);
  }
  const failOn = single('fail-on') ?? 'never';
  if (failOn !== 'breaking' && failOn !== 'never') {
    throw new UsageError(`${label('fail-on')}: "${failOn}" is not one of breaking, never`);
  }

  const out = realTarget(single('out') ?? 'generated');
  const langs = parseLangs(option('lang') === undefined ? [] : commaList('lang', []), label('lang')).map((lang) => ({
    lang,
    dir: realTarget(single(`out-${lang}`) ?? path.join(path.dirname(out), `generated-${lang}`)),
  }));
  // A folder the configuration file gives for a language this run does not render is simply not used.
  for (const lang of LANGS) {
    if (given.has(`out-${lang}`) && !langs.some((l) => l.lang === lang)) {
      throw new UsageError(`${label(`out-${lang}`)} is given, but ${label('lang')} does not name ${lang}`);
    }
  }
  const handlersImport = single('handlers-import');
  if (handlersImport !== undefined && !isValidPackageImport(handlersImport)) {
    throw new UsageError(
      `${label('handlers-import')}: "${handlersImport}" is neither a relative path (../generated) nor an npm package name (@contoso/events)`,
    );
  }
  const reportJson = single('report-json');
  const args: GenerateArgs = {
    docs: list('docs') ?? ['docs'],
    schemas: realTarget(single('schemas') ?? 'schemas'),
    out,
    catalog: realTarget(single('catalog') ?? path.join(path.dirname(out), DEFAULT_CATALOG_DIR)),
    handlers: realTarget(single('handlers') ?? defaultHandlersDir(out)),
    handlersImport,
    langs,
    reportJson: reportJson === undefined ? undefined : path.resolve(reportJson),
    failOn,
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
  checkFolders(args, label);
  return args;
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
