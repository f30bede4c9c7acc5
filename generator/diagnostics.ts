/**
 * The catalog of every diagnostic eventgen can report. Each entry says what went
 * wrong and what to do next; stages collect diagnostics and never throw for bad
 * input, only the CLI decides the exit code.
 */
import type { Location, Severity } from './ir.ts';

interface CatalogEntry {
  readonly severity: Severity;
  readonly advice: string;
}

export const CATALOG = {
  E_JSON_SYNTAX: {
    severity: 'error',
    advice: 'Fix the JSON in the doc, or run with --keep-going to generate from the other samples.',
  },
  W_FRONT_MATTER: {
    severity: 'warning',
    advice: 'The YAML front matter cannot be read, so the page locale is taken as en-US. Fix the YAML between the --- lines.',
  },
  W_JSON_REPAIRED: {
    severity: 'warning',
    advice: 'The sample is not valid JSON; eventgen repaired it and used it. Report the defect upstream.',
  },
  I_NOT_AN_EVENT: {
    severity: 'info',
    advice: 'Skipped: the JSON block holds no Event Grid or CloudEvents event.',
  },
  W_ENVELOPE_SPEC: {
    severity: 'warning',
    advice: 'The sample breaks its envelope specification (a documentation defect); its data is still used.',
  },
  W_NO_EVENT_TYPE: {
    severity: 'warning',
    advice: 'Skipped: an event needs a string `eventType` (Event Grid) or `type` (CloudEvents) to be attributed.',
  },
  W_NO_DATA: {
    severity: 'warning',
    advice: 'The event has no `data`; it counts as documented but contributes nothing to the schema.',
  },
  W_TYPE_MIXED: {
    severity: 'warning',
    advice: 'Samples disagree on the type of this field; the schema accepts every type seen. Curate schemas/ if one is wrong.',
  },
  W_TABLE_UNMATCHED: {
    severity: 'warning',
    advice: 'The row of an event-type table names no event type eventgen can use; it is ignored. Fix the name in the doc.',
  },
  I_LISTED_SPELLING: {
    severity: 'info',
    advice:
      'An event-type table spells the event with a resource type (`Microsoft.Web/sites.X`); Event Grid delivers it without one (`Microsoft.Web.X`), which is the name used.',
  },
  W_FAMILY_TYPES: {
    severity: 'warning',
    advice:
      'Events of one family show the same field with different JSON types; each of them accepts every type the family shows. Curate schemas/ if one sample is wrong.',
  },
  I_LISTED_WITHOUT_SAMPLE: {
    severity: 'info',
    advice:
      'They are known event types of the package (data typed unknown, envelope validated). Add a JSON sample to the docs (a .json file works) to type their data.',
  },
  W_EVENT_TYPE_INVALID: {
    severity: 'warning',
    advice:
      'Skipped: an event type must be dot-separated letters, digits, "_" and "-" (at most 256 characters), as Event Grid event types are.',
  },
  E_MASS_REMOVAL: {
    severity: 'error',
    advice:
      'Nothing was written. Check --docs (a wrong folder, or pages whose samples moved to an include?); if the events really are gone from the docs, run again with --allow-removal.',
  },
  E_TOO_DEEP: {
    severity: 'error',
    advice:
      'The generated package could not be compiled with data nested this deeply. Flatten the sample in the doc, or run with --keep-going to skip it.',
  },
  W_JSON_DUPLICATE_KEY: {
    severity: 'warning',
    advice: 'JSON keeps the last value of a repeated key; eventgen does the same. Fix the sample in the doc.',
  },
  W_TABLE_CONTRADICTS: {
    severity: 'warning',
    advice:
      'A property table and a sample disagree; the schema accepts both until a person curates it in schemas/. Report the doc defect.',
  },
  W_DESCRIPTION_CONFLICT: {
    severity: 'warning',
    advice: 'Two tables describe this event differently in the same locale. Curate "description" in schemas/ to choose.',
  },
  E_NAME_COLLISION: {
    severity: 'error',
    advice:
      'Two event types map to the same TypeScript name. Set "x-eventgen-typeName" in one of their schema files to pick a distinct name.',
  },
  E_CASE_COLLISION: {
    severity: 'error',
    advice:
      'Files named after them would be one file on a case-insensitive file system (macOS, Windows). If they are one event spelled two ways, correct the spelling in the doc (or leave that doc out of --docs); for type names, set "x-eventgen-typeName" in one schema file.',
  },
  E_INVALID_TYPE_NAME: {
    severity: 'error',
    advice:
      'A curated "x-eventgen-typeName" must be a TypeScript identifier that is not a reserved word, spelled as json-schema-to-typescript declares it (a capital first letter, a capital after digits, no "_" before a lower-case letter).',
  },
  E_EMIT_TYPES: {
    severity: 'error',
    advice: 'json-schema-to-typescript could not compile this schema. Check the keywords a person added to it.',
  },
  W_ASYNCAPI_LOSSY: {
    severity: 'warning',
    advice:
      "asyncapi.json's payload for this event accepts more than the schema does. Express the keyword with draft-07 keywords in schemas/ if AsyncAPI tools must enforce it.",
  },
  W_CURATED_CONFLICT: {
    severity: 'warning',
    advice:
      'A documented sample contradicts what a person set in schemas/. Fix the schema if the docs are right, or report the docs.',
  },
  W_UNFORMATTED: {
    severity: 'warning',
    advice:
      'The declarations could not be formatted (a schema nested very deeply?); they are written unformatted, still valid TypeScript.',
  },
  W_HANDLER_UNWIRED: {
    severity: 'warning',
    advice:
      'Its events are acknowledged and dropped until index.ts wires it: import the handler from its skeleton and add it to the handlers object (eventgen never edits index.ts). --check fails meanwhile.',
  },
  W_SKELETON_ORPHANED: {
    severity: 'warning',
    advice: 'Its event type is gone, so it no longer compiles against the package. Delete it, or move its code elsewhere.',
  },
  W_SKELETON_MOVED: {
    severity: 'warning',
    advice:
      "Handlers are the application's now, outside the package: move your code from this file into the handlers folder, then delete it.",
  },
  E_SCHEMA_READ: {
    severity: 'error',
    advice: 'A file in the schemas directory is not valid JSON. Fix it or delete it to let eventgen infer it again.',
  },
  W_X_EVENTGEN: {
    severity: 'warning',
    advice:
      'A value under "x-eventgen" in a schema file is not what eventgen writes there, so it was left out. "x-eventgen" is eventgen\'s record of the evidence: curate the schema\'s own keywords instead.',
  },
  E_DOCS_EMPTY: {
    severity: 'error',
    advice: 'No event samples were found. Point --docs at markdown files with ```json samples or at JSON sample files.',
  },
  E_INTERNAL: {
    severity: 'error',
    advice: 'eventgen failed on this input; nothing was written. Please report it with the docs that cause it.',
  },
  E_READ: {
    severity: 'error',
    advice: 'Check the path given to --docs.',
  },
  W_DOC_ENCODING: {
    severity: 'warning',
    advice: 'Save the page as UTF-8 (or UTF-16 with a byte order mark); the text around this line may be wrong.',
  },
  W_DOC_SYMLINK: {
    severity: 'warning',
    advice: 'Symbolic links in the docs are followed once; fix or remove this one, or name its target in --docs.',
  },
  E_DOC_NOT_A_FILE: {
    severity: 'error',
    advice:
      'Name pages, JSON sample files or folders of them in --docs; a FIFO, device or socket is never read (it may never end). Save what it gives to a file and name that file.',
  },
  E_DOC_TOO_LARGE: {
    severity: 'error',
    advice: 'Leave the file out of --docs, or raise the limit with --max-doc-size <MB> if it really is a page of docs.',
  },
  E_OUTPUT_PATH: {
    severity: 'error',
    advice:
      'Point --out and --schemas at folders (created when missing) and --report-json at a file, a character device or a FIFO being read. Nothing was written.',
  },
  E_OUTPUT_NOT_OURS: {
    severity: 'error',
    advice:
      'eventgen writes only into an empty folder or one it wrote (it keeps .eventgen-manifest.json there). Choose a new folder, or move these files out. Nothing was written.',
  },
  E_OUTPUT_BUSY: {
    severity: 'error',
    advice:
      'Wait for the other eventgen run to end and run again. If none is running, run eventgen generate without --check: it finishes or undoes the interrupted write first.',
  },
  E_WRITE: {
    severity: 'error',
    advice: 'Check free space and permissions, then run again; the message says what is on disk now.',
  },
  W_KEPT_EDITED: {
    severity: 'warning',
    advice: 'eventgen deletes only files it wrote that nobody changed since. Delete it, or keep it as your own.',
  },
  W_RECOVERED: {
    severity: 'warning',
    advice: 'A previous run was killed or crashed while writing; this run completed or undid its write before reading anything.',
  },
  E_LANG_SCHEMA: {
    severity: 'error',
    advice:
      'Other languages are rendered from the files in schemas/; fix this file (or delete it to let eventgen infer it again).',
  },
  E_LANG_RENDER: {
    severity: 'error',
    advice: 'quicktype could not render the schemas in this language. Check the keywords a person added to schemas/.',
  },
  E_LANG_TYPE_NAME: {
    severity: 'error',
    advice:
      'This language cannot use the TypeScript name (a keyword there, or taken). Set "x-eventgen-typeName" in the schema file to a name every language accepts.',
  },
  W_OBSERVED_LINE: {
    severity: 'warning',
    advice:
      'Skipped: a line of a recorded file (--observed) must hold one JSON event, as recordTo writes it. Fix or delete the line; the other lines are read.',
  },
  W_OBSERVED_EMPTY: {
    severity: 'warning',
    advice: 'Check that --observed names the folder recordTo writes (events-YYYY-MM-DD.ndjson files) and not another file.',
  },
  E_OBSERVED_READ: {
    severity: 'error',
    advice: 'Check the path given to --observed: a folder of recorded .ndjson files, or such a file. Nothing was written.',
  },
  W_OBSERVED_CURATED: {
    severity: 'warning',
    advice:
      'The service sent a value a curated keyword in schemas/ rejects, so its events fail validation. Curation wins: widen the keyword if the service is right.',
  },
  W_LANG_UNNAMED_PROPERTY: {
    severity: 'warning',
    advice:
      "This language's JSON library cannot bind this property name to a field; the member is kept in the class's map of additional properties, read and written back as it is.",
  },
  W_LANG_FIELD_NAMES: {
    severity: 'warning',
    advice:
      'These property names differ only in case or punctuation, so the language cannot name each field after its key; the message says which field holds which key. Every key is still read and written back as it is.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type DiagnosticCode = keyof typeof CATALOG;

export interface Diagnostic extends Location {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** JSON pointer into the sample or schema the diagnostic is about, when there is one. */
  readonly pointer?: string;
}

/** Builds a diagnostic whose severity comes from the catalog. */
export function diagnostic(code: DiagnosticCode, message: string, at: Location, pointer?: string): Diagnostic {
  return {
    code,
    severity: CATALOG[code].severity,
    message,
    file: at.file,
    line: at.line,
    ...(at.column === undefined ? {} : { column: at.column }),
    ...(pointer === undefined ? {} : { pointer }),
  };
}

/** `docs/sms.md:42:3 error E_JSON_SYNTAX message (at /data/x). advice` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}${d.column === undefined ? '' : `:${d.column}`}`;
  const at = d.pointer === undefined ? '' : ` (at ${d.pointer === '' ? '/' : d.pointer})`;
  return `${where} ${d.severity} ${d.code} ${d.message}${at}. ${CATALOG[d.code].advice}`;
}

/** Demotes errors that `--keep-going` forgives to warnings. */
export function keepGoing(d: Diagnostic): Diagnostic {
  return d.code === 'E_JSON_SYNTAX' || d.code === 'E_TOO_DEEP' ? { ...d, severity: 'warning' } : d;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0) ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}
