/**
 * Doc history: pages carry their `ms.date`, and docs are rewritten over time. An event type
 * is superseded when a newer page documents its family (the same provider and the first word
 * of the event name: `Microsoft.Communication` + `Chat`) without it: the old page's
 * `ChatMemberAddedToThreadWithUser` is superseded by the 2025 chat page that lists
 * `ChatParticipantAddedToThreadWithUser` but not it, while a newer SMS page supersedes no chat
 * event. Undated pages never supersede and are never superseded: their age is unknown.
 */
import type { Extraction, Superseded } from '../ir.ts';
import { splitEventType, words } from '../names.ts';
import { pushTo } from '../own.ts';

interface Page {
  date: string | undefined;
  readonly events: Set<string>;
}

function family(eventType: string): string {
  const { provider, event } = splitEventType(eventType);
  return `${provider}/${words(event)[0]?.toLowerCase() ?? ''}`;
}

/** The pages of the docs with their dates and the event types each documents (samples or tables). */
function pagesOf(extraction: Extraction): Map<string, Page> {
  const pages = new Map<string, Page>();
  const add = (file: string, date: string | undefined, eventType: string) => {
    let page = pages.get(file);
    if (page === undefined) {
      page = { date, events: new Set() };
      pages.set(file, page);
    }
    page.date ??= date;
    page.events.add(eventType);
  };
  for (const sample of extraction.samples) for (const s of sample.sources) add(s.file, s.date, sample.eventType);
  for (const d of extraction.descriptions) add(d.source.file, d.date, d.eventType);
  for (const l of extraction.listedOnly) add(l.source.file, l.date, l.eventType);
  return pages;
}

/** Event types a newer page of their family no longer documents. */
export function supersededEvents(extraction: Extraction): Map<string, Superseded> {
  const pages = pagesOf(extraction);
  const byEvent = new Map<string, Page[]>();
  for (const page of pages.values()) for (const eventType of page.events) pushTo(byEvent, eventType, page);
  const out = new Map<string, Superseded>();
  for (const [eventType, own] of byEvent) {
    if (own.some((p) => p.date === undefined)) continue;
    const last = own.reduce((max, { date = '' }) => (date > max ? date : max), '');
    const newest = newestWithout(eventType, last, pages);
    if (newest) out.set(eventType, { ...newest, lastDocumented: last });
  }
  return out;
}

/** The newest page after `last` that documents the family of `eventType` without it (the first file of that date). */
function newestWithout(
  eventType: string,
  last: string,
  pages: ReadonlyMap<string, Page>,
): { file: string; date: string } | undefined {
  const mine = family(eventType);
  let newest: { file: string; date: string } | undefined;
  for (const [file, page] of pages) {
    if (page.date === undefined || page.date <= last || page.events.has(eventType)) continue;
    if (![...page.events].some((e) => family(e) === mine)) continue;
    if (newest === undefined || page.date > newest.date || (page.date === newest.date && file < newest.file)) {
      newest = { file, date: page.date };
    }
  }
  return newest;
}

/** A field name with case and separators folded away: `MessageId`, `message_id` and `messageId` are one. */
export function foldName(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '');
}

/** Whether two folded field names are one field renamed: equal, one inside the other, or sharing 5+ leading or trailing letters. */
function alike(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.min(a.length, b.length) >= 4 && (a.includes(b) || b.includes(a))) return true;
  let head = 0;
  while (head < a.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return head >= 5 || tail >= 5;
}

/**
 * How alike two event schemas' data are, from 0 to 1: the top-level fields matched one to one
 * (equal names, or names a rename keeps recognisable: `addedBy` / `addedByCommunicationIdentifier`,
 * `memberAdded` / `participantAdded`), over all the fields of both.
 */
export function similarity(a: unknown, b: unknown): number {
  const x = topLevel(a);
  const y = topLevel(b);
  if (x.length === 0 || y.length === 0) return 0;
  const free = new Set(y);
  const matchedNames = new Set<string>();
  let matched = 0;
  // Exact names first, then renamed-looking ones, so an exact match is never taken by a fuzzy one.
  for (const pass of [(p: string, q: string) => p === q, alike]) {
    for (const name of x) {
      if (!free.size) break;
      const match = [...free].find((other) => pass(name, other));
      if (match !== undefined && !matchedNames.has(name)) {
        free.delete(match);
        matchedNames.add(name);
        matched++;
      }
    }
  }
  return matched / (x.length + y.length - matched);
}

function topLevel(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  return Object.keys((schema as { properties?: object }).properties ?? {}).map(foldName);
}

/**
 * How alike two event names are, from 0 to 1: the words of their last segments after the family word
 * (`Chat` in `ChatMemberAddedToThreadWithUser`), shared over all (Jaccard).
 */
export function nameSimilarity(a: string, b: string): number {
  const x = words(splitEventType(a).event)
    .slice(1)
    .map((w) => w.toLowerCase());
  const y = words(splitEventType(b).event)
    .slice(1)
    .map((w) => w.toLowerCase());
  const free = [...y];
  let shared = 0;
  for (const word of x) {
    const i = free.indexOf(word);
    if (i >= 0) {
      free.splice(i, 1);
      shared++;
    }
  }
  return x.length + y.length === 0 ? 0 : shared / (x.length + y.length - shared);
}
