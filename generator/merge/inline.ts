/** Replaces `$ref`s into the shared definitions by the definitions themselves, so schemas merge shape by shape. */
import { type JsonSchema, SHARED_DEFS_FILE } from '../ir.ts';
import { setOwn } from '../own.ts';

const REF = /^(.*)#\/\$defs\/(.+)$/;

export function inline(schema: JsonSchema, shared: Readonly<Record<string, JsonSchema>>, depth = 0): JsonSchema {
  const ref = typeof schema.$ref === 'string' ? REF.exec(schema.$ref) : null;
  if (ref && (ref[1] === SHARED_DEFS_FILE || ref[1] === '') && depth < 64) {
    const def = shared[ref[2] as string];
    if (def) {
      const { $ref: _, ...rest } = schema;
      return inline({ ...def, ...rest }, shared, depth + 1);
    }
  }
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    const properties: Record<string, JsonSchema> = {};
    for (const [key, child] of Object.entries(schema.properties)) {
      setOwn(properties, key, inline(child, shared, depth));
    }
    out.properties = properties;
  }
  if (schema.items && typeof schema.items === 'object') out.items = inline(schema.items, shared, depth);
  return out;
}
