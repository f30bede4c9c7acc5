/** Event Grid's event subscription filters, applied by a router to the events it dispatches. */
/**
 * An Event Grid event subscription filter, with Event Grid's semantics: an event passes when its type
 * is one of `includedEventTypes` (all types when absent; compared without regard to case) and its
 * subject starts with `subjectBeginsWith` and ends with `subjectEndsWith` (empty or absent matches
 * all), compared without regard to case unless `isSubjectCaseSensitive`. No wildcards.
 * https://learn.microsoft.com/azure/event-grid/event-filtering
 */
export interface SubscriptionFilter {
  includedEventTypes?: readonly string[] | null;
  subjectBeginsWith?: string | null;
  subjectEndsWith?: string | null;
  isSubjectCaseSensitive?: boolean | null;
}

/** Whether an event with this type and subject passes `filter`. */
export function matchesFilter(
  filter: SubscriptionFilter,
  event: { eventType: string; subject?: string | undefined },
): boolean {
  const types = filter.includedEventTypes;
  if (types && types.length > 0 && !types.some((t) => t.toLowerCase() === event.eventType.toLowerCase()))
    return false;
  const fold = (s: string) => (filter.isSubjectCaseSensitive ? s : s.toLowerCase());
  const subject = fold(event.subject ?? '');
  if (filter.subjectBeginsWith && !subject.startsWith(fold(filter.subjectBeginsWith))) return false;
  if (filter.subjectEndsWith && !subject.endsWith(fold(filter.subjectEndsWith))) return false;
  return true;
}
