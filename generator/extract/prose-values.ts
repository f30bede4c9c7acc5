/**
 * Values a page's prose gives for a field: "Possible values for `status` are `Delivered` and
 * `Failed`", or the list that follows "… are:". Each becomes a property row of kind `prose` naming
 * the events its paragraph is about, so infer attaches the values to that field of those events
 * (and never creates a field from them).
 */
import type { PropertyRow } from '../ir.ts';
import type { EventMatch } from './event-lists.ts';
import type { Paragraph } from './markdown.ts';
import { cleanName } from './table-columns.ts';

/** "Possible values for `status` are `Delivered` and `Failed`": the field named after "for". */
const PROSE_VALUES = /\b(?:possible|valid|allowed|supported|known) values (?:for|of) (?:the )?([\w.$@-]+)/i;

/** The events of the nearest heading that names any, and that heading's level. */
interface HeadingContext {
  readonly level: number;
  readonly events: string[];
}

/**
 * Values the page's prose gives for a field, each row naming the events its paragraph is about:
 * those its nearest heading names (none when no heading names one, so the page's events). Values
 * that are the page's own field names (`keys`, lower case) are not values.
 */
export function proseValues(prose: readonly Paragraph[], keys: ReadonlySet<string>, match: EventMatch): PropertyRow[] {
  const rows: PropertyRow[] = [];
  let context: HeadingContext | undefined;
  prose.forEach((paragraph, i) => {
    if (paragraph.kind === 'heading') {
      context = headingContext(context, paragraph, match);
      return;
    }
    const row = valuesRow(prose, i, keys);
    if (row !== undefined) rows.push(context === undefined ? row : { ...row, events: context.events });
  });
  return rows;
}

/** A heading that names events opens their context; one at the same level or above that names none closes it. */
function headingContext(context: HeadingContext | undefined, heading: Paragraph, match: EventMatch): HeadingContext | undefined {
  const events = eventsIn(heading.text, match);
  const level = heading.level ?? 1;
  if (events.length > 0) return { level, events };
  return context !== undefined && level <= context.level ? undefined : context;
}

/** The event types a heading names: in full (`Microsoft.Web.AppUpdated`) or by the page's short names. */
function eventsIn(text: string, match: EventMatch): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z][\w-]*(?:\s*\.\s*[A-Za-z][\w-]*)+|[A-Za-z][A-Za-z0-9]+/g)) {
    const named = match(cleanName(m[0]));
    if (named !== undefined) found.add(named);
  }
  return [...found];
}

/** The row of values paragraph `i` of `prose` gives for the field it names: its marked values, else the list it introduces. */
function valuesRow(prose: readonly Paragraph[], i: number, keys: ReadonlySet<string>): PropertyRow | undefined {
  const paragraph = prose[i] as Paragraph;
  const name = PROSE_VALUES.exec(paragraph.text.slice(0, 2000))?.[1]?.replace(/[.:]+$/, '');
  if (name === undefined) return undefined;
  const isValue = (v: string) => v !== name && v.length <= 100 && !keys.has(v.toLowerCase());
  const marked = paragraph.marked.filter(isValue);
  const values = marked.length === 0 && /:\s*$/.test(paragraph.text) ? listedValues(prose, i + 1, isValue) : marked;
  if (values.length === 0) return undefined;
  return { name: cleanName(name), values: [...new Set(values)], line: paragraph.line };
}

/** The values of the list items from `start` on: each item's first marked value, else its first word or two. */
function listedValues(prose: readonly Paragraph[], start: number, isValue: (v: string) => boolean): string[] {
  const values: string[] = [];
  for (const item of prose.slice(start)) {
    if (item.kind !== 'item') break;
    const value = item.marked[0] ?? /^[^\s:–—-]+(?:\s[^\s:–—-]+)?/.exec(item.text)?.[0];
    if (value !== undefined && isValue(value)) values.push(value.trim());
  }
  return values;
}
