/**
 * eventgen's own validator code (generator/emit/validators-code.ts) against ajv, the oracle: on the schemas
 * inferred from the real corpus, from docs/, from the synthetic bench corpus, and on schemas written to hit
 * every rule of the subset, each generated validator gives ajv's verdict and ajv's errors in ajv's order, made at
 * once in the shape the package reports them (what runtime/validation.ts's `toError` makes of ajv's error objects:
 * path, keyword, message), on every sample and on 10,000+ values fast-check derives from them, with and without a
 * path prefix.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPages } from '../../bench/corpus.ts';
import { createAjv, forAjv } from '../../generator/ajv.ts';
import { compileValidators, formatsModule } from '../../generator/emit/validators.ts';
import { inSubset, ownValidators } from '../../generator/emit/validators-code.ts';
import { extract } from '../../generator/extract/index.ts';
import { infer } from '../../generator/infer/index.ts';
import { type JsonSchema, SHARED_DEFS_FILE } from '../../generator/ir.ts';
import { type AnyCompiled, type CompiledError, type FinalCompiled, toError } from '../../runtime/validation.ts';
import { corpusDocs, ROOT, removeDir, shippedDocs } from '../helpers.ts';

const work = path.join(ROOT, 'node_modules/.cache', `eventgen-validators-code-${process.pid}`);
afterAll(() => removeDir(work));

let modules = 0;
/** The module compileValidators writes for `events`, imported as the package imports it (beside formats.js). */
async function load(events: Map<string, JsonSchema>, shared: Record<string, JsonSchema>): Promise<Record<string, AnyCompiled>> {
  const dir = path.join(work, String(modules++));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'formats.js'), formatsModule());
  writeFileSync(path.join(dir, 'validators.compiled.js'), compileValidators(events, shared).code);
  return (await import(path.join(dir, 'validators.compiled.js'))) as Record<string, AnyCompiled>;
}

const PREFIX = '/data';

/** ajv interpreting the same schemas with eventgen's options; its errors as the package reports them. */
function oracle(events: Map<string, JsonSchema>, shared: Record<string, JsonSchema>) {
  const ajv = createAjv({ standalone: false });
  ajv.addSchema(forAjv({ $id: SHARED_DEFS_FILE, $defs: shared }) as JsonSchema);
  for (const schema of events.values()) ajv.addSchema(forAjv(schema) as JsonSchema);
  return (name: string, value: unknown, prefix = '') => {
    const validate = ajv.getSchema(String(events.get(name)?.$id));
    if (!validate) throw new Error(`no schema for ${name}`);
    const valid = validate(value) as boolean;
    return { valid, errors: valid ? [] : (validate.errors ?? []).map((e) => toError(e as CompiledError, prefix)) };
  };
}

/** Verdict and errors of a compiled validator: eventgen's own in their final shape, ajv's converted. */
const answer = (check: AnyCompiled, value: unknown, prefix = '') => {
  if ((check as Partial<FinalCompiled>).final === true) {
    const errors = (check as FinalCompiled)(value, prefix === '' ? undefined : prefix);
    // A valid value gives undefined, never an empty list.
    return { valid: errors === undefined, errors: errors ?? [] };
  }
  const ajv = check as (value: unknown) => boolean & { errors?: CompiledError[] | null };
  const valid = ajv(value) as boolean;
  const errors = (check as { errors?: CompiledError[] | null }).errors ?? [];
  return { valid, errors: valid ? [] : errors.map((e) => toError(e, prefix)) };
};

/** Every place in `value` where a leaf can be replaced or a member removed: [parent, key] pairs. */
function places(value: unknown, out: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Object.keys(value)) {
    out.push([value as Record<string, unknown>, key]);
    places((value as Record<string, unknown>)[key], out);
  }
  return out;
}

const leaf = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '2024-02-29T23:59:60Z',
    '2024-13-01T00:00:00Z',
    '2020-01-01t00:00:00z',
    'not-a-date',
    '',
    null,
    1.5,
    2,
    -0,
    [],
    {},
  ),
);

