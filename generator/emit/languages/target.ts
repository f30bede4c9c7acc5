/**
 * What a target language is to `renderLanguages`: quicktype's renderer and its options, and
 * the hand-rendered files around quicktype's output (project file, envelopes, event map).
 */
import type { TargetLanguage } from 'quicktype-core';
import { words } from '../../names.ts';
import { GENERATED_MARK } from '../banner.ts';

export const LANGS = ['csharp', 'python', 'go', 'java', 'kotlin', 'swift', 'rust'] as const;
export type Lang = (typeof LANGS)[number];

/** One event as a language sees it after quicktype ran. */
export interface RenderedEvent {
  readonly eventType: string;
  /** The TypeScript name of its data type. */
  readonly typeName: string;
  /** The type the event map names for its data: `typeName`, or the language's any type when the data is no class. */
  readonly dataType: string;
  readonly isClass: boolean;
}

/** The package's name in each spelling a language wants, from one name such as `eventgen-events`. */
export interface PackageNames {
  /** `eventgen-events` */
  readonly kebab: string;
  /** `eventgen_events` */
  readonly snake: string;
  /** `EventgenEvents` */
  readonly pascal: string;
  /** `eventgen.events` (Java and Kotlin package) */
  readonly dotted: string;
  /** `eventgenevents` (Go package) */
  readonly flat: string;
}

export interface AssembleContext {
  readonly events: readonly RenderedEvent[];
  readonly names: PackageNames;
  readonly version: string;
  /** quicktype's output files by the names quicktype gives them. */
  readonly quicktype: ReadonlyMap<string, string>;
}

export interface Target {
  readonly lang: Lang;
  /** A fresh quicktype target language (runQuicktype wraps the instance). */
  readonly language: () => TargetLanguage;
  readonly rendererOptions: (names: PackageNames) => Record<string, string>;
  /** Makes a schema description safe for quicktype to print in a comment of this language. */
  readonly comment: (text: string) => string;
  /** Names the hand-rendered files declare beside quicktype's types. */
  readonly reserved: readonly string[];
  /** Restyles property names quicktype styled (see `Naming.property`). */
  readonly property?: (styled: string) => string;
  /** Names every class declares beside its properties (see `Naming.memberNames`). */
  readonly memberNames?: readonly string[];
  /** Property names the language's JSON library cannot bind (see `SchemaOptions.unnamable`). */
  readonly unnamable?: (key: string) => boolean;
  /** The doc-comment line that marks a property allowing null (see `SchemaOptions.nullMark`). */
  readonly nullMark?: (required: boolean) => string;
  /**
   * quicktype's files made lossless: each class keeps the members it does not hold in fields and
   * writes them back. Throws when quicktype's output is not shaped as expected.
   */
  readonly lossless?: (files: ReadonlyMap<string, string>) => Map<string, string>;
  /** For the W_LANG_FIELD_NAMES message: the field of each key, by class, in the lossless files. */
  readonly fieldNames?: (files: ReadonlyMap<string, string>) => Map<string, Map<string, string>>;
  /**
   * Whether quicktype names data that is no class (maps, arrays, any) with a type alias the
   * event map can use; otherwise such data maps to `anyType`.
   */
  readonly aliasesOtherData: boolean;
  readonly anyType: string;
  /** Whether quicktype's output declares a type named `name`. */
  readonly declares: (files: ReadonlyMap<string, string>, name: string) => boolean;
  /** The files of the language's folder: relative path → contents, each starting with the banner. */
  readonly assemble: (context: AssembleContext) => Map<string, string>;
}

const BANNER_TEXT = `${GENERATED_MARK} from schemas/. Do not edit: change the docs or schemas/ and run \`npm run generate\`.`;
export const SLASH_BANNER = `// ${BANNER_TEXT}`;
export const HASH_BANNER = `# ${BANNER_TEXT}`;
export const XML_BANNER = `<!-- ${BANNER_TEXT} -->`;

/** `text` with the banner as its first line. */
export function withBanner(banner: string, text: string): string {
  return `${banner}\n${text.trimEnd()}\n`;
}

