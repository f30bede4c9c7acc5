/**
 * Stage 3, merge: the inferred schemas + the schemas already in `schemas/` → the schemas
 * to write, and the list of changes.
 *
 * The existing file is the base. Inference owns a few keywords (`type`, `format`,
 * `required`, `properties`, `items`; at the top also `title`, `description`, `examples`,
 * `x-eventgen`). An owned keyword is refreshed only where the file still holds what
 * eventgen inferred last time (see previous.ts); anything a person changed or added
 * (an `enum`, a `pattern`, a `description`, bounds, a narrower `format`, …) is kept. And
 * inference only widens: types are joined, a format a new sample breaks is dropped, a
 * field no longer in every sample stops being required, new fields come in optional. It
 * never removes a property or a schema; a field now in every sample is only reported.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import { canonical, hoistShared } from '../infer/defs.ts';
import type { Change, EventSchema, JsonSchema, JsonType, SchemaSet, XEventgen } from '../ir.ts';
import { SHARED_DEFS_FILE } from '../ir.ts';
import { setOwn } from '../own.ts';
import { escapePointer, splitPointer } from '../pointer.ts';
import { decodeXEventgen } from '../x-eventgen.ts';
import { eventRenames, historyChanges } from './history.ts';
import { inline } from './inline.ts';

/** The schema files found in the schemas directory, by file name. */
export type ExistingSchemas = ReadonlyMap<string, string>;

export function parseExisting(
  files: ExistingSchemas,
  dir: string,
): { schemas: Map<string, JsonSchema>; diagnostics: Diagnostic[] } {
  const schemas = new Map<string, JsonSchema>();
  const diagnostics: Diagnostic[] = [];
  for (const [name, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
      const schema = value as JsonSchema;
      for (const problem of decodeXEventgen(schema)) {
        diagnostics.push(
          diagnostic(
            'W_X_EVENTGEN',
            problem.message,
            { file: `${dir}/${name}`, line: lineOf(text, problem.pointer) },
            problem.pointer,
          ),
        );
      }
      schemas.set(name, schema);
    } catch (error) {
      const position = /position (\d+)/.exec(String(error));
      const line = position ? text.slice(0, Number(position[1])).split('\n').length : 1;
      diagnostics.push(
        diagnostic('E_SCHEMA_READ', `cannot read schema: ${(error as Error).message}`, { file: `${dir}/${name}`, line }),
      );
    }
  }
  return { schemas, diagnostics };
}

/** The line of the value `pointer` points at in the JSON `text`. */
function lineOf(text: string, pointer: string): number {
  const node = findNodeAtLocation(parseTree(text) ?? { type: 'null', offset: 0, length: 0 }, splitPointer(pointer));
  return text.slice(0, node?.offset ?? 0).split('\n').length;
}

/** Splits the existing files into event schemas (by file name) and the shared definitions. */
export function existingSet(existing: ReadonlyMap<string, JsonSchema>): SchemaSet {
  const events: EventSchema[] = [];
  for (const [fileName, schema] of existing) {
    if (fileName === SHARED_DEFS_FILE) continue;
    const eventType = schema['x-eventgen']?.eventType ?? schema.title;
    if (typeof eventType === 'string') events.push({ eventType, fileName, schema });
  }
  const shared = (existing.get(SHARED_DEFS_FILE)?.$defs ?? {}) as Record<string, JsonSchema>;
  return { events, shared };
}

/**
 * @param existing what `schemas/` holds (E)
 * @param previous inference over E's own examples (P): what eventgen wrote last time
 * @param inferred inference over the docs now (N)
 */
export function merge(
  existing: SchemaSet,
  previous: SchemaSet,
  inferred: SchemaSet,
): { schemas: SchemaSet; changes: Change[]; curated: string[] } {
  const changes: Change[] = [];
  const curated: string[] = [];
  const byType = (set: SchemaSet) =>
    new Map(set.events.map((e) => [e.eventType, { ...e, schema: inline(e.schema, set.shared) }]));
  const e = byType(existing);
  const p = byType(previous);
  const n = byType(inferred);
  const merged: EventSchema[] = [];
  for (const eventType of [...new Set([...e.keys(), ...n.keys()])].sort()) {
    const base = e.get(eventType);
    const next = n.get(eventType);
    if (!base && next) {
      changes.push({ eventType, kind: 'event-added', detail: '' }, ...historyChanges(eventType, undefined, next.schema));
      merged.push(next);
    } else if (base && !next) {
      // A doc that disappears deletes nothing; the event is reported once, when its samples go.
      if (p.has(eventType) && (p.get(eventType)?.schema.examples ?? []).length > 0 && stillCarriesSources(base.schema)) {
        changes.push({ eventType, kind: 'event-undocumented', detail: 'no doc shows it any more' });
      }
      merged.push({ ...base, schema: withoutSources(base.schema) });
    } else if (base && next) {
      const context: Context = { eventType, changes, curated };
      const schema = mergeNode(base.schema, p.get(eventType)?.schema, next.schema, '', context, true) as JsonSchema;
      merged.push({ ...base, schema });
      changes.push(...historyChanges(eventType, base.schema, schema));
    }
  }
  changes.push(...eventRenames(merged, changes));
  const data = merged.map((m) => ({ eventType: m.eventType, schema: m.schema }));
  const shared = hoistShared(data);
  return {
    schemas: { events: merged.map((m, i) => ({ ...m, schema: data[i]?.schema ?? m.schema })), shared },
    changes,
    curated: curated.sort(),
  };
}

