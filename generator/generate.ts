/**
 * The pipeline of DESIGN.md, top to bottom: extract → infer → merge → emit (+ release).
 * Pure: takes the documents, the existing schema files and the generated package as it is
 * on disk, and returns the files to write, the change report and every diagnostic; the
 * CLI and the file store do the I/O.
 */
import { compareDiagnostics, type Diagnostic, diagnostic, keepGoing } from './diagnostics.ts';
import { asyncApiDocument } from './emit/asyncapi.ts';
import { catalogFiles } from './emit/catalog-page.ts';
import { emit, type HandlerWiring, MD_BANNER } from './emit/index.ts';
import type { Lang } from './emit/languages/target.ts';
import { release } from './emit/release.ts';
import { schemaFiles } from './emit/schemas.ts';
import { extract } from './extract/index.ts';
import { readObserved } from './extract/observed.ts';
import { infer } from './infer/index.ts';
import type { Change, DocFile, FileMap, TextCache } from './ir.ts';
import { curationChanges } from './merge/curation.ts';
import { existingSet, merge, parseExisting } from './merge/index.ts';
import { widenByObserved } from './merge/observed.ts';
import { previousInference } from './merge/previous.ts';
import { findConflicts } from './report/conflicts.ts';
import type { Release } from './report/index.ts';

export interface GenerateOptions {
  /** Preferred description locales, best first. */
  readonly locales: readonly string[];
  readonly packageName: string;
  /** Turn unparseable JSON blocks into warnings and generate from the rest. */
  readonly keepGoing: boolean;
  /** Trust the samples as the contract: a field present in every sample of an event is required. */
  readonly requiredFromSamples?: boolean;
  /**
   * How the application's handlers folder imports the package: a relative path from that folder to the
   * package folder (default `../generated`; emit/handlers.ts packageImportFrom computes it), or the
   * package's name when the application installs it (workspace, tarball).
   */
  readonly handlersImport?: string;
  /** Let a run mark more than half of the known event types as no longer documented. */
  readonly allowRemoval?: boolean;
  /** The application's handlers folder as the catalog names it (default `handlers`). */
  readonly handlersDir?: string;
  /** Other languages to render the schemas in (`--lang`); each is an output of its own in `languages`. */
  readonly langs?: readonly Lang[];
}

export interface GenerateInput {
  readonly docs: readonly DocFile[];
  /** Files already in the schemas directory: file name → text. */
  readonly existingSchemas: ReadonlyMap<string, string>;
  /** The generated package's package.json and CHANGELOG.md as they are on disk, by path (none on a first run). */
  readonly existingOutput?: ReadonlyMap<string, string>;
  /** How diagnostics name the schemas directory. */
  readonly schemasDir: string;
  /** Files of events the webhook recorded (`--observed`): evidence that only widens the schemas. */
  readonly observed?: readonly DocFile[];
  readonly options: GenerateOptions;
  /** Texts of earlier runs (pages read, TypeScript declarations, ajv's validators), by a hash of their input; none: everything computed. */
  readonly cache?: TextCache;
  /** Called as each stage ends: its name, what it made (`1000 pages, 3000 samples`), its milliseconds. */
  readonly progress?: (stage: string, made: string, ms: number) => void;
}

export interface GenerateStats {
  readonly docsRead: number;
  readonly samples: number;
  readonly distinctSamples: number;
  readonly eventTypes: number;
  readonly warnings: number;
  readonly errors: number;
}

export interface GenerateResult {
  /** Files of the schemas directory, by file name. */
  readonly schemas: FileMap;
  /** Files of the generated package, by path inside it. */
  readonly generated: FileMap;
  /**
   * The application's handlers folder, by path relative to that folder (not the package): one skeleton
   * per event type, `index.ts` wiring them, `server.ts` serving them. Written when missing, never
   * overwritten or deleted (emit/handlers.ts planHandlers).
   */
  readonly skeletons: FileMap;
  /** The HTML catalog's folder (`catalog/` beside the package), by path inside it: `index.html`. */
  readonly catalog: FileMap;
  /** Each language of `options.langs`, its folder's files by path; none when the run has errors. */
  readonly languages: ReadonlyMap<Lang, FileMap>;
  /** How the handlers import the package (options.handlersImport, or its default). */
  readonly handlersImport: string;
  /** Each event type's handler, which the handlers folder's `index.ts` must wire. */
  readonly wiring: readonly HandlerWiring[];
  /** What changed for consumers of the events, and the version it gives the package. */
  readonly changes: Change[];
  readonly release: Release;
  /** Every diagnostic, sorted by file and line. */
  readonly diagnostics: Diagnostic[];
  readonly stats: GenerateStats;
  /** Milliseconds spent in each stage, in order. */
  readonly timings: [string, number][];
}

