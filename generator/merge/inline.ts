/** Replaces `$ref`s into the shared definitions by the definitions themselves, so schemas merge shape by shape. */
import { type JsonSchema, SHARED_DEFS_FILE } from '../ir.ts';
import { mapSubschemas, rootPlace } from '../schema-walk.ts';

const REF = /^(.*)#\/\$defs\/(.+)$/;

/** The keywords inlining looks under: the fields of objects and the items of arrays. */
const INLINED = ['properties', 'items'];

export function inline(schema: JsonSchema, shared: Readonly<Record<string, JsonSchema>>, depth = 0): JsonSchema {
  const ref = typeof schema.$ref === 'string' ? REF.exec(schema.$ref) : null;
  if (ref && (ref[1] === SHARED_DEFS_FILE || ref[1] === '') && depth < 64) {
    const def = shared[ref[2] as string];
    if (def) {
      const { $ref: _, ...rest } = schema;
      return inline({ ...def, ...rest }, shared, depth + 1);
    }
  }
  return mapSubschemas(rootPlace(schema), (child) => inline(child.schema, shared, depth), INLINED);
}
