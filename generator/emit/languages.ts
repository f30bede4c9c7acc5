/**
 * Other languages from the reviewed schemas: quicktype-core renders the files of `schemas/`
 * as C#, Python, Go, Java, Kotlin, Swift and Rust types; eventgen adds, by hand, what the
 * TypeScript package has beside its types: the Event Grid and CloudEvents 1.0 envelopes, and
 * a map from event type to data type. Inference stays eventgen's: quicktype reads only the
 * schemas people reviewed (ARCHITECTURE.md, "Why inference is our own").
 *
 * Pure: schema texts in, file maps out, no disk and no network.
 *
 * ## Wiring
 * `eventgen generate --lang csharp,python,...` (cli/validate.ts parses the names; cli/run.ts runs this):
 * after a `generate()` without errors, `renderLanguages(result.schemas, langs, { version:
 * result.release.to, packageName })`, its diagnostics printed with the run's (a text emit also
 * reported is printed once) and any error writing nothing; each language is one more folder of the
 * run's all-or-nothing write, `generated-<lang>/` beside `--out` or `--out-<lang>`, with its manifest
 * (every file carries the banner, so adoption works as for `generated/`).
 */
import { compareDiagnostics, type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { JsonSchema } from '../ir.ts';
import { csharp } from './languages/csharp.ts';
import { go } from './languages/go.ts';
import { quicktypeSchemas, readSchemas, type SchemaInput } from './languages/input.ts';
import { java, kotlin } from './languages/jvm.ts';
import { python } from './languages/python.ts';
import { runQuicktype } from './languages/quicktype.ts';
import { rust } from './languages/rust.ts';
import { swift } from './languages/swift.ts';
import {
  DEFAULT_LANG_PACKAGE,
  LANGS,
  type Lang,
  type PackageNames,
  packageNames,
  type RenderedEvent,
  type Target,
} from './languages/target.ts';

export { LANGS, type Lang } from './languages/target.ts';

const TARGETS: Readonly<Record<Lang, Target>> = { csharp, python, go, java, kotlin, swift, rust };

export interface LanguageOptions {
  /** Version written into each project file (csproj, pyproject.toml, pom.xml, Cargo.toml, build.gradle.kts). */
  readonly version: string;
  /** The package name the spellings of each language come from; default `eventgen-events`. */
  readonly packageName?: string;
}

export interface LanguagesResult {
  /** For each language asked for: the files of its folder (`generated-<lang>/`), relative path → contents. */
  readonly outputs: Map<Lang, Map<string, string>>;
  /**
   * Diagnostics, sorted. A language with an E_LANG_RENDER or E_LANG_TYPE_NAME error has no output;
   * a schema file that cannot be read or named (E_SCHEMA_READ, E_LANG_SCHEMA, E_NAME_COLLISION,
   * E_INVALID_TYPE_NAME) is left out of every language.
   */
  readonly diagnostics: Diagnostic[];
}

/**
 * `csharp,python` → `['csharp', 'python']`. Case and spaces do not matter, repeats count once,
 * `all` means every language. Throws an Error whose message names the unknown entries and the choices.
 */
export function parseLangs(list: string | readonly string[]): Lang[] {
  const items = (typeof list === 'string' ? [list] : list)
    .flatMap((l) => l.split(','))
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== '');
  if (items.length === 0) throw new Error(`--lang needs at least one language: ${LANGS.join(', ')} (or all)`);
  const unknown = items.filter((l) => l !== 'all' && !(LANGS as readonly string[]).includes(l));
  if (unknown.length > 0) {
    const names = unknown.map((l) => JSON.stringify(l)).join(', ');
    throw new Error(`Unknown language ${names} in --lang. Choose from ${LANGS.join(', ')} (comma-separated), or all.`);
  }
  if (items.includes('all')) return [...LANGS];
  return LANGS.filter((l) => items.includes(l));
}

/**
 * Property names of one object that differ only in case or punctuation (`from`, `From`, `from_`):
 * the language styles them to one name, so quicktype gives all but one a name of its own making.
 * Reported with the field each key got, by schema file.
 */
function fieldNameClashes(
  lang: Lang,
  files: ReadonlyMap<string, JsonSchema>,
  fields: Map<string, Map<string, string>>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const [file, schema] of files) {
    for (const keys of clashingKeys(schema)) {
      const holder = [...fields.values()].find((f) => keys.every((k) => f.has(k)));
      const mapping = keys.map((k) => `${JSON.stringify(k)} → ${holder?.get(k) ?? '?'}`).join(', ');
      const message = `${lang}: the properties ${mapping} differ only in case or punctuation; each field holds the key shown`;
      if (seen.has(file + message)) continue;
      seen.add(file + message);
      out.push(diagnostic('W_LANG_FIELD_NAMES', message, { file: `schemas/${file}`, line: 1 }));
    }
  }
  return out;
}

