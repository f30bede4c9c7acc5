/**
 * What doc history changed, for the report: fields and events that only older pages show
 * (deprecated by inference), fields whose names differ only in case or separators
 * (`MessageId` / `messageId`, `deliveryAttemptTimeStamp` / `deliveryAttemptTimestamp`), and
 * events a newer event of the same provider most likely renamed. Renames are found in the
 * merged schema itself, so they are reported even while an old page (or another locale of it)
 * still documents the old spelling; each is reported once, in the run where it appears.
 */
import { foldName, nameSimilarity, similarity } from '../infer/history.ts';
import type { Change, EventSchema, JsonSchema, XEventgen } from '../ir.ts';
import { splitEventType } from '../names.ts';
import { pushTo } from '../own.ts';
import { dataPlace, walk } from '../schema-walk.ts';

const meta = (s: JsonSchema | undefined): XEventgen => s?.['x-eventgen'] ?? {};

/** The newest page date of an event's samples, if every one is dated. */
function newestSource(schema: JsonSchema): string | undefined {
  const dates = (meta(schema).sources ?? []).map((s) => s.date);
  if (dates.length === 0 || dates.some((d) => d === undefined)) return undefined;
  return (dates as string[]).reduce((a, b) => (b > a ? b : a));
}

interface Pair {
  readonly at: string;
  readonly from: string;
  readonly to: string;
  readonly fromDate: string | undefined;
}

/** Where fields are looked for: objects' properties, arrays' items. */
const FIELDS = ['properties', 'items'];

/** Pairs of fields of one object whose names differ only in case or separators, old spelling first (inner objects first). */
function renamePairs(schema: JsonSchema): Pair[] {
  const out: Pair[] = [];
  walk(schema, () => true, { keywords: FIELDS, leave: ({ schema: node, at }) => out.push(...pairsOf(node, at)) });
  return out;
}

/** The rename pairs among the properties of one object at `at`. */
function pairsOf(schema: JsonSchema, at: string): Pair[] {
  const byFold = new Map<string, [string, JsonSchema][]>();
  for (const [key, child] of Object.entries(schema.properties ?? {})) pushTo(byFold, foldName(key), [key, child]);
  const out: Pair[] = [];
  for (const group of byFold.values()) {
    if (group.length < 2) continue;
    // The deprecated spelling is the old one; between two current ones, the one documented last is older.
    const ordered = [...group].sort(
      ([, a], [, b]) =>
        Number(b.deprecated === true) - Number(a.deprecated === true) ||
        (meta(a).lastDocumented ?? '\uffff').localeCompare(meta(b).lastDocumented ?? '\uffff'),
    );
    const [[from, old], ...rest] = ordered as [[string, JsonSchema], ...[string, JsonSchema][]];
    for (const [to] of rest) out.push({ at, from, to, fromDate: meta(old).lastDocumented });
  }
  return out;
}

/** Deprecated fields of `schema` by pointer, with the last date a page documented them. */
function deprecatedFields(schema: JsonSchema): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  walk(
    schema,
    ({ schema: field, keyword, at }) => {
      if (keyword === 'properties' && field.deprecated === true) out.set(at, meta(field).lastDocumented);
    },
    { keywords: FIELDS },
  );
  return out;
}

/** The history changes of one event: `base` is the schema file as it was, `merged` what will be written. */
export function historyChanges(eventType: string, base: JsonSchema | undefined, merged: JsonSchema): Change[] {
  const changes: Change[] = [];
  const now = newestSource(merged);
  const page = (date: string | undefined) => (date === undefined ? 'an undated page' : `page of ${date}`);
  const known = new Set((base ? renamePairs(base) : []).map((p) => `${p.at}/${p.from}>${p.to}`));
  for (const pair of renamePairs(merged)) {
    if (known.has(`${pair.at}/${pair.from}>${pair.to}`)) continue;
    const dates =
      pair.fromDate === undefined
        ? ' (the names differ only in case or separators)'
        : ` (${page(pair.fromDate)} vs ${page(now)})`;
    changes.push({
      eventType,
      kind: 'likely-rename',
      field: dataPlace(pair.at, 'properties', pair.to),
      detail: `from ${dataPlace(pair.at, 'properties', pair.from)}${dates}`,
    });
  }
  const before = base ? deprecatedFields(base) : new Map<string, string | undefined>();
  for (const [at, last] of deprecatedFields(merged)) {
    if (before.has(at)) continue;
    changes.push({
      eventType,
      kind: 'field-deprecated',
      field: at,
      detail: `only pages up to ${last} show it; the ${page(now)} does not`,
    });
  }
  const gone = meta(merged).supersededBy;
  if (merged.deprecated === true && base?.deprecated !== true && gone) {
    changes.push({
      eventType,
      kind: 'event-deprecated',
      detail: `last documented on a page of ${gone.lastDocumented}; ${gone.file} (${gone.date}) documents its family without it`,
    });
  }
  return changes;
}

/**
 * For each event deprecated in this run, and each event added while a look-alike of its provider is
 * deprecated: the live event of the same provider that most likely renamed it, when most of their data
 * fields and of their name's words are alike. Each event gets at most one partner, best pairs first.
 */
export function eventRenames(events: readonly EventSchema[], changes: readonly Change[], threshold = 0.5): Change[] {
  const byType = new Map(events.map((e) => [e.eventType, e.schema]));
  const provider = (t: string) => splitEventType(t).provider;
  const live = events.filter((e) => e.schema.deprecated !== true).map((e) => e.eventType);
  const deprecated = events.filter((e) => e.schema.deprecated === true).map((e) => e.eventType);
  const added = new Set(changes.filter((c) => c.kind === 'event-added').map((c) => c.eventType));
  const newlyDeprecated = new Set(changes.filter((c) => c.kind === 'event-deprecated').map((c) => c.eventType));
  const candidates: { from: string; to: string; score: number }[] = [];
  for (const from of deprecated) {
    for (const to of live) {
      if (provider(to) !== provider(from) || !(newlyDeprecated.has(from) || added.has(to))) continue;
      const data = similarity(byType.get(from), byType.get(to));
      const name = nameSimilarity(from, to);
      if (data >= threshold && name >= threshold) candidates.push({ from, to, score: data });
    }
  }
  candidates.sort((a, b) => b.score - a.score || (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : 1));
  const taken = new Set<string>();
  const out: Change[] = [];
  for (const { from, to, score } of candidates) {
    if (taken.has(from) || taken.has(to)) continue;
    taken.add(from).add(to);
    out.push({
      eventType: to,
      kind: 'likely-renamed-event',
      detail: `from ${from} (${Math.round(score * 100)} % of their fields alike); ${from} is deprecated, not deleted`,
    });
  }
  return out;
}
