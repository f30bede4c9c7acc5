/**
 * The change report: each change with its compatibility class for consumers of the events,
 * in the terms schema registries use (Confluent Schema Registry), the semver bump of the
 * generated package, and the renderings: a summary for the terminal, a CHANGELOG entry, JSON.
 *
 * - backward: code built on the new schema reads events made under the old one;
 * - forward: code built on the old schema reads events made under the new one;
 * - full: both; none: neither.
 * A change is breaking when code that consumes the events may have to change: its types
 * become wider or looser (a field may now be missing or of another type), or the docs now
 * contradict the schemas.
 */
import { createRequire } from 'node:module';
import type { Change, ChangeKind } from '../ir.ts';
import { pushTo } from '../own.ts';

export type Compatibility = 'full' | 'backward' | 'forward' | 'none';
export type Bump = 'major' | 'minor' | 'patch';

interface Class {
  readonly compatibility: Compatibility;
  readonly breaking: boolean;
  /** What the change alone asks of the version; undefined when it changes no output. */
  readonly bump: Bump | undefined;
  readonly label: string;
}

export const CLASSES: Readonly<Record<ChangeKind, Class>> = {
  'event-added': { compatibility: 'full', breaking: false, bump: 'minor', label: 'event added' },
  'field-added': { compatibility: 'full', breaking: false, bump: 'minor', label: 'optional field added' },
  'description-changed': { compatibility: 'full', breaking: false, bump: 'patch', label: 'description changed' },
  'field-required-candidate': {
    compatibility: 'full',
    breaking: false,
    bump: undefined,
    label: 'now in every sample (candidate for required, not applied)',
  },
  'field-no-longer-seen': { compatibility: 'full', breaking: false, bump: undefined, label: 'field no longer seen (kept)' },
  'event-undocumented': { compatibility: 'full', breaking: false, bump: undefined, label: 'no longer documented (schema kept)' },
  'type-widened': { compatibility: 'backward', breaking: true, bump: 'major', label: 'type widened' },
  'field-no-longer-required': { compatibility: 'backward', breaking: true, bump: 'major', label: 'field no longer required' },
  'likely-rename': { compatibility: 'none', breaking: true, bump: 'major', label: 'likely renamed' },
  'likely-renamed-event': { compatibility: 'none', breaking: true, bump: 'major', label: 'likely renamed event' },
  'field-deprecated': { compatibility: 'full', breaking: false, bump: 'minor', label: 'field deprecated' },
  'event-deprecated': { compatibility: 'full', breaking: false, bump: 'minor', label: 'event deprecated' },
  'curated-narrowed': { compatibility: 'forward', breaking: true, bump: 'major', label: 'narrowed by curation' },
  'curated-loosened': { compatibility: 'backward', breaking: true, bump: 'major', label: 'loosened by curation' },
  'curated-conflict': { compatibility: 'none', breaking: true, bump: undefined, label: 'curated conflict' },
  // Recorded events widen the contract to what the service already sends: code that reads the events already
  // receives these values, so each is a minor version (its own heading in the report).
  'observed-event-added': { compatibility: 'full', breaking: false, bump: 'minor', label: 'event type observed' },
  'observed-field-added': { compatibility: 'full', breaking: false, bump: 'minor', label: 'observed, undocumented field added' },
  'observed-type-widened': {
    compatibility: 'backward',
    breaking: false,
    bump: 'minor',
    label: 'type widened by observed values',
  },
  'observed-format-dropped': {
    compatibility: 'backward',
    breaking: false,
    bump: 'minor',
    label: 'format no longer enforced (observed values break it)',
  },
  'observed-no-longer-required': {
    compatibility: 'backward',
    breaking: false,
    bump: 'minor',
    label: 'no longer required (observed events lack it)',
  },
};

/** Whether a change comes from recorded events (`--observed`) rather than from the docs. */
export function isObserved(c: Change): boolean {
  return c.kind.startsWith('observed-');
}

/** `3 fields added, 1 type widened`: the observed changes counted by kind. */
export function observedCounts(changes: readonly Change[]): string {
  const words: [ChangeKind, string, string][] = [
    ['observed-event-added', 'event type added', 'event types added'],
    ['observed-field-added', 'field added', 'fields added'],
    ['observed-type-widened', 'type widened', 'types widened'],
    ['observed-format-dropped', 'format no longer enforced', 'formats no longer enforced'],
    ['observed-no-longer-required', 'field no longer required', 'fields no longer required'],
  ];
  return words
    .map(([kind, one, many]) => [changes.filter((c) => c.kind === kind).length, one, many] as const)
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
    .join(', ');
}