/** Groups of keys of one `properties` map, anywhere in `schema`, equal once case and punctuation are ignored. */
function clashingKeys(schema: unknown): string[][] {
  const out: string[][] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && typeof value === 'object' && value !== null && !Array.isArray(value))
        out.push(...looseGroups(Object.keys(value)));
      visit(value);
    }
  };
  visit(schema);
  return out;
}

/** The groups of two or more of `names` equal once case and punctuation are ignored. */
function looseGroups(names: readonly string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const loose = name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    groups.set(loose, [...(groups.get(loose) ?? []), name]);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

/** Names every language can print as they are; others (TypeScript allows `$`) are left to quicktype. */
const isPlainIdentifier = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

export async function renderLanguages(
  schemaFiles: ReadonlyMap<string, string>,
  langs: readonly Lang[],
  options: LanguageOptions,
): Promise<LanguagesResult> {
  const input = readSchemas(schemaFiles);
  const diagnostics = [...input.diagnostics];
  const outputs = new Map<Lang, Map<string, string>>();
  const names = packageNames(options.packageName ?? DEFAULT_LANG_PACKAGE);
  const keep = new Set([...input.events.map((e) => e.typeName), ...input.sharedNames.values()].filter(isPlainIdentifier));
  for (const lang of LANGS.filter((l) => langs.includes(l))) {
    const one = await renderLanguage(lang, input, keep, names);
    diagnostics.push(...one.diagnostics);
    if (one.events !== undefined && one.files !== undefined)
      outputs.set(lang, TARGETS[lang].assemble({ events: one.events, names, version: options.version, quicktype: one.files }));
  }
  return { outputs, diagnostics: diagnostics.sort(compareDiagnostics) };
}

interface LanguageRun {
  readonly diagnostics: Diagnostic[];
  /** quicktype's files, made lossless where the language is; undefined when the language failed. */
  readonly files?: Map<string, string>;
  readonly events?: RenderedEvent[];
}

/** quicktype's files of one language and its events, or the errors that leave the language out. */
async function renderLanguage(
  lang: Lang,
  input: SchemaInput,
  keep: ReadonlySet<string>,
  names: PackageNames,
): Promise<LanguageRun> {
  const target = TARGETS[lang];
  const schemas = quicktypeSchemas(input, {
    comment: target.comment,
    ...(target.unnamable ? { unnamable: target.unnamable } : {}),
    ...(target.nullMark ? { nullMark: target.nullMark } : {}),
  });
  const diagnostics = schemas.unnamed.map(({ file, key }) =>
    diagnostic(
      'W_LANG_UNNAMED_PROPERTY',
      `${lang}: the property ${JSON.stringify(key)} has no field (kept in the map of additional properties)`,
      { file: `schemas/${file}`, line: 1 },
    ),
  );
  let run: Awaited<ReturnType<typeof runQuicktype>>;
  try {
    run = await runQuicktype(target.language(), schemas.files, schemas.topLevels, target.rendererOptions(names), {
      keep,
      reserved: target.reserved,
      ...(target.property ? { property: target.property } : {}),
      ...(target.memberNames ? { memberNames: target.memberNames } : {}),
    });
    if (target.lossless) run = { ...run, files: target.lossless(run.files) };
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    return { diagnostics: [...diagnostics, diagnostic('E_LANG_RENDER', `${lang}: ${reason}`, { file: 'schemas/', line: 1 })] };
  }
  const events = renderedEvents(target, input, run);
  diagnostics.push(...events.diagnostics);
  if (events.diagnostics.length > 0) return { diagnostics };
  if (target.fieldNames) diagnostics.push(...fieldNameClashes(lang, input.files, target.fieldNames(run.files)));
  return { diagnostics, files: run.files, events: events.events };
}

/**
 * Each event with the type its data has in the language: its TypeScript name, or the language's
 * any type for data that is no class where quicktype names no alias; an E_LANG_TYPE_NAME error for
 * an event whose data quicktype named otherwise.
 */
function renderedEvents(
  target: Target,
  input: SchemaInput,
  run: Awaited<ReturnType<typeof runQuicktype>>,
): { events: RenderedEvent[]; diagnostics: Diagnostic[] } {
  const events: RenderedEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const event of input.events) {
    const isClass = run.classes.has(event.typeName);
    const named = isPlainIdentifier(event.typeName) && target.declares(run.files, event.typeName);
    if (named && (isClass || target.aliasesOtherData)) {
      events.push({ eventType: event.eventType, typeName: event.typeName, dataType: event.typeName, isClass });
    } else if (!isClass && !target.aliasesOtherData) {
      events.push({ eventType: event.eventType, typeName: event.typeName, dataType: target.anyType, isClass });
    } else {
      diagnostics.push(
        diagnostic(
          'E_LANG_TYPE_NAME',
          `${target.lang} gives the data of ${event.eventType} another name than ${event.typeName}`,
          {
            file: `schemas/${event.schemaFile}`,
            line: 1,
          },
        ),
      );
    }
  }
  return { events, diagnostics };
}
