/**
 * The test oracle: ajv interpreting the committed `schemas/` at test time, with the
 * same options as the generated standalone validators (as Ajv tests its two
 * implementations against each other).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createAjv } from '../../generator/ajv.ts';
import { CLOUD_EVENT, EVENT_GRID_ANY, EVENT_GRID_DELIVERED } from '../../generator/emit/envelopes.ts';
import type { JsonSchema } from '../../generator/ir.ts';
import { ROOT } from '../helpers.ts';

export const SCHEMAS_DIR = path.join(ROOT, 'schemas');

export function schemaFiles(): Map<string, JsonSchema> {
  return new Map(
    readdirSync(SCHEMAS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f, JSON.parse(readFileSync(path.join(SCHEMAS_DIR, f), 'utf8')) as JsonSchema]),
  );
}

/** Event type → its schema, read from schemas/ (or from the given schema files). */
export function eventSchemas(files: ReadonlyMap<string, JsonSchema> = schemaFiles()): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  for (const [file, schema] of files) if (file.endsWith('.schema.json')) out.set(String(schema.title), schema);
  return out;
}

/** ajv interpreting the schema files of schemas/ (or the given ones). */
export function oracle(files: ReadonlyMap<string, JsonSchema> = schemaFiles()) {
  const ajv = createAjv({ standalone: false });
  for (const schema of files.values()) ajv.addSchema(schema);
  for (const schema of [EVENT_GRID_ANY, EVENT_GRID_DELIVERED, CLOUD_EVENT]) ajv.addSchema(schema);
  const ids = new Map([...eventSchemas(files)].map(([eventType, schema]) => [eventType, String(schema.$id)]));
  return {
    data(eventType: string, value: unknown): boolean {
      const validate = ajv.getSchema(ids.get(eventType) ?? '');
      if (!validate) throw new Error(`no schema for ${eventType}`);
      return validate(value) as boolean;
    },
    envelope(id: string, value: unknown): boolean {
      return ajv.getSchema(id)?.(value) as boolean;
    },
    /** The errors of `value` against the schema `id` (an event schema's or an envelope's), as paths and keywords; [] when valid. */
    errors(id: string, value: unknown, prefix = ''): { path: string; keyword: string }[] {
      const validate = ajv.getSchema(id);
      if (!validate) throw new Error(`no schema ${id}`);
      if (validate(value)) return [];
      return (validate.errors ?? []).map((e) => {
        const named = e.keyword === 'required' ? e.params.missingProperty : (e.propertyName ?? e.params.propertyName);
        const token = typeof named === 'string' ? `/${named.replace(/~/g, '~0').replace(/\//g, '~1')}` : '';
        return { path: `${prefix}${e.instancePath}${token}`, keyword: e.keyword };
      });
    },
    /** The schema id of an event type's data. */
    idOf(eventType: string): string {
      const id = ids.get(eventType);
      if (id === undefined) throw new Error(`no schema for ${eventType}`);
      return id;
    },
  };
}
