/** Stand-in for the generated `src/data.ts` (one interface per event's data); see events.d.ts. */
export interface ContosoExampleCreatedEventData {
  name?: string;
  size?: number;
}