const ORDER: readonly Bump[] = ['major', 'minor', 'patch'];

/** The bump a run asks for: the worst change's, else patch when the output changed at all. */
export function bumpFor(changes: readonly Change[], outputChanged: boolean): Bump | undefined {
  if (!outputChanged) return undefined;
  const bumps = changes.map((c) => CLASSES[c.kind].bump).filter((b): b is Bump => b !== undefined);
  return ORDER.find((b) => bumps.includes(b)) ?? 'patch';
}

/** The version after `bump`, by semver's rules (a prerelease `1.0.0-beta.1` + patch is `1.0.0`); an invalid version stays. */
export function nextVersion(version: string, bump: Bump | undefined): string {
  if (bump === undefined) return version;
  // Loaded here: a first generation, and a run that changes nothing, never bump (semver is 47 modules to load).
  const semver = createRequire(import.meta.url)('semver') as typeof import('semver');
  return semver.inc(version, bump) ?? version;
}

export function isBreaking(changes: readonly Change[]): boolean {
  return changes.some((c) => CLASSES[c.kind].breaking);
}

export interface Release {
  readonly from: string;
  readonly to: string;
  readonly bump: Bump | undefined;
  /** The first generation of the package (no package.json before). */
  readonly first: boolean;
}

function line(c: Change): string {
  const cls = CLASSES[c.kind];
  const field = c.field === undefined ? '' : ` ${c.field}`;
  const detail = c.detail === '' ? '' : `: ${c.detail}`;
  const at = c.source ? ` (${c.source.file}:${c.source.line})` : '';
  return `${cls.label}${field}${detail}${at} [${cls.compatibility}${cls.breaking ? ', breaking' : ''}]`;
}

function byEvent(changes: readonly Change[]): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  for (const c of changes) pushTo(out, c.eventType, c);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The terminal summary: one block per event type. */
export function summary(changes: readonly Change[], release: Release): string[] {
  if (changes.length === 0 && release.bump === undefined && !release.first) return [];
  if (changes.length === 0 && release.first) return [`Version: ${release.to} (first generation)`];
  const documented = changes.filter((c) => !isObserved(c));
  const observed = changes.filter(isObserved);
  const lines = changes.length > 0 ? [] : ['No schema changes; the generated code changed.'];
  if (documented.length > 0) lines.push('Changes:');
  for (const [eventType, list] of byEvent(documented)) {
    lines.push(`  ${eventType}`);
    for (const c of list) lines.push(`    - ${line(c)}`);
  }
  if (observed.length > 0) lines.push(`Observed in production (recorded events): ${observedCounts(observed)}`);
  for (const [eventType, list] of byEvent(observed)) {
    lines.push(`  ${eventType}`);
    for (const c of list) lines.push(`    - ${line(c)}`);
  }
  const verdict = isBreaking(changes) ? 'breaking' : 'not breaking';
  if (release.first) lines.push(`Version: ${release.to} (first generation)`);
  else if (release.bump) lines.push(`Version: ${release.from} → ${release.to} (${release.bump}, ${verdict})`);
  else lines.push(`Version: ${release.to} (generated code unchanged, ${verdict})`);
  return lines;
}

/** One CHANGELOG entry (markdown). */
export function changelogEntry(changes: readonly Change[], release: Release): string {
  const lines = [`## ${release.to}`, ''];
  if (changes.length === 0) lines.push('- Regenerated: the generated code changed, the schemas did not.');
  const observed = changes.filter(isObserved);
  for (const [eventType, list] of byEvent(changes.filter((c) => !isObserved(c)))) {
    lines.push(`- \`${eventType}\``);
    for (const c of list) lines.push(`  - ${line(c).replace(/`/g, "'")}`);
  }
  if (observed.length > 0) {
    if (lines.length > 2) lines.push('');
    lines.push('### Observed in production', '', `Recorded events widened the contract: ${observedCounts(observed)}.`, '');
  }
  for (const [eventType, list] of byEvent(observed)) {
    lines.push(`- \`${eventType}\``);
    for (const c of list) lines.push(`  - ${line(c).replace(/`/g, "'")}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The `--report-json` document. */
export function reportJson(changes: readonly Change[], release: Release): string {
  const report = {
    version: { from: release.first ? null : release.from, to: release.to, bump: release.bump ?? null },
    breaking: isBreaking(changes),
    changes: changes.map((c) => ({ ...c, ...CLASSES[c.kind], bump: CLASSES[c.kind].bump ?? null })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
