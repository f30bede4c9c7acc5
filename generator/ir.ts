/**
 * The intermediate representation shared by every stage of the pipeline
 * (extract → infer → merge → emit → write). Stages are functions from these
 * values to these values; only `cli.ts` and `write/store.ts` touch the disk.
 */

/** A documentation file as read from disk: its path relative to the working directory, POSIX separators. */
export interface DocFile {
  readonly path: string;
  readonly text: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** Where a fact came from. Lines and columns are 1-based. */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** The two envelopes Event Grid delivers. */
export type Envelope = 'eventgrid' | 'cloudevents';

/** One place a sample was documented. */
export interface Provenance extends Location {
  readonly locale: string;
  readonly envelope: Envelope;
  /** The page's `ms.date` (YYYY-MM-DD); absent for undated pages. */
  readonly date?: string;
}

/**
 * The `data` of one event type as documented, counted once however many files,
 * tabs and locales repeat it byte for byte; `sources` keeps every place it was seen.
 */
export interface Sample {
  readonly eventType: string;
  readonly data: unknown;
  readonly sources: Provenance[];
  /** Envelope attributes of the first event that documented this data, for fixtures. */
  readonly attributes: EnvelopeAttributes;
}

/** The envelope attributes fixtures start from: the same resource path is `topic` in Event Grid and `source` in CloudEvents. */
export interface EnvelopeAttributes {
  readonly subject?: string;
  readonly source?: string;
  readonly dataVersion?: string;
}

/** The description of an event type in one locale, from an event-type table. */
export interface Description {
  readonly eventType: string;
  readonly locale: string;
  readonly text: string;
  readonly source: Location;
  /** The page's `ms.date`, when it has one: the newest page wins a disagreement. */
  readonly date?: string;
}

/** One row of a property table: what the docs state about one field. */
export interface PropertyRow {
  /** The field name as written (`a.b` for a nested field). */
  readonly name: string;
  /** The type cell as written (`string`, `Zeichenfolge`, `string[]`, `Dictionary<string, string>`), if any. */
  readonly type?: string;
  readonly description?: string;
  /** From a Required / Nullable column, when the table has one. */
  readonly required?: boolean;
  readonly nullable?: boolean;
  /** Values the docs list as possible ("Valid values are …", a values column). */
  readonly values: string[];
  readonly line: number;
  /** For values from prose: the event types of the paragraph's nearest heading (absent: the page's). */
  readonly events?: string[];
}

/**
 * One property table row (or code model member) attached to a place in an event's data
 * (infer/evidence.ts); recorded per field as `x-eventgen.documented`.
 */
export interface Fact {
  readonly file: string;
  readonly line: number;
  /** The name as the table writes it. */
  readonly name: string;
  /** The type cell as written. */
  readonly type?: string;
  /** What the type cell means. */
  readonly types: JsonType[];
  readonly map: boolean;
  /** Stated as any value (`object` in C#, `any`). */
  readonly any?: boolean;
  /** A stated date-time type: the one string format enforced. */
  readonly format?: 'date-time';
  /** A dictionary stated with values of any type (`Dictionary<string, object>`). */
  readonly anyValues?: boolean;
  /** Stated in a code model rather than a table. */
  readonly code?: boolean;
  readonly description?: string;
  readonly required?: boolean;
  readonly nullable?: boolean;
  readonly values: string[];
}

/** A table whose header names properties (Property / Name / Eigenschaft / プロパティ / 속성 …). */
export interface PropertyTable {
  readonly file: string;
  readonly line: number;
  readonly locale: string;
  readonly date?: string;
  readonly rows: PropertyRow[];
  /**
   * Where the rows come from: a table (the default), the page's prose ("Possible values for X are
   * …": values for fields the samples show, never new fields), or a code model (`public double?
   * TTLSeconds { get; set; }`: types stated in code).
   */
  readonly kind?: 'prose' | 'code';
}

/** An event type listed in an event-type table (with its description, if any). */
export interface ListedEvent {
  readonly eventType: string;
  readonly source: Location;
  readonly locale: string;
  /** The page's `ms.date`, when it has one. */
  readonly date?: string;
}

/** What the extract stage finds in a set of documents. */
export interface Extraction {
  /** Distinct samples, in document order (files sorted by path, then line). */
  readonly samples: Sample[];
  /** Number of event samples before de-duplication. */
  readonly rawSampleCount: number;
  readonly descriptions: Description[];
  /** Property tables of the pages, in document order. */
  readonly propertyTables: PropertyTable[];
  /** Event types the tables list that no sample shows (documented without a sample). */
  readonly listedOnly: ListedEvent[];
  readonly docsRead: number;
}

/** The subset of JSON Schema 2020-12 that eventgen writes and reads, plus its `x-` keywords. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  examples?: unknown[];
  [keyword: string]: unknown;
}

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'object' | 'array';

/** One event type's schema for its `data`, as it will be written to `schemas/`. */
export interface EventSchema {
  readonly eventType: string;
  /** File name inside the schemas directory. */
  readonly fileName: string;
  readonly schema: JsonSchema;
}

/** All schemas of a run: one per event type plus the shared definitions they reference. */
export interface SchemaSet {
  readonly events: EventSchema[];
  /** Shared `$defs`, written beside the event schemas in {@link SHARED_DEFS_FILE}. */
  readonly shared: Record<string, JsonSchema>;
}

export const SHARED_DEFS_FILE = 'shared.defs.json';

/** Output of the emit stage and input of the write stage: relative path → file contents. */
export type FileMap = Map<string, string>;

/**
 * Texts a stage computed on an earlier run, by key: a SHA-256 of everything the text depends on (its
 * input and the versions of the libraries that made it), so a hit is the text the stage would compute.
 * The CLI keeps one on disk (write/cache.ts); without one, everything is computed.
 */
export interface TextCache {
  get(key: string): string | undefined;
  set(key: string, text: string): void;
}

/** Kinds of change a run can make to an event's schema, for the change report. */
export type ChangeKind =
  | 'event-added'
  | 'event-undocumented'
  | 'field-added'
  | 'field-required-candidate'
  | 'field-no-longer-required'
  | 'type-widened'
  | 'field-no-longer-seen'
  | 'likely-rename'
  | 'likely-renamed-event'
  | 'field-deprecated'
  | 'event-deprecated'
  | 'curated-narrowed'
  | 'curated-loosened'
  | 'curated-conflict'
  | 'description-changed'
  | 'observed-event-added'
  | 'observed-field-added'
  | 'observed-type-widened'
  | 'observed-format-dropped'
  | 'observed-no-longer-required';

/**
 * One event the webhook recorded in production (`--observed`, the package's `recordTo`): evidence of what the
 * service sends. Its strings are usually redacted stand-ins that keep only their JSON type and format.
 */
export interface ObservedEvent {
  readonly eventType: string;
  readonly envelope: Envelope;
  /** The event's `data`; undefined when it has none. */
  readonly data: unknown;
  /** When the webhook received it (ISO 8601), if the line says. */
  readonly receivedAt?: string;
  /** The recorded file and line. */
  readonly source: Location;
}

/** One change, as the report lists it. */
export interface Change {
  readonly eventType: string;
  readonly kind: ChangeKind;
  /** JSON pointer into the event's data (`/DeliveryAttempts/0/Timestamp`), when the change is about a field. */
  readonly field?: string;
  readonly detail: string;
  /** A sample that shows it, for conflicts. */
  readonly source?: Location;
}