export const DEFAULT_LANG_PACKAGE = 'eventgen-events';

/** Package names from a package.json-style name (`@scope/eventgen-events` → its last segment's words). */
export function packageNames(name: string): PackageNames {
  const parts = words(name.slice(name.lastIndexOf('/') + 1)).map((w) => w.toLowerCase());
  const list = parts.length === 0 ? words(DEFAULT_LANG_PACKAGE) : parts;
  // A segment must not start with a digit in any of the languages.
  const safe = list.map((w, i) => (i === 0 && /^\d/.test(w) ? `p${w}` : w));
  return {
    kebab: safe.join('-'),
    snake: safe.join('_'),
    pascal: safe.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    dotted: safe.map((w) => (JAVA_KEYWORDS.has(w) ? `${w}_` : w)).join('.'),
    flat: safe.join(''),
  };
}

const JAVA_KEYWORDS = new Set(
  (
    'abstract assert boolean break byte case catch char class const continue default do double else enum extends ' +
    'final finally float for goto if implements import instanceof int interface long native new package private ' +
    'protected public return short static strictfp super switch synchronized this throw throws transient try void ' +
    'volatile while true false null var record yield sealed permits fun val typealias object when is as in'
  ).split(' '),
);

/** One attribute of an envelope, in JSON and as words for each language's naming. */
export interface EnvelopeField {
  readonly json: string;
  readonly words: readonly string[];
  readonly required: boolean;
  /** `data`: typed by the envelope's type parameter. */
  readonly isData?: boolean;
  readonly doc: string;
}

const field = (json: string, spelled: string, required: boolean, doc: string, isData = false): EnvelopeField => ({
  json,
  words: spelled.split(' '),
  required,
  doc,
  isData,
});

/**
 * The Event Grid event schema. Publishers send the publish form; Event Grid adds `topic` and
 * `metadataVersion` on delivery, so both are optional (as in the TypeScript package).
 * https://learn.microsoft.com/azure/event-grid/event-schema
 */
export const EVENT_GRID_FIELDS: readonly EnvelopeField[] = [
  field('id', 'id', true, 'Unique identifier for the event.'),
  field('topic', 'topic', false, 'Full resource path to the event source. Set by Event Grid on delivery.'),
  field('subject', 'subject', true, 'Publisher-defined path to the event subject.'),
  field('eventType', 'event type', true, 'One of the registered event types for this event source.'),
  field('eventTime', 'event time', true, 'The time the event is generated, RFC 3339 date-time, sent as a string.'),
  field('data', 'data', true, 'Event data specific to the event type.', true),
  field('dataVersion', 'data version', true, 'The schema version of the data object, defined by the publisher.'),
  field('metadataVersion', 'metadata version', false, 'The schema version of the event metadata. Set by Event Grid on delivery.'),
];

/** CloudEvents 1.0, JSON format. https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md */
export const CLOUD_EVENT_FIELDS: readonly EnvelopeField[] = [
  field('specversion', 'spec version', true, 'The version of the CloudEvents specification: "1.0".'),
  field('id', 'id', true, 'Identifies the event; unique within the scope of source.'),
  field('source', 'source', true, 'Identifies the context in which the event happened (a URI-reference).'),
  field('type', 'type', true, 'The type of the event.'),
  field('time', 'time', false, 'When the occurrence happened, RFC 3339 timestamp, sent as a string.'),
  field('subject', 'subject', false, 'The subject of the event in the context of the producer.'),
  field('datacontenttype', 'data content type', false, 'Content type of data, for example "application/json".'),
  field('dataschema', 'data schema', false, 'URI of the schema data adheres to.'),
  field('data', 'data', false, 'The event payload.', true),
];

export const pascalWords = (w: readonly string[]) => w.map((x) => x.charAt(0).toUpperCase() + x.slice(1)).join('');
export const camelWords = (w: readonly string[]) => {
  const p = pascalWords(w);
  return p.charAt(0).toLowerCase() + p.slice(1);
};
export const snakeWords = (w: readonly string[]) => w.join('_');

/** `text` indented by `prefix` on every non-empty line. */
export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : prefix + line))
    .join('\n');
}
