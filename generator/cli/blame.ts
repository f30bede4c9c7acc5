/** What caused a stage to throw, for the E_INTERNAL diagnostic: stages report bad input as diagnostics, so this is the net under them. */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { createAjv } from '../ajv.ts';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { type GenerateInput, generate } from '../generate.ts';
import { splitPointer } from '../pointer.ts';

/**
 * The E_INTERNAL diagnostics for a stage that threw, naming what caused it: a schema file that
 * is not a valid JSON Schema (at the line of the bad keyword), or the schemas folder when the
 * docs alone generate, or else the docs.
 */
export async function blame(error: unknown, input: GenerateInput, docs: readonly string[]): Promise<Diagnostic[]> {
  const reason = error instanceof RangeError ? 'an input is nested too deeply' : (error as Error).message;
  const ajv = createAjv({ standalone: false });
  const invalid: Diagnostic[] = [];
  for (const [name, text] of input.existingSchemas) {
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch {
      continue; // E_SCHEMA_READ reports it
    }
    if (ajv.validateSchema(schema as object)) continue;
    const first = ajv.errors?.[0];
    const pointer = first?.instancePath ?? '';
    const node = findNodeAtLocation(parseTree(text) ?? { type: 'null', offset: 0, length: 0 }, splitPointer(pointer));
    const line = text.slice(0, node?.offset ?? 0).split('\n').length;
    invalid.push(
      diagnostic(
        'E_INTERNAL',
        `${reason}: this file is not a valid JSON Schema (${pointer || '/'} ${first?.message ?? 'is invalid'})`,
        { file: `${input.schemasDir}/${name}`, line },
        pointer,
      ),
    );
  }
  if (invalid.length > 0) return invalid;
  if (input.existingSchemas.size > 0) {
    try {
      await generate({ ...input, existingSchemas: new Map(), progress: undefined });
      return [
        diagnostic('E_INTERNAL', `${reason}: the docs alone generate, so a file in ${input.schemasDir} causes it`, {
          file: input.schemasDir,
          line: 1,
        }),
      ];
    } catch {
      // The docs fail on their own too.
    }
  }
  return [diagnostic('E_INTERNAL', reason, { file: docs.join(' '), line: 1 })];
}
