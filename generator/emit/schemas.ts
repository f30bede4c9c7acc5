/** Serialises a schema set into the files of `schemas/`: one per event type, shared definitions beside them. */

import { JSON_SCHEMA_DIALECT } from '../infer/index.ts';
import { type FileMap, type SchemaSet, SHARED_DEFS_FILE } from '../ir.ts';

export function schemaFiles(set: SchemaSet): FileMap {
  const files: FileMap = new Map();
  for (const event of set.events) files.set(event.fileName, json(event.schema));
  if (Object.keys(set.shared).length > 0) {
    files.set(
      SHARED_DEFS_FILE,
      json({
        $schema: JSON_SCHEMA_DIALECT,
        $id: SHARED_DEFS_FILE,
        title: 'Shared definitions',
        description: 'Object shapes that recur, identical, in the data of several event types.',
        $defs: set.shared,
      }),
    );
  }
  return files;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
