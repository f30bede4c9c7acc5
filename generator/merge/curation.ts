/**
 * Curation over time: each run records in the generated package (`package.json`,
 * `eventgen.curated`) every keyword a person curated in `schemas/`; the next run compares, so a
 * curated `enum` or `required` added since is reported and classified like any other change
 * (it narrows the contract: validators now reject events they accepted), and one removed loosens it.
 */
import type { Change } from '../ir.ts';

/** Keywords that, curated, make the contract narrower than inference (a validator now rejects more). */
const NARROWING = new Set([
  'type',
  'format',
  'required',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
]);

/**
 * What curation changed since the package was last generated: `recorded` is the curated list the
 * package recorded then (undefined when it recorded none, e.g. before this was kept), `now` this run's.
 * A keyword curated anew (or to another value) narrows or changes the contract; one no longer curated loosens it.
 */
export function curationChanges(recorded: readonly string[] | undefined, now: readonly string[]): Change[] {
  if (recorded === undefined) return [];
  const before = new Set(recorded);
  const after = new Set(now);
  const parse = (item: string) => {
    const [eventType = '', pointer = '/', keyword = '', ...value] = item.split(' ');
    return { eventType, pointer, keyword, value: value.join(' ') };
  };
  const changes: Change[] = [];
  for (const item of now) {
    if (before.has(item)) continue;
    const { eventType, pointer, keyword, value } = parse(item);
    const kind = NARROWING.has(keyword) ? 'curated-narrowed' : 'description-changed';
    changes.push({ eventType, kind, field: pointer, detail: `"${keyword}" set to ${value} in schemas/` });
  }
  for (const item of recorded) {
    if (after.has(item)) continue;
    const { eventType, pointer, keyword, value } = parse(item);
    if (now.some((n) => n.startsWith(`${eventType} ${pointer} ${keyword} `))) continue; // changed: reported above
    const kind = NARROWING.has(keyword) ? 'curated-loosened' : 'description-changed';
    changes.push({ eventType, kind, field: pointer, detail: `"${keyword}" ${value} no longer set in schemas/` });
  }
  return changes;
}
