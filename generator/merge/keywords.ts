/**
 * One schema node merged keyword by keyword, from a table: for each keyword inference owns, how to
 * tell that a person changed it and how the file's value and the inferred one merge. Keywords
 * inference never writes (`enum`, `pattern`, bounds, `x-eventgen-typeName`, …) are a person's and
 * kept as they are, and so is an owned keyword a person changed.
 */
import { canonical } from '../infer/defs.ts';
import type { Change, JsonSchema, JsonType, XEventgen } from '../ir.ts';
import { setOwn } from '../own.ts';
import { dataPlace, typesOf } from '../schema-walk.ts';

export interface Context {
  readonly eventType: string;
  readonly changes: Change[];
  /** Every keyword a person curated, as `eventType pointer keyword value` (see curation.ts `curationChanges`). */
  readonly curated: string[];
}

/** One node being merged: the file's (E), what inference gave for the file's own samples (P), the docs' now (N). */
interface Node {
  readonly base: JsonSchema;
  readonly previous: JsonSchema | undefined;
  readonly next: JsonSchema;
  readonly pointer: string;
  readonly context: Context;
  readonly out: JsonSchema;
}

interface Keyword {
  /** Whether a person changed `key` in the file: it differs from P in a way the merge itself never makes. */
  readonly edited: (base: JsonSchema, previous: JsonSchema | undefined, key: string) => boolean;
  /** Writes the merged value of `key` into `node.out`, reporting what changed. */
  readonly merge: (node: Node, key: string) => void;
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const differs: Keyword['edited'] = (base, previous, key) => !same(base[key], previous?.[key]);
/** Parts merged one by one, or recomputed on every run (deprecation, from page dates). */
const never: Keyword['edited'] = () => false;

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) setOwn(target, key, value);
}

function change(node: Node, kind: Change['kind'], detail: string, field = node.pointer): void {
  node.context.changes.push({ eventType: node.context.eventType, kind, field: field || '/', detail });
}

const TYPE_ORDER: readonly JsonType[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];

/** The inferred value, else the file's. */
const refresh: Keyword['merge'] = ({ base, next, out }, key) => define(out, key, next[key] ?? base[key]);

/** Types are joined (widening only); a type a person narrowed is curation. */
const type: Keyword = {
  edited: (base, previous) => {
    const mine = typesOf(base);
    const covers = (t: JsonType) => mine.includes(t) || (t === 'integer' && mine.includes('number'));
    return mine.length === 0 ? typesOf(previous).length > 0 : !typesOf(previous).every(covers);
  },
  merge: (node, key) => {
    const before = typesOf(node.base);
    const joined = TYPE_ORDER.filter((t) => before.includes(t) || typesOf(node.next).includes(t));
    const effective = joined.includes('number') ? joined.filter((t) => t !== 'integer') : joined;
    // No type before means no sample ever showed a value here: the first type seen is information, not a change.
    if (before.length > 0 && !same(effective, before))
      change(node, 'type-widened', `${before.join(' | ')} → ${effective.join(' | ')}`);
    define(node.out, key, effective.length === 1 ? effective[0] : effective);
  },
};

/** Never narrows: a format is kept while samples still match it, dropped (widened) when they stop. */
const format: Keyword = {
  edited: (base, previous) => base.format !== undefined && base.format !== previous?.format,
  merge: (node, key) => {
    const { base, next } = node;
    if (base.format === undefined || next.format === base.format) {
      define(node.out, key, base.format);
      return;
    }
    const unsupported =
      next.format === undefined && (base.format !== 'date-time' || (next['x-eventgen']?.looksLike ?? []).includes(base.format));
    change(
      node,
      'type-widened',
      unsupported
        ? `format ${base.format} dropped: only a stated type (a table or code model) or a person's curation enforces it, never samples alone`
        : `format ${base.format} dropped: a sample does not match it`,
    );
  },
};

/** Whether the samples showed `field` in every object at this place (recorded by inference). */
function inEverySample(schema: JsonSchema | undefined, field: string): boolean {
  const child = schema?.properties && Object.hasOwn(schema.properties, field) ? schema.properties[field] : undefined;
  return child?.['x-eventgen']?.inEverySample === true;
}

/** Never added to by the merge: a field stays required while the docs still say so (or no longer show the object's fields). */
const required: Keyword = {
  edited: (base, previous) => (base.required ?? []).some((field) => !(previous?.required ?? []).includes(field)),
  merge: (node, key) => {
    const { base, next, pointer } = node;
    const now = new Set(next.required ?? []);
    const unknown = (field: string) => !Object.hasOwn(next.properties ?? {}, field) && !Object.hasOwn(next, 'properties');
    const kept = (base.required ?? []).filter((field) => now.has(field) || unknown(field));
    for (const field of base.required ?? []) {
      if (kept.includes(field)) continue;
      const why = inEverySample(next, field)
        ? 'no doc states it is required (every sample has it: a candidate)'
        : 'a sample lacks it';
      change(node, 'field-no-longer-required', why, dataPlace(pointer, 'properties', field));
    }
    define(node.out, key, kept.length > 0 ? kept : undefined);
  },
};