/** Values near the samples: some leaves replaced, members removed or added. */
function near(samples: readonly unknown[]) {
  return fc
    .record({
      sample: fc.nat(),
      edits: fc.array(fc.record({ at: fc.nat(), value: leaf, op: fc.constantFrom('set', 'remove', 'add') }), { maxLength: 4 }),
    })
    .map(({ sample, edits }) => {
      const value = structuredClone(samples[sample % samples.length]);
      if (typeof value !== 'object' || value === null) return value;
      for (const edit of edits) {
        const all = places(value);
        const target = all[edit.at % Math.max(all.length, 1)];
        if (!target) continue;
        const [parent, key] = target;
        if (edit.op === 'remove' && !Array.isArray(parent)) delete parent[key];
        else if (edit.op === 'add' && !Array.isArray(parent)) parent[`extra${edit.at % 3}`] = edit.value;
        else parent[key] = edit.value;
      }
      return value;
    });
}

async function agreeOn(
  events: Map<string, JsonSchema>,
  shared: Record<string, JsonSchema>,
  samplesOf: (name: string) => unknown[],
  runs: number,
) {
  const compiled = await load(events, shared);
  const reference = oracle(events, shared);
  let errorsSeen = 0;
  for (const name of events.keys()) {
    const check = compiled[name] as AnyCompiled;
    const samples = samplesOf(name);
    for (const sample of samples) {
      expect(answer(check, sample), name).toEqual(reference(name, sample));
      expect(answer(check, sample, PREFIX), name).toEqual(reference(name, sample, PREFIX));
    }
    fc.assert(
      fc.property(
        fc.oneof(near(samples.length > 0 ? samples : [{}]), fc.jsonValue({ maxDepth: 3 })),
        fc.boolean(),
        (value, prefixed) => {
          const prefix = prefixed ? PREFIX : '';
          const ours = answer(check, value, prefix);
          errorsSeen += ours.errors.length;
          expect(ours).toEqual(reference(name, value, prefix));
        },
      ),
      { numRuns: runs, seed: Number(process.env.FC_SEED ?? 20261123) },
    );
  }
  // The values reached the error paths, not only the valid one.
  expect(errorsSeen).toBeGreaterThan(runs);
}

function inferred(docs: { path: string; text: string }[]) {
  const { schemas } = infer(extract(docs).extraction, { locales: ['en'] });
  const events = new Map(schemas.events.map((e, i) => [`Event${i}`, e.schema]));
  return { events, shared: schemas.shared };
}

