/**
 * The options a project always passes, kept in the working directory: `eventgen.config.json`, or
 * the `eventgen` key of its package.json. Keys are the long options, as on the command line
 * (`package-name`) or in camelCase (`packageName`); values are JSON (`"lang": ["csharp", "python"]`
 * or `"csharp,python"`, `"quiet": true`, `"max-doc-size": 20`). The command line wins over the
 * file, option by option. The file is checked as strictly as the command line: an unknown key or a
 * value of the wrong kind is a usage error (exit 2) naming the file, before anything runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, kebab, OPTIONS, type OptionSpec } from './options.ts';

export class UsageError extends Error {}

/** One option's value and how messages name where it came from (`--out`, `eventgen.config.json "out"`). */
export interface Given {
  readonly value: unknown;
  readonly label: string;
}

export interface Config {
  /** The file, as messages name it. */
  readonly file: string;
  /** The folder the file is in: its paths are relative to it, and so are the doc paths a run records. */
  readonly dir: string;
  /** By option name (kebab-case), in the shapes the command line gives: strings, string arrays, booleans. */
  readonly values: ReadonlyMap<string, Given>;
}

/**
 * The configuration yargs' `.config()` found at `file` (an absolute path). The default file, the working
 * directory's eventgen.config.json, may be absent, and then the `eventgen` key of the package.json beside
 * it is read, if any; a file `--config` names must exist.
 */
export function loadConfig(file: string): Config | undefined {
  const dir = path.dirname(file);
  const isDefault = file === path.resolve(CONFIG_FILE);
  const label = isDefault ? CONFIG_FILE : path.relative(process.cwd(), file) || file;
  const fromPackage = isDefault ? packageJsonConfig(path.join(dir, 'package.json')) : undefined;
  if (!existsSync(file)) {
    if (!isDefault) throw new UsageError(`--config ${label}: no such file; give the path of a JSON file of options`);
    return fromPackage === undefined ? undefined : parseConfig(fromPackage, 'package.json "eventgen"', dir);
  }
  if (fromPackage !== undefined) {
    throw new UsageError(
      `both ${CONFIG_FILE} and the "eventgen" key of package.json hold eventgen options; keep them in one place`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${label} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(value, label, dir);
}

/** The `eventgen` key of a package.json; undefined when there is none, or when it is what eventgen records in a package it generated. */
function packageJsonConfig(file: string): unknown {
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // not ours to judge: npm reports a broken package.json
  }
  const options = (value as { eventgen?: unknown } | null)?.eventgen;
  if (options === undefined) return undefined;
  // A generated package's package.json keeps eventgen's own records under the same key.
  if (typeof options === 'object' && options !== null && ('contentHash' in options || 'curated' in options)) return undefined;
  return options;
}

/**
 * Checks every key and value of a configuration object; `file` names it in messages. Paths in it are
 * relative to `dir`, its folder; they are given on as the command line would give them from the working
 * folder, so a run reads the same files from any folder.
 */
export function parseConfig(value: unknown, file: string, dir = process.cwd()): Config {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${file} must hold an object of options, such as { "out": "generated" }`);
  }
  const values = new Map<string, Given>();
  for (const [key, raw] of Object.entries(value)) {
    // For editors: the JSON Schema of this file (eventgen.config.schema.json), which `eventgen init` names.
    if (key === '$schema') {
      if (typeof raw !== 'string') throw new UsageError(`${file} "$schema" must be a string (the path or URL of a JSON Schema)`);
      continue;
    }
    const name = kebab(key);
    const spec = OPTIONS.find((o) => o.name === name);
    const label = `${file} "${key}"`;
    if (spec === undefined) {
      const names = OPTIONS.filter((o) => o.inConfig).map((o) => o.name);
      throw new UsageError(`${label} is not an option. The options are: ${names.join(', ')}`);
    }
    if (!spec.inConfig) throw new UsageError(`${label}: --${name} is for one run; give it on the command line`);
    if (values.has(name)) throw new UsageError(`${label}: --${name} is given twice in ${file}; give it once`);
    const given = configValue(spec, raw, label);
    values.set(name, { value: spec.path ? fromFolder(dir, given as string | string[]) : given, label });
  }
  return { file, dir: path.resolve(dir), values };
}

/** Paths relative to `dir`, as the working folder reaches them. */
function fromFolder(dir: string, value: string | string[]): string | string[] {
  const one = (p: string) => path.relative(process.cwd(), path.resolve(dir, p)) || '.';
  return Array.isArray(value) ? value.map(one) : one(value);
}

/** A value of the file in the shape the command line gives it, or a UsageError saying what is expected. */
function configValue(spec: OptionSpec, value: unknown, label: string): unknown {
  switch (spec.kind) {
    case 'switch':
      if (typeof value !== 'boolean') throw new UsageError(`${label} must be true or false (given ${JSON.stringify(value)})`);
      return value;
    case 'list':
      if (typeof value === 'string') return [value];
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
      throw new UsageError(`${label} must be a string or an array of strings (given ${JSON.stringify(value)})`);
    case 'string':
      if (typeof value === 'string') return value;
      if (spec.name === 'max-doc-size' && typeof value === 'number') return String(value);
      throw new UsageError(`${label} must be a string (given ${JSON.stringify(value)})`);
  }
}