/** Each property merged; new ones come in optional, none is ever removed. */
const properties: Keyword = {
  edited: never,
  merge: (node) => {
    const merged: Record<string, JsonSchema> = {};
    const names = new Set([...Object.keys(node.base.properties ?? {}), ...Object.keys(node.next.properties ?? {})]);
    for (const name of names) define(merged, name, mergeProperty(node, name));
    node.out.properties = merged;
  },
};

const own = (schema: JsonSchema | undefined, name: string) =>
  schema?.properties && Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;

function mergeProperty(node: Node, name: string): JsonSchema | undefined {
  const { base, previous, next, context } = node;
  const at = dataPlace(node.pointer, 'properties', name);
  const [b, p, n] = [own(base, name), own(previous, name), own(next, name)];
  if (b && n) {
    const merged = mergeNode(b, p, n, at, context);
    // Reported when it becomes true, not on every run after: last time, not every sample had it.
    if (inEverySample(next, name) && !inEverySample(previous, name) && !(base.required ?? []).includes(name))
      change(node, 'field-required-candidate', 'every sample has it; not applied', at);
    return merged;
  }
  if (n) {
    change(node, 'field-added', '', at);
    return n;
  }
  if (!b) return undefined;
  if (p && Object.hasOwn(next, 'properties')) change(node, 'field-no-longer-seen', 'kept in the schema', at);
  return b;
}

const items: Keyword = {
  edited: never,
  merge: ({ base, previous, next, pointer, context, out }, key) => {
    if (base.items && next.items)
      out.items = mergeNode(base.items, previous?.items, next.items, dataPlace(pointer, 'items'), context);
    else define(out, key, base.items ?? next.items);
  },
};

const additionalProperties: Keyword = {
  edited: differs,
  merge: ({ base, previous, next, pointer, context, out }, key) => {
    const [b, n, p] = [base.additionalProperties, next.additionalProperties, previous?.additionalProperties];
    if (typeof b === 'object' && typeof n === 'object')
      out.additionalProperties = mergeNode(
        b,
        typeof p === 'object' ? p : undefined,
        n,
        dataPlace(pointer, 'additionalProperties'),
        context,
      );
    else define(out, key, n ?? b);
  },
};

/** The docs' description; a change of the event's own is reported. */
const description: Keyword = {
  edited: differs,
  merge: (node, key) => {
    const { base, next } = node;
    if (node.pointer === '' && base.description !== undefined && next.description !== base.description)
      change(node, 'description-changed', '');
    refresh(node, key);
  },
};

/** The evidence now; what recorded events widened here (merge/observed.ts) stays recorded, as the widening itself stays. */
const xEventgen: Keyword = {
  edited: never,
  merge: ({ base, next, out }, key) => {
    const was: XEventgen = base['x-eventgen'] ?? {};
    const kept: XEventgen = {
      ...(was.observedTypes === undefined ? {} : { observedTypes: was.observedTypes }),
      ...(was.observedFormatBroken === undefined ? {} : { observedFormatBroken: was.observedFormatBroken }),
      ...(was.observedMissing === undefined ? {} : { observedMissing: was.observedMissing }),
    };
    define(out, key, Object.keys(kept).length === 0 ? next['x-eventgen'] : { ...next['x-eventgen'], ...kept });
  },
};

/** The keywords inference owns at every level. */
const OWNED = new Map<string, Keyword>([
  ['type', type],
  ['format', format],
  ['required', required],
  ['properties', properties],
  ['items', items],
  ['additionalProperties', additionalProperties],
  ['description', description],
  ['deprecated', { edited: never, merge: refresh }],
  ['x-eventgen', xEventgen],
]);

/** The keywords inference owns only at the top of a schema file. */
const OWNED_AT_ROOT = new Map<string, Keyword>([
  ['$schema', { edited: differs, merge: refresh }],
  ['$id', { edited: differs, merge: refresh }],
  ['title', { edited: differs, merge: refresh }],
  ['examples', { edited: never, merge: refresh }],
]);

/**
 * Merges one node: `base` the file's (E), `previous` what inference gave for the file's own samples
 * (P: what eventgen wrote last time), `next` what the docs give now (N); `pointer` is '' at the top.
 */
export function mergeNode(
  base: JsonSchema,
  previous: JsonSchema | undefined,
  next: JsonSchema,
  pointer: string,
  context: Context,
): JsonSchema {
  const node: Node = { base, previous, next, pointer, context, out: {} };
  for (const key of new Set([...Object.keys(base), ...Object.keys(next)])) {
    const keyword = OWNED.get(key) ?? (pointer === '' ? OWNED_AT_ROOT.get(key) : undefined);
    if (keyword === undefined || keyword.edited(base, previous, key)) keepPersons(node, key, keyword !== undefined);
    else keyword.merge(node, key);
  }
  return node.out;
}

/**
 * A keyword inference never writes, or one a person changed: the file's value wins, and is listed as
 * curated. (A keyword only the docs give, never in the file, is the docs'.)
 */
function keepPersons({ base, next, pointer, context, out }: Node, key: string, owned: boolean): void {
  const inFile = Object.hasOwn(base, key);
  if (inFile || owned) context.curated.push(`${context.eventType} ${pointer || '/'} ${key} ${canonical(base[key])}`);
  define(out, key, inFile || owned ? base[key] : next[key]);
}