describe('own validator code agrees with ajv', () => {
  it('on every schema of the real corpus (19 pages, five locales)', async () => {
    const { events, shared } = inferred(corpusDocs());
    const own = ownValidators(new Map([...events].map(([n, s]) => [n, forAjv(s) as JsonSchema])), shared);
    // The corpus is what eventgen writes: all of it in the subset.
    expect(own.left.size).toBe(0);
    expect(own.own.length).toBe(events.size);
    await agreeOn(events, shared, (name) => (events.get(name)?.examples as unknown[]) ?? [], 150);
  });

  it('on docs/ and the synthetic bench corpus', async () => {
    for (const docs of [shippedDocs(), [...corpusPages(60)].map(([p, text]) => ({ path: p, text }))]) {
      const { events, shared } = inferred(docs);
      await agreeOn(events, shared, (name) => (events.get(name)?.examples as unknown[]) ?? [], 60);
    }
  });

  const S = (schema: object, id: string) => ({ $id: id, ...schema }) as JsonSchema;
  /** Schemas written to hit each rule: type lists, nested arrays, maps, closed objects, refs, odd names. */
  const edge = new Map<string, JsonSchema>([
    [
      'Nullable',
      S(
        {
          type: 'object',
          properties: {
            a: { type: ['string', 'null'], format: 'date-time' },
            b: { type: ['integer', 'boolean'] },
            c: { type: ['object', 'null'], properties: { d: { type: 'number' } }, required: ['d'] },
          },
        },
        'n.json',
      ),
    ],
    [
      'Arrays',
      S(
        {
          type: 'array',
          items: {
            type: 'array',
            items: { type: 'object', properties: { x: { type: 'string', format: 'uuid' } }, required: ['x', 'y'] },
          },
        },
        'a.json',
      ),
    ],
    ['Map', S({ type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } }, 'm.json')],
    [
      'Closed',
      S(
        {
          type: 'object',
          properties: Object.fromEntries('abcdefghij'.split('').map((k) => [k, { type: 'string' }])),
          additionalProperties: false,
          required: ['a', 'z'],
        },
        'c.json',
      ),
    ],
    [
      'ClosedSmall',
      S({ type: 'object', properties: { a: {}, b: { type: 'null' } }, additionalProperties: { type: 'integer' } }, 'cs.json'),
    ],
    [
      'Names',
      S(
        {
          type: 'object',
          properties: {
            'a/b': { type: 'string' },
            'c~d': { type: 'string' },
            'e"f': { type: 'integer' },
            'g h': { type: 'object', properties: { 'ü\u2028': { type: 'boolean' } } },
            constructor: { type: 'string' },
          },
          required: ['a/b', 'toString'],
        },
        'o.json',
      ),
    ],
    [
      'Refs',
      S(
        {
          type: 'object',
          properties: {
            actor: { $ref: `${SHARED_DEFS_FILE}#/$defs/Actor` },
            local: { $ref: '#/$defs/Local' },
            tree: { $ref: `${SHARED_DEFS_FILE}#/$defs/Tree` },
          },
          $defs: { Local: { type: 'string', format: 'uri' } },
        },
        'r.json',
      ),
    ],
    ['Order', S({ type: 'object', items: { type: 'string' }, format: 'date-time', required: ['k'] }, 'x.json')],
    [
      'Consts',
      S(
        {
          type: 'object',
          properties: {
            version: { const: '1' },
            typed: { type: 'string', const: 'x', minLength: 1, format: 'date-time' },
            two: { type: ['integer', 'null'], const: 2 },
            none: { const: null },
            yes: { const: true },
            id: { type: 'string', minLength: 1 },
            maybe: { type: ['string', 'null'], minLength: 1 },
            any: { minLength: 0 },
            loose: { minLength: 1, format: 'date-time' },
          },
          required: ['id'],
        },
        'k.json',
      ),
    ],
    ['Untyped', S({ properties: { a: { type: 'string' } }, items: { type: 'integer' }, format: 'date-time' }, 'u.json')],
  ]);
  const edgeShared: Record<string, JsonSchema> = {
    Actor: { type: 'object', properties: { id: { type: 'string' }, kind: { $ref: '#/$defs/Kind' } }, required: ['id'] },
    Kind: { type: ['string', 'null'] },
    Tree: {
      type: 'object',
      properties: { value: { type: 'integer' }, children: { type: 'array', items: { $ref: `${SHARED_DEFS_FILE}#/$defs/Tree` } } },
    },
  };
  const edgeSamples: Record<string, unknown[]> = {
    Nullable: [
      { a: '2024-01-01T00:00:00Z', b: 1, c: { d: 1 } },
      { a: null, b: true, c: null },
    ],
    Arrays: [[[{ x: '8f60490d-0719-4d9d-a1a6-835362fb752e', y: 1 }], []]],
    Map: [{ k: { a: 'b' }, 'x/y': { '~': 'z' } }],
    Closed: [{ a: 'a', z: 1, b: 'b' }],
    ClosedSmall: [{ a: 1, b: null, c: 2 }],
    Names: [{ 'a/b': 'x', 'c~d': 'y', 'e"f': 1, 'g h': { 'ü\u2028': true }, toString: 1, constructor: 'c' }],
    Refs: [{ actor: { id: 'x', kind: 'k' }, local: 'https://x.y/z', tree: { value: 1, children: [{ value: 2, children: [] }] } }],
    Order: [{ k: 1 }, ['a', 1], '2024-01-01T00:00:00Z'],
    Consts: [
      { version: '1', typed: 'x', two: 2, none: null, yes: true, id: 'a', maybe: null, any: '', loose: '' },
      { version: 1, typed: '', two: null, none: 0, yes: 'true', id: '', maybe: '', any: 3, loose: 'x' },
      { id: '\u{1F600}', maybe: '\u{1F600}', typed: '2024-01-01T00:00:00Z' },
    ],
    Untyped: [{ a: 'x' }, [1, 'x'], 'x', 2],
  };
  // Members only inherited are not there (ajv's `ownProperties`): wrong values on a prototype, alone or beside own
  // members that are wrong too, at the top and below.
  const inherited = (proto: object, own: object = {}) => Object.assign(Object.create(proto) as object, own);
  edgeSamples.Nullable?.push(inherited({ a: 'noon', b: 'x', c: { d: 'x' } }), inherited({ a: 1, c: {} }, { b: 'y' }), {
    c: inherited({ d: 'x' }),
    a: inherited({}),
  });
  edgeSamples.Consts?.push(inherited({ version: 2, typed: 1, id: 3, loose: 'x' }, { maybe: 1 }));
  edgeSamples.Refs?.push(inherited({ actor: { kind: 1 }, local: 'x y', tree: { value: 'x' } }), {
    actor: inherited({ id: 1 }, { kind: 2 }),
    tree: inherited({ value: 1.5, children: [{ value: 'x' }] }, { children: 'no' }),
  });
  edgeSamples.Names?.push(inherited({ 'a/b': 1, 'g h': { 'ü\u2028': 1 }, constructor: 1 }));
  edgeSamples.Arrays?.push([[inherited({ x: 'not', y: 1 }, { x: 'bad' })]]);

  it('on schemas that hit every rule of the subset', async () => {
    for (const schema of edge.values()) expect(inSubset(forAjv(schema) as JsonSchema, edgeShared), String(schema.$id)).toBe(true);
    await agreeOn(edge, edgeShared, (name) => edgeSamples[name] ?? [], 1500);
  });

  it('leaves schemas outside the subset to ajv, which still answers', async () => {
    const outside = new Map<string, JsonSchema>([
      ['Enum', S({ type: 'object', properties: { status: { type: 'string', enum: ['a', 'b'] } } }, 'e.json')],
      ['Proto', S({ type: 'object', properties: { ['__proto__']: { type: 'string' } } }, 'p.json')],
      ['NumberFormat', S({ type: 'number', format: 'int32' }, 'nf.json')],
      ['RefSibling', S({ $ref: `${SHARED_DEFS_FILE}#/$defs/Kind`, type: 'string' }, 'rs.json')],
      ['LongerMinLength', S({ type: 'string', minLength: 2 }, 'ml.json')],
      ['ConstObject', S({ const: { a: 1 } }, 'co.json')],
    ]);
    const proto = JSON.parse('{"__proto__": 1}') as Record<string, unknown>;
    (outside.get('Proto') as { properties: Record<string, unknown> }).properties = JSON.parse(
      '{"__proto__": {"type": "string"}}',
    );
    const own = ownValidators(outside, edgeShared);
    expect(own.own).toEqual([]);
    expect([...own.left.keys()]).toEqual([...outside.keys()]);
    await agreeOn(
      outside,
      edgeShared,
      (name) =>
        ({
          Enum: [{ status: 'a' }, { status: 'c' }],
          Proto: [proto],
          NumberFormat: [1, 2 ** 40],
          RefSibling: ['x', null],
          LongerMinLength: ['ab', '\u{1F600}'],
          ConstObject: [{ a: 1 }, { a: 2 }],
        })[name] ?? [],
      200,
    );
  });
});