export async function generate(input: GenerateInput): Promise<GenerateResult> {
  const timings: [string, number][] = [];
  let start = performance.now();
  const lap = (stage: string, made: string) => {
    const now = performance.now();
    timings.push([stage, now - start]);
    input.progress?.(stage, made, now - start);
    start = now;
  };
  const { extraction, diagnostics: extracted } = extract(input.docs, input.cache);
  lap('extract', `${extraction.docsRead} docs, ${extraction.rawSampleCount} samples`);
  const { schemas: inferred, diagnostics: inferDiagnostics } = infer(extraction, input.options);
  lap('infer', `${inferred.events.length} event types`);
  const existing = parseExisting(input.existingSchemas, input.schemasDir);
  const previous = previousInference(existing.schemas, input.options);
  const documented = merge(existingSet(existing.schemas), previous, inferred);
  lap('merge', `${documented.schemas.events.length} schemas`);
  const recordedEvents = readObserved(input.observed ?? []);
  const widened = widenByObserved(documented.schemas, recordedEvents.events, documented.curated, input.options);
  const merged = { ...documented, schemas: widened.schemas };
  if (input.observed !== undefined) lap('observed', `${recordedEvents.events.length} recorded events`);
  const conflicts = findConflicts(merged.schemas, extraction.samples, inferred);
  const recorded = recordedCuration(input.existingOutput?.get('package.json'));
  const changes = [...merged.changes, ...conflicts.changes, ...curationChanges(recorded, merged.curated), ...widened.changes];
  lap('report', `${changes.length} changes`);
  const emitted = await emit(merged.schemas, {
    ...input.options,
    curated: merged.curated,
    ...(input.cache ? { cache: input.cache } : {}),
  });
  lap('emit', `${emitted.files.size} files`);
  const lossy: Diagnostic[] = [];
  // The AsyncAPI document prints the version; the release step hashes it without one (emit/release.ts).
  const contract = (version: string): FileMap => {
    const { document, lossy: dropped } = asyncApiDocument(emitted.catalog({ version }));
    lossy.length = 0;
    for (const l of dropped) {
      const event = merged.schemas.events.find((e) => e.eventType === l.eventType);
      lossy.push(
        diagnostic(
          'W_ASYNCAPI_LOSSY',
          `${l.eventType}: "${l.keyword}" at ${l.pointer} has no equivalent in AsyncAPI's schema format (draft-07); asyncapi.json leaves it out`,
          { file: event ? `${input.schemasDir}/${event.fileName}` : `${input.schemasDir}/shared.defs.json`, line: 1 },
        ),
      );
    }
    return new Map([['asyncapi.json', `${JSON.stringify(document, null, 2)}\n`]]);
  };
  const released = release(
    emitted.files,
    emitted.packageModel,
    input.existingOutput ?? new Map(),
    changes,
    merged.schemas.events.length,
    MD_BANNER,
    contract,
  );
  const catalog = catalogFiles(
    emitted.catalog({ version: released.release.to, changelog: released.files.get('CHANGELOG.md') ?? '' }),
  );
  lap('catalog', `${catalog.size} files`);

  let diagnostics = [
    ...extracted,
    ...inferDiagnostics,
    ...existing.diagnostics,
    ...recordedEvents.diagnostics,
    ...widened.diagnostics,
    ...conflicts.diagnostics,
    ...emitted.diagnostics,
    ...lossy,
  ];
  if (merged.schemas.events.length === 0) {
    const include = includeOf(input.docs);
    const message = include
      ? `no event samples found; ${include.file} includes ${include.target}: add that file to --docs`
      : 'no event samples found';
    diagnostics.push(diagnostic('E_DOCS_EMPTY', message, include ?? { file: input.docs[0]?.path ?? '.', line: 1 }));
  }
  const known = existingSet(existing.schemas).events.length;
  const removed = changes.filter((c) => c.kind === 'event-undocumented').length;
  if (known > 0 && removed * 2 > known && !input.options.allowRemoval) {
    const read = input.docs.map((d) => d.path);
    const shown = read.length > 3 ? `${read.slice(0, 3).join(', ')} and ${read.length - 3} more` : read.join(', ') || 'no file';
    diagnostics.push(
      diagnostic(
        'E_MASS_REMOVAL',
        `this run would mark ${removed} of the ${known} known event types as no longer documented; --docs gave ${shown}`,
        {
          file: read[0] ?? '.',
          line: 1,
        },
      ),
    );
  }
  const schemas = schemaFiles(merged.schemas);
  const languages = await otherLanguages(schemas, diagnostics, released.release.to, input.options);
  if (languages.diagnostics.length > 0) diagnostics.push(...languages.diagnostics);
  if (languages.outputs.size > 0) {
    const files = [...languages.outputs.values()].reduce((n, out) => n + out.size, 0);
    lap('languages', `${[...languages.outputs.keys()].join(', ')}: ${files} files`);
  }
  if (input.options.keepGoing) diagnostics = diagnostics.map(keepGoing);
  diagnostics.sort(compareDiagnostics);
  return {
    schemas,
    generated: released.files,
    skeletons: emitted.skeletons,
    catalog,
    languages: languages.outputs,
    handlersImport: emitted.handlersImport,
    wiring: emitted.wiring,
    changes,
    release: released.release,
    diagnostics,
    timings,
    stats: {
      docsRead: extraction.docsRead,
      samples: extraction.rawSampleCount,
      distinctSamples: extraction.samples.length,
      eventTypes: merged.schemas.events.length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      errors: diagnostics.filter((d) => d.severity === 'error').length,
    },
  };
}