interface Context {
  readonly eventType: string;
  readonly changes: Change[];
  /** Every keyword a person curated, as `eventType pointer keyword value` (see {@link curationChanges}). */
  readonly curated: string[];
}

/** Keywords inference owns at every level, and those it owns only at the top of a schema file. */
const OWNED = new Set([
  'type',
  'format',
  'required',
  'properties',
  'items',
  'additionalProperties',
  'description',
  'deprecated',
  'x-eventgen',
]);
const OWNED_AT_ROOT = new Set(['$schema', '$id', 'title', 'examples']);

/** Whether the samples showed `field` in every object at this place (recorded by inference). */
function inEverySample(schema: JsonSchema | undefined, field: string): boolean {
  const child = schema?.properties && Object.hasOwn(schema.properties, field) ? schema.properties[field] : undefined;
  return child?.['x-eventgen']?.inEverySample === true;
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) setOwn(target, key, value);
}

function typesOf(s: JsonSchema | undefined): JsonType[] {
  return s?.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

const TYPE_ORDER: readonly JsonType[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];

function mergeNode(
  base: JsonSchema,
  previous: JsonSchema | undefined,
  next: JsonSchema,
  pointer: string,
  context: Context,
  root = false,
): JsonSchema {
  const out: JsonSchema = {};
  const keys = [...new Set([...Object.keys(base), ...Object.keys(next)])];
  const change = (kind: Change['kind'], detail: string, field = pointer) =>
    context.changes.push({ eventType: context.eventType, kind, field: field || '/', detail });
  for (const key of keys) {
    const owned = OWNED.has(key) || (root && OWNED_AT_ROOT.has(key));
    if (!owned) {
      // Inference never writes these keywords (`enum`, `pattern`, `x-eventgen-typeName`, …): a person did.
      if (Object.hasOwn(base, key)) context.curated.push(`${context.eventType} ${pointer || '/'} ${key} ${canonical(base[key])}`);
      define(out, key, Object.hasOwn(base, key) ? base[key] : next[key]);
      continue;
    }
    // A person changed this keyword: theirs wins.
    if (curated(key, base, previous)) {
      define(out, key, base[key]);
      context.curated.push(`${context.eventType} ${pointer || '/'} ${key} ${canonical(base[key])}`);
      continue;
    }
    switch (key) {
      case 'type': {
        const joined = TYPE_ORDER.filter((t) => typesOf(base).includes(t) || typesOf(next).includes(t));
        const effective = joined.includes('number') ? joined.filter((t) => t !== 'integer') : joined;
        // No type before means no sample ever showed a value here: the first type seen is information, not a change.
        if (typesOf(base).length > 0 && !same(effective, typesOf(base)))
          change('type-widened', `${typesOf(base).join(' | ')} → ${effective.join(' | ')}`);
        define(out, key, effective.length === 1 ? effective[0] : effective);
        break;
      }
      case 'format':
        // Never narrows: a format is kept while samples still match it, dropped (widened) when they stop.
        if (base.format !== undefined && next.format !== base.format)
          change(
            'type-widened',
            next.format === undefined &&
              (base.format !== 'date-time' || (next['x-eventgen']?.looksLike ?? []).includes(base.format))
              ? `format ${String(base.format)} dropped: only a stated type (a table or code model) or a person's curation enforces it, never samples alone`
              : `format ${String(base.format)} dropped: a sample does not match it`,
          );
        else define(out, key, base.format);
        break;
      case 'required': {
        const now = new Set(next.required ?? []);
        const kept = (base.required ?? []).filter(
          (field) => now.has(field) || (!Object.hasOwn(next.properties ?? {}, field) && !Object.hasOwn(next, 'properties')),
        );
        for (const field of base.required ?? [])
          if (!kept.includes(field))
            change(
              'field-no-longer-required',
              inEverySample(next, field)
                ? 'no doc states it is required (every sample has it: a candidate)'
                : 'a sample lacks it',
              `${pointer}/${escapePointer(field)}`,
            );
        define(out, key, kept.length > 0 ? kept : undefined);
        break;
      }
      case 'x-eventgen':
        define(out, key, withObserved(next['x-eventgen'], base['x-eventgen']));
        break;
      case 'properties': {
        const properties: Record<string, JsonSchema> = {};
        const b = base.properties ?? {};
        const nx = next.properties ?? {};
        for (const name of [...new Set([...Object.keys(b), ...Object.keys(nx)])]) {
          const at = `${pointer}/${escapePointer(name)}`;
          const bp = Object.hasOwn(b, name) ? b[name] : undefined;
          const np = Object.hasOwn(nx, name) ? nx[name] : undefined;
          const pp = previous?.properties && Object.hasOwn(previous.properties, name) ? previous.properties[name] : undefined;
          if (bp && np) {
            define(properties, name, mergeNode(bp, pp, np, at, context));
            // Reported when it becomes true, not on every run after: last time, not every sample had it.
            if (inEverySample(next, name) && !inEverySample(previous, name) && !(base.required ?? []).includes(name))
              change('field-required-candidate', 'every sample has it; not applied', at);
          } else if (np) {
            change('field-added', '', at);
            define(properties, name, np);
          } else if (bp) {
            if (pp && Object.hasOwn(next, 'properties')) change('field-no-longer-seen', 'kept in the schema', at);
            define(properties, name, bp);
          }
        }
        out.properties = properties;
        break;
      }
      case 'items':
        if (base.items && next.items) out.items = mergeNode(base.items, previous?.items, next.items, `${pointer}/0`, context);
        else define(out, key, base.items ?? next.items);
        break;
      case 'additionalProperties': {
        const [b, n, p] = [base.additionalProperties, next.additionalProperties, previous?.additionalProperties];
        if (typeof b === 'object' && typeof n === 'object')
          out.additionalProperties = mergeNode(b, typeof p === 'object' ? p : undefined, n, `${pointer}/*`, context);
        else define(out, key, n ?? b);
        break;
      }
      case 'description':
        if (root && base.description !== undefined && next.description !== base.description) change('description-changed', '');
        define(out, key, next.description ?? base.description);
        break;
      default:
        define(out, key, next[key] ?? base[key]);
    }
  }
  return out;
}

/**
 * Whether a person changed `key` of `base`, given what inference gives for the same samples
 * (`previous`). Differences the merge itself makes are not curation: it only widens `type`
 * (a superset of what inference gives), drops a `format`, and never adds to `required`.
 */
function curated(key: string, base: JsonSchema, previous: JsonSchema | undefined): boolean {
  switch (key) {
    case 'properties':
    case 'items':
    case 'examples':
    case 'x-eventgen':
    case 'deprecated':
      return false; // their parts are merged one by one; deprecation is recomputed from page dates on every run
    case 'type': {
      const mine = typesOf(base);
      const covers = (t: JsonType) => mine.includes(t) || (t === 'integer' && mine.includes('number'));
      return mine.length === 0 ? typesOf(previous).length > 0 : !typesOf(previous).every(covers);
    }
    case 'format':
      return base.format !== undefined && base.format !== previous?.format;
    case 'required':
      return (base.required ?? []).some((field) => !(previous?.required ?? []).includes(field));
    default:
      return !same(base[key], previous?.[key]);
  }
}

/** What recorded events widened here (merge/observed.ts) stays recorded, as the widening itself stays. */
function withObserved(next: XEventgen | undefined, base: XEventgen | undefined): XEventgen | undefined {
  const kept: XEventgen = {
    ...(base?.observedTypes === undefined ? {} : { observedTypes: base.observedTypes }),
    ...(base?.observedFormatBroken === undefined ? {} : { observedFormatBroken: base.observedFormatBroken }),
    ...(base?.observedMissing === undefined ? {} : { observedMissing: base.observedMissing }),
  };
  return Object.keys(kept).length === 0 ? next : { ...next, ...kept };
}

function stillCarriesSources(schema: JsonSchema): boolean {
  return (schema['x-eventgen']?.sources ?? []).length > 0;
}

/** An undocumented event keeps its schema; its provenance no longer points at docs that are gone. */
function withoutSources(schema: JsonSchema): JsonSchema {
  const meta = schema['x-eventgen'];
  return meta ? { ...schema, 'x-eventgen': { ...meta, sources: [] } } : schema;
}
