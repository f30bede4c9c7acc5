/** Stand-in for the generated `src/fixtures.ts` (fixture factories); see events.d.ts. */
import type { EventGridEventOf, EventType } from './events.js';

export declare function makeEventGridEvent<T extends EventType>(eventType: T): EventGridEventOf<T>;
