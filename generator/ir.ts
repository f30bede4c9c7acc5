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
  /** What eventgen recorded about this node (see {@link XEventgen}). */
  'x-eventgen'?: XEventgen;
  /** A person's name for the event's data type; checked where it is used (emit/view.ts `typeNameOf`). */
  'x-eventgen-typeName'?: unknown;
  [keyword: string]: unknown;
}

/**
 * What eventgen records on a schema node under `x-eventgen`, every member it writes. At the top of an
 * event's schema file: where the event is documented and how the file was inferred (written by
 * infer/index.ts, and by merge/observed.ts for an event only recorded events show). On every node, the
 * top one included (the root of the event's data): the evidence for that place (infer/shape.ts), and
 * what recorded events widened there (merge/observed.ts). The merge reads it back to recompute the
 * previous run (merge/previous.ts) and the history; emit shows it in JSDoc and the catalog.
 * A schema file read from disk is checked against it once, when it is read (x-eventgen.ts).
 */
export interface XEventgen {
  // The event (top of a schema file).
  eventType?: string;
  /** How inference was configured (infer/index.ts `inferenceMark`); absent in files older than evidence-based inference. */
  inference?: string;
  /** A newer page of the event's family no longer documents it. */
  supersededBy?: Superseded;
  /** Where an event documented without a sample is listed. */
  listed?: { readonly file: string; readonly line: number; readonly locale: string };
  envelopes?: Envelope[];
  /** The event's description in every locale, by locale. */
  descriptions?: Record<string, { readonly text: string; readonly file: string; readonly line: number }>;
  /** Every place a sample of the event was documented. */
  sources?: Provenance[];
  /** Envelope attributes fixtures start from. */
  attributes?: EnvelopeAttributes;

  // The evidence for one place of the data.
  /** Distinct samples and pages that show a value here. */
  samples?: number;
  pages?: number;
  /** Samples show only `null` here: no evidence of a type. */
  onlyNull?: boolean;
  /** Formats every sample's value matches, not enforced (`date-time`, `uuid`, `uri`). */
  looksLike?: string[];
  /** Why the object here is a map (its keys are data). */
  map?: string;
  /** What a property table or code model states about this place. */
  documented?: RecordedFact;
  /** Values the docs list as possible: offered, never enforced. */
  knownValues?: string[];
  /** Every sample's object has this field (a candidate for `required`, never made required by itself). */
  inEverySample?: boolean;
  /** Only pages up to this date show the field (it is `deprecated`). */
  lastDocumented?: string;

  // What events the webhook recorded (`--observed`) showed.
  observed?: ObservedMark;
  /** Types only recorded events show here. */
  observedTypes?: JsonType[];
  /** A format recorded values broke, so it is no longer enforced. */
  observedFormatBroken?: string;
  /** Recorded events lacked this field, so it is no longer required. */
  observedMissing?: boolean;
}

/** A newer page of an event's family that no longer documents it. */
export interface Superseded {
  /** The newest page that documents the event's family without it. */
  readonly file: string;
  readonly date: string;
  /** The newest date of the pages that document the event. */
  readonly lastDocumented: string;
}

/**
 * A {@link Fact} as a schema file records it: what the type cell implies is left out
 * (`types`, `map`, `any`, `format`, `anyValues` only where they differ from it), and restored from it.
 */
export interface RecordedFact {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  readonly type?: string;
  readonly code?: boolean;
  readonly types?: JsonType[];
  readonly any?: boolean;
  readonly format?: 'date-time';
  readonly anyValues?: boolean;
  readonly description?: string;
  readonly required?: boolean;
  readonly nullable?: boolean;
  readonly values?: string[];
  readonly map?: boolean;
}

/**
 * What recorded events showed: on a field, that no doc has it (`undocumented`); at the top of an
 * event type no doc lists, its tally (`source: 'observed'`, how many, first and last received).
 */
export interface ObservedMark {
  readonly undocumented?: boolean;
  readonly source?: 'observed';
  readonly count?: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
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
