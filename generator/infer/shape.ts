/**
 * The inference IR: a Shape accumulates every value seen at one place in the
 * samples of one event type, then turns into a JSON Schema. Inference widens and
 * never guesses narrow (DESIGN.md): a property is required only when every object
 * seen has it; a format only when every non-placeholder string matches it; no
 * enum, pattern or const ever comes from samples.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { JsonSchema, JsonType, Provenance } from '../ir.ts';
import { setOwn } from '../own.ts';
import { FORMATS, type Format, formatsOf, isPlaceholder } from './formats.ts';

export interface Shape {
  /** Every JSON type seen here, with the first sample that showed it. */
  readonly kinds: Map<JsonType, Provenance>;
  /** Object properties in order of first appearance, and how many objects had each. */
  readonly properties: Map<string, Shape>;
  objects: number;
  /** Times a value was present at all (for properties: how many objects had it). */
  present: number;
  items: Shape | undefined;
  /** Formats every non-placeholder string so far satisfies; undefined until one is seen. */
  formats: Set<Format> | undefined;
}

export function emptyShape(): Shape {
  return { kinds: new Map(), properties: new Map(), objects: 0, present: 0, items: undefined, formats: undefined };
}

function kindOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

/** Adds one value to a shape. */
export function observe(shape: Shape, value: unknown, source: Provenance): void {
  const kind = kindOf(value);
  shape.present++;
  if (!shape.kinds.has(kind)) shape.kinds.set(kind, source);
  if (kind === 'string') {
    const text = value as string;
    if (!isPlaceholder(text)) {
      const matches = new Set(formatsOf(text));
      shape.formats = shape.formats === undefined ? matches : new Set([...shape.formats].filter((f) => matches.has(f)));
    }
  } else if (kind === 'array') {
    for (const item of value as unknown[]) {
      shape.items ??= emptyShape();
      observe(shape.items, item, source);
    }
  } else if (kind === 'object') {
    shape.objects++;
    for (const [key, child] of Object.entries(value as object)) {
      let prop = shape.properties.get(key);
      if (prop === undefined) {
        prop = emptyShape();
        shape.properties.set(key, prop);
      }
      observe(prop, child, source);
    }
  }
}

const TYPE_ORDER: readonly JsonType[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];

/** Turns a shape into a schema; `pointer` locates it in the schema for diagnostics. */
export function toSchema(shape: Shape, pointer: string, diagnostics: Diagnostic[]): JsonSchema {
  const kinds = new Map(shape.kinds);
  if (kinds.has('integer') && kinds.has('number')) kinds.delete('integer');
  const types = TYPE_ORDER.filter((t) => kinds.has(t));
  const schema: JsonSchema = {};
  if (types.length === 1) schema.type = types[0];
  else if (types.length > 1) {
    schema.type = types;
    const seen = types.map((t) => {
      const at = kinds.get(t) as Provenance;
      return `${t} at ${at.file}:${at.line}`;
    });
    const first = kinds.get(types[0] as JsonType) as Provenance;
    diagnostics.push(diagnostic('W_TYPE_MIXED', `field has several types: ${seen.join(', ')}`, first, pointer));
  }
  if (kinds.has('string') && shape.formats !== undefined) {
    const format = FORMATS.map(([name]) => name).find((name) => shape.formats?.has(name));
    if (format !== undefined) schema.format = format;
  }
  if (kinds.has('object')) {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [key, prop] of shape.properties) {
      setOwn(properties, key, toSchema(prop, `${pointer}/properties/${escapePointer(key)}`, diagnostics));
      if (prop.present === shape.objects) required.push(key);
    }
    schema.properties = properties;
    if (required.length > 0) schema.required = required;
  }
  if (kinds.has('array')) {
    schema.items = shape.items === undefined ? {} : toSchema(shape.items, `${pointer}/items`, diagnostics);
  }
  return schema;
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
