/**
 * The release step of emit: decides the version of the generated package from the change
 * report, and appends the CHANGELOG entry. The version moves only when the generated code
 * changed (major for a breaking change, minor for an additive one, patch otherwise).
 *
 * "Changed" is decided by a hash of the generated files recorded in package.json
 * (`eventgen.contentHash`), not by comparing with the disk: a hand edit of a generated file
 * is reported by `--check` but is not a new version.
 */
import { sha256 } from '../hash.ts';
import type { Change, FileMap } from '../ir.ts';
import { bumpFor, changelogEntry, nextVersion, type Release } from '../report/index.ts';
import { render } from './render.ts';

export const FIRST_VERSION = '1.0.0';
/** The files of the generated package that release reads back: all it needs of the previous run. */
export const RELEASE_FILES = ['package.json', 'CHANGELOG.md'] as const;
const UNVERSIONED = new Set<string>(RELEASE_FILES);

export interface PackageModel {
  readonly name: string;
  readonly description: string;
  readonly typescriptVersion: string;
  readonly dependencies: { name: string; version: string; last: boolean }[];
  /** Curated keywords of schemas/ (merge/curation.ts). */
  readonly curated: readonly string[];
}

/**
 * @param files the emitted files without package.json and CHANGELOG.md
 * @param previous the generated package as it is on disk (path → contents)
 * @param versioned the files that print the package's version, given it
 */
export function release(
  files: FileMap,
  model: PackageModel,
  previous: ReadonlyMap<string, string>,
  changes: readonly Change[],
  eventCount: number,
  changelogBanner: string,
  versioned: (version: string) => FileMap = () => new Map(),
): { files: FileMap; release: Release } {
  const before = previous.get('package.json');
  const from = versionOf(before);
  // Files that print the version (asyncapi.json) are hashed as they read with none, so the version never changes the hash.
  const contentHash = hashOf(new Map([...files, ...versioned('')]));
  const out: FileMap = new Map(files);
  let changelog =
    previous.get('CHANGELOG.md') ??
    `${changelogBanner}\n\n# Changelog\n\nOne entry per run of \`eventgen generate\` that changed this package.\n`;
  let result: Release;
  if (from === undefined) {
    result = { from: FIRST_VERSION, to: FIRST_VERSION, bump: undefined, first: true };
    changelog += `\n## ${FIRST_VERSION}\n\n- First generation: ${eventCount} event types.\n`;
  } else {
    const changed = recordedHash(before) !== contentHash;
    const bump = bumpFor(changes, changed);
    result = { from, to: nextVersion(from, bump), bump, first: false };
    if (bump !== undefined) changelog += `\n${changelogEntry(changes, result)}`;
  }
  out.set('package.json', render('package.json.hbs', { ...model, version: result.to, contentHash }));
  out.set('CHANGELOG.md', changelog);
  for (const [file, contents] of versioned(result.to)) out.set(file, contents);
  return { files: out, release: result };
}

function hashOf(files: FileMap): string {
  const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : 1)).filter(([path]) => !UNVERSIONED.has(path));
  return `sha256:${sha256(sorted.map(([path, contents]) => `${path}\0${contents}\0`))}`;
}

function recordedHash(packageJson: string | undefined): unknown {
  try {
    return (JSON.parse(packageJson ?? '{}') as { eventgen?: { contentHash?: unknown } }).eventgen?.contentHash;
  } catch {
    return undefined;
  }
}

function versionOf(packageJson: string | undefined): string | undefined {
  if (packageJson === undefined) return undefined;
  try {
    const version = (JSON.parse(packageJson) as { version?: unknown }).version;
    return typeof version === 'string' ? version : FIRST_VERSION;
  } catch {
    return FIRST_VERSION;
  }
}
