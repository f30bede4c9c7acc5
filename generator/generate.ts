/**
 * The pipeline of DESIGN.md, top to bottom: extract → infer → merge → emit.
 * Pure: takes the documents and the existing schema files as data and returns the
 * files to write and every diagnostic; the CLI and the file store do the I/O.
 */
import { compareDiagnostics, type Diagnostic, diagnostic, keepGoing } from './diagnostics.ts';
import { emit } from './emit/index.ts';
import { schemaFiles } from './emit/schemas.ts';
import { extract } from './extract/index.ts';
import { infer } from './infer/index.ts';
import type { DocFile, FileMap } from './ir.ts';
import { merge, parseExisting } from './merge/index.ts';

export interface GenerateOptions {
  /** Preferred description locales, best first. */
  readonly locales: readonly string[];
  readonly packageName: string;
  readonly version: string;
  /** Turn unparseable JSON blocks into warnings and generate from the rest. */
  readonly keepGoing: boolean;
}

export interface GenerateInput {
  readonly docs: readonly DocFile[];
  /** Files already in the schemas directory: file name → text. */
  readonly existingSchemas: ReadonlyMap<string, string>;
  /** How diagnostics name the schemas directory. */
  readonly schemasDir: string;
  readonly options: GenerateOptions;
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
  /** Handler skeletons of the generated package: written when missing, never overwritten. */
  readonly skeletons: FileMap;
  /** Every diagnostic, sorted by file and line. */
  readonly diagnostics: Diagnostic[];
  readonly stats: GenerateStats;
}

export async function generate(input: GenerateInput): Promise<GenerateResult> {
  const { extraction, diagnostics: extracted } = extract(input.docs);
  const { schemas: inferred, diagnostics: inferDiagnostics } = infer(extraction, input.options);
  const existing = parseExisting(input.existingSchemas, input.schemasDir);
  const merged = merge(existing.schemas, inferred);
  const emitted = await emit(merged, input.options);

  let diagnostics = [...extracted, ...inferDiagnostics, ...existing.diagnostics, ...emitted.diagnostics];
  if (merged.events.length === 0) {
    diagnostics.push(diagnostic('E_DOCS_EMPTY', 'no event samples found', { file: input.docs[0]?.path ?? '.', line: 1 }));
  }
  if (input.options.keepGoing) diagnostics = diagnostics.map(keepGoing);
  diagnostics.sort(compareDiagnostics);
  return {
    schemas: schemaFiles(merged),
    generated: emitted.files,
    skeletons: emitted.skeletons,
    diagnostics,
    stats: {
      docsRead: extraction.docsRead,
      samples: extraction.rawSampleCount,
      distinctSamples: extraction.samples.length,
      eventTypes: merged.events.length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      errors: diagnostics.filter((d) => d.severity === 'error').length,
    },
  };
}
