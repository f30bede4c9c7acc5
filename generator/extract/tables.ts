/**
 * Event-type tables: "| Event type | Description |" rows in each page's locale.
 * Machine translation mangles names in these tables ("Microsoft Communication.
 * UserDisconnected") while the JSON samples keep them right, so rows are matched
 * to the event types found in samples by a loose key (letters and digits only,
 * case-folded) rather than by exact text.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { Description } from '../ir.ts';
import type { TableRow } from './markdown.ts';

/** `Microsoft Communication. UserDisconnected*` → `microsoftcommunicationuserdisconnected` */
export function looseKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** What a table's first cell holds once footnote marks, code spans and spaces around dots are gone. */
function cleanName(cell: string): string {
  return cell
    .replace(/[*`†]/g, '')
    .replace(/\s*\.\s*/g, '.')
    .trim();
}

/** A dotted name such as `Microsoft.Storage.BlobCreated`, even with spaces in place of dots. */
const TYPE_LIKE = /^[A-Za-z][\w]*([. ]+[A-Za-z][\w]*)+$/;

export interface TableInput {
  readonly file: string;
  readonly locale: string;
  readonly tables: TableRow[][];
}

/**
 * Attaches table descriptions to known event types. A table counts as an event-type
 * table when at least one of its rows names a known event type; its other rows that
 * look like event-type names are reported.
 */
export function describeEvents(
  docs: readonly TableInput[],
  eventTypes: readonly string[],
): { descriptions: Description[]; diagnostics: Diagnostic[] } {
  const byKey = new Map(eventTypes.map((t) => [looseKey(t), t]));
  const descriptions: Description[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, Description>();
  for (const doc of docs) {
    for (const table of doc.tables) {
      const matches = table.map((row) => byKey.get(looseKey(cleanName(row.cells[0] ?? ''))));
      if (!matches.some((m) => m !== undefined)) continue;
      table.forEach((row, i) => {
        const eventType = matches[i];
        const at = { file: doc.file, line: row.line };
        const name = cleanName(row.cells[0] ?? '');
        if (eventType === undefined) {
          if (TYPE_LIKE.test(name)) {
            diagnostics.push(diagnostic('W_TABLE_UNMATCHED', `table row "${name}" matches no event type with a sample`, at));
          }
          return;
        }
        const text = (row.cells[1] ?? '').replace(/\s+/g, ' ').trim();
        if (text === '') return;
        const key = `${eventType}\u0000${doc.locale}`;
        const earlier = seen.get(key);
        if (earlier === undefined) {
          const description = { eventType, locale: doc.locale, text, source: at };
          seen.set(key, description);
          descriptions.push(description);
        } else if (earlier.text !== text) {
          diagnostics.push(
            diagnostic(
              'W_DESCRIPTION_CONFLICT',
              `${eventType} (${doc.locale}) is also described at ${earlier.source.file}:${earlier.source.line} with other text`,
              at,
            ),
          );
        }
      });
    }
  }
  return { descriptions, diagnostics };
}
