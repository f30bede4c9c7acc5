/**
 * The options of `eventgen generate`, declared once: yargs is built from this table (args.ts), and
 * eventgen.config.json is checked against it (config.ts), so the command line and the config file
 * take the same options with the same meanings.
 */
import { DEFAULT_PACKAGE_NAME } from '../emit/banner.ts';
import { LANGS } from '../emit/languages/target.ts';
import { DEFAULT_LOCALES } from '../infer/locales.ts';
import { DEFAULT_MAX_DOC_MB } from '../write/docs.ts';

export interface OptionSpec {
  /** As on the command line, without the dashes (`package-name`). */
  readonly name: string;
  /** `string`: one value; `list`: repeatable, or comma-separated where the option says so; `switch`: on or off. */
  readonly kind: 'string' | 'list' | 'switch';
  readonly alias?: string;
  readonly choices?: readonly string[];
  readonly defaultDescription?: string;
  readonly describe: string;
  /** Whether eventgen.config.json may set it (false: a mode of one run, such as --check). */
  readonly inConfig: boolean;
  /** A file or folder: in a configuration file, relative to that file's folder. */
  readonly path?: boolean;
  /** Left out of --help (described with another option). */
  readonly hidden?: boolean;
}

const langOutputs: OptionSpec[] = LANGS.map((lang) => ({
  name: `out-${lang}`,
  kind: 'string',
  defaultDescription: `generated-${lang}`,
  describe: `Folder of the ${lang} output, with --lang ${lang}`,
  inConfig: true,
  path: true,
  hidden: true,
}));

export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'docs',
    kind: 'list',
    alias: 'd',
    defaultDescription: 'docs',
    describe:
      'Markdown pages (.md, .markdown, .txt) or JSON sample files, or folders of them (searched recursively; other files are skipped); also as arguments',
    inConfig: true,
    path: true,
  },
  {
    name: 'observed',
    kind: 'list',
    describe:
      "Events the webhook recorded (the package's recordTo): NDJSON files, or folders of them; evidence of what the service sends, which only widens the schemas",
    inConfig: true,
    path: true,
  },
  {
    name: 'schemas',
    kind: 'string',
    alias: 's',
    defaultDescription: 'schemas',
    describe: 'Folder of the reviewed JSON Schemas, one per event type',
    inConfig: true,
    path: true,
  },
  {
    name: 'out',
    kind: 'string',
    alias: 'o',
    defaultDescription: 'generated',
    describe: 'Folder of the generated package (a package of its own)',
    inConfig: true,
    path: true,
  },
  {
    name: 'catalog',
    kind: 'string',
    defaultDescription: 'catalog',
    describe: 'Folder of the HTML event catalog (index.html, one self-contained page; default: beside --out)',
    inConfig: true,
    path: true,
  },
  {
    name: 'lang',
    kind: 'list',
    describe: `Also render the schemas in other languages, comma-separated: ${LANGS.join(', ')} (or all); each into generated-<lang>/ beside --out, or the folder --out-<lang> names`,
    inConfig: true,
  },
  ...langOutputs,
  {
    name: 'handlers',
    kind: 'string',
    defaultDescription: 'handlers',
    describe:
      "Folder of the application's handlers: a skeleton per event type, index.ts and server.ts, written when missing, never overwritten (default: beside --out)",
    inConfig: true,
    path: true,
  },
  {
    name: 'handlers-import',
    kind: 'string',
    describe:
      'How the handlers import the package: the package name once the application installs it (default: the relative path to --out)',
    inConfig: true,
  },
  {
    name: 'check',
    kind: 'switch',
    describe: 'Write nothing; exit 1 and list the stale files when an output folder would change',
    inConfig: false,
  },
  {
    name: 'keep-going',
    kind: 'switch',
    describe: 'Report unparseable JSON samples as warnings and generate from the rest',
    inConfig: true,
  },
  {
    name: 'locales',
    kind: 'list',
    defaultDescription: DEFAULT_LOCALES.join(','),
    describe: 'Preferred description locales, best first (others are kept in x-eventgen.descriptions)',
    inConfig: true,
  },
  {
    name: 'package-name',
    kind: 'string',
    defaultDescription: DEFAULT_PACKAGE_NAME,
    describe: 'The "name" of the generated package.json',
    inConfig: true,
  },
  {
    name: 'max-doc-size',
    kind: 'string',
    defaultDescription: String(DEFAULT_MAX_DOC_MB),
    describe: 'Largest doc file read, in MB; a larger file is an error',
    inConfig: true,
  },
  {
    name: 'required-from-samples',
    kind: 'switch',
    describe: 'Make a field required when every sample of its event has it (recorded in each schema file)',
    inConfig: true,
  },
  {
    name: 'allow-removal',
    kind: 'switch',
    describe: 'Let a run mark more than half of the known event types as no longer documented',
    inConfig: false,
  },
  { name: 'quiet', kind: 'switch', describe: 'Print warnings and errors only: no info diagnostics, no progress', inConfig: true },
  { name: 'timings', kind: 'switch', describe: 'Print how long each stage took', inConfig: true },
  {
    name: 'report-json',
    kind: 'string',
    describe: 'Also write the change report as JSON to this file (outside the output folders)',
    inConfig: true,
    path: true,
  },
  {
    name: 'fail-on',
    kind: 'string',
    choices: ['breaking', 'never'],
    defaultDescription: 'never',
    describe: 'With "breaking": write nothing and exit 1 when the run would make a breaking change (a CI gate)',
    inConfig: true,
  },
];

/** Switches yargs adds besides the table. */
export const BUILT_IN_SWITCHES = ['help', 'version'];

export const CONFIG_FILE = 'eventgen.config.json';

/** The file of options a project always passes (yargs' `.config()`); not an option the file itself may hold. */
export const CONFIG_OPTION = {
  name: 'config',
  default: CONFIG_FILE,
  defaultDescription: CONFIG_FILE,
  describe:
    'A JSON file of the options a project always passes, named as the flags (paths relative to the working directory); without it, the "eventgen" key of package.json may hold them; flags win',
} as const;

/** What `--help` says of the command. */
export const COMMAND = {
  describe: 'Read Event Grid docs, write JSON Schemas and the generated TypeScript package',
  examples: [
    ['$0 generate', 'docs/ → schemas/ and generated/'],
    ['$0 generate docs/*.md -o /tmp/pkg', 'these pages, the package into /tmp/pkg'],
    ['$0 generate --check', 'in CI: fail when schemas/ or generated/ are stale'],
    ['$0 generate --lang csharp,python', 'also generated-csharp/ and generated-python/'],
  ],
  epilogue:
    'Options a project always passes can live in eventgen.config.json (or the "eventgen" key of package.json); flags win.',
} as const;

/** `packageName` → `package-name`. */
export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
