/** Stand-in for the generated `src/fixture-models.ts` (each event type's fixture model); see events.d.ts. */
import type { EventType } from './events.js';
import type { FixtureModel } from './fixture-factories.js';

export declare const MODELS: Record<EventType, FixtureModel>;