/**
 * The schema files rendered in other languages (emit/languages.ts, loaded only when asked for): only when
 * the run so far has no errors, with the diagnostics the run has not already made (a bad schema name is
 * reported by emit and by the languages alike).
 */
async function otherLanguages(
  schemas: FileMap,
  found: readonly Diagnostic[],
  version: string,
  options: GenerateOptions,
): Promise<{ outputs: ReadonlyMap<Lang, FileMap>; diagnostics: Diagnostic[] }> {
  const langs = options.langs ?? [];
  if (langs.length === 0 || found.some((d) => d.severity === 'error')) return { outputs: new Map(), diagnostics: [] };
  const { renderLanguages } = await import('./emit/languages.ts');
  const rendered = await renderLanguages(schemas, langs, { version, packageName: options.packageName });
  const seen = new Set(found.map(diagnosticKey));
  const diagnostics = rendered.diagnostics.filter((d) => !seen.has(diagnosticKey(d)) && seen.add(diagnosticKey(d)));
  return { outputs: rendered.outputs, diagnostics };
}

const diagnosticKey = (d: Diagnostic) => `${d.file}:${d.line} ${d.code} ${d.message}`;

/** The first `[!INCLUDE [...](path)]` of the docs: Microsoft Learn pages often keep their samples in an include. */
function includeOf(docs: readonly DocFile[]): { file: string; line: number; target: string } | undefined {
  for (const doc of docs) {
    const lines = doc.text.split('\n');
    const i = lines.findIndex((l) => /\[!INCLUDE\s*\[[^\]]*\]\(([^)]+)\)\]/i.test(l));
    const target = /\[!INCLUDE\s*\[[^\]]*\]\(([^)]+)\)\]/i.exec(lines[i] ?? '')?.[1];
    if (target !== undefined) return { file: doc.path, line: i + 1, target };
  }
  return undefined;
}

/** The curated keywords the generated package recorded last time; undefined when it recorded none. */
function recordedCuration(packageJson: string | undefined): string[] | undefined {
  try {
    const list = (JSON.parse(packageJson ?? '{}') as { eventgen?: { curated?: unknown } }).eventgen?.curated;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : undefined;
  } catch {
    return undefined;
  }
}
