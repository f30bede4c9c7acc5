/**
 * The other languages built and run (generator/emit/languages.ts): Python, Go, Java and Rust,
 * each with Debian's toolchain (.ci/run installs them), give back the JSON they read. One package
 * per language holds schemas/, the feature set, the hostile set and the edge keys; each is built
 * once (side by side) and its round-trip program runs once over every doc sample and seeded
 * fast-check variations of them: members no schema names added, optional members left out,
 * nullable members and members of unknown shape sent as null, a member whose key differs from a
 * field's only in case added. A missing toolchain fails the test in CI and skips it
 * elsewhere, with the reason. Builds are kept in the system's temporary folder by the hash of what
 * they build, so a run whose generated code did not change only runs the programs
 * (EVENTGEN_LANG_TIMINGS=1 prints the time of each step).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LanguagesResult, renderLanguages } from '../generator/emit/languages.ts';
import { EDGE, FEATURES, HOSTILE } from './languages/fixtures.ts';
import {
  exec,
  goRoundTrip,
  JACKSON_JARS,
  javaRoundTrip,
  missingTool,
  PYTHON_ROUND_TRIP,
  type Ran,
  rustRoundTrip,
  writeTree,
} from './languages/toolchains.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN = ['python', 'go', 'java', 'rust'] as const;
type RunLang = (typeof RUN)[number];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: unknown };

/** schemas/, FEATURES, HOSTILE and EDGE as one set of schema files (their shared definitions merged). */
function unionOfSets(): Map<string, string> {
  const dir = path.join(ROOT, 'schemas');
  const sets = [
    new Map(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')] as const)),
    FEATURES,
    HOSTILE,
    EDGE,
  ];
  const out = new Map<string, string>();
  const defs: Record<string, unknown> = {};
  for (const set of sets) {
    for (const [name, text] of set) {
      if (name === 'shared.defs.json') Object.assign(defs, JSON.parse(text).$defs ?? {});
      else if (name.endsWith('.schema.json')) out.set(name, text);
    }
  }
  out.set('shared.defs.json', JSON.stringify({ $id: 'shared.defs.json', title: 'Shared definitions', $defs: defs }));
  return out;
}

const SCHEMAS = unionOfSets();
const DEFS = JSON.parse(SCHEMAS.get('shared.defs.json') ?? '{}').$defs as Record<string, Schema>;
const resolve = (schema: Schema): Schema => {
  const ref = schema.$ref;
  return typeof ref === 'string' && ref.startsWith('shared.defs.json#/$defs/')
    ? (DEFS[ref.slice('shared.defs.json#/$defs/'.length)] ?? {})
    : schema;
};
const schemaOf = (eventType: string): Schema =>
  [...SCHEMAS.values()]
    .map((text) => JSON.parse(text) as Schema)
    .find((s) => (s['x-eventgen'] as { eventType?: string } | undefined)?.eventType === eventType) ?? {};
const isObject = (v: unknown): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `schema` lets a value be null: it says so (`type`, `anyOf`/`oneOf`), or it is of unknown shape. */
function nullable(schema: Schema): boolean {
  const s = resolve(schema);
  const type = s.type;
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  if ([s.anyOf, s.oneOf].some((m) => Array.isArray(m) && m.some((x) => nullable(x as Schema)))) return true;
  return Object.keys(s).every((k) => k === 'description');
}

/** `key` with the case of each letter swapped (`from` → `FROM`). */
const swapCase = (key: string) => [...key].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');

/**
 * One variation of `data`, valid for `schema` whenever `data` is, drawn with `draw`: optional members
 * left out, nullable members sent as null, members no schema names added, and a member whose key
 * differs only in case from one the schema names (which no field may read).
 */
function vary(schema: Schema, data: Json, draw: <T>(arb: fc.Arbitrary<T>) => T): Json {
  const s = resolve(schema);
  const properties = s.properties as Record<string, Schema> | undefined;
  if (!isObject(data) || properties === undefined) return data;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(data)) {
    const property = properties[key];
    if (property === undefined) out[key] = value;
    else if (!required.has(key) && draw(fc.boolean())) continue;
    else if (nullable(property) && draw(fc.boolean())) out[key] = null;
    else out[key] = vary(property, value, draw);
  }
  const extras = draw(fc.integer({ min: 0, max: 2 }));
  for (let i = 0; i < extras; i++)
    out[`unknown${i}_${draw(fc.stringMatching(/^[a-z]{0,6}$/))}`] = draw(fc.jsonValue({ maxDepth: 2 })) as Json;
  const keys = Object.keys(properties).filter((k) => swapCase(k) !== k && properties[swapCase(k)] === undefined);
  if (keys.length > 0 && draw(fc.boolean())) {
    const key = keys[draw(fc.nat({ max: keys.length - 1 }))] ?? '';
    out[swapCase(key)] = draw(fc.jsonValue({ maxDepth: 1 })) as Json;
  }
  return out;
}

/** Every doc sample of every event, and three variations of each, seeded. */
function inputs(): { eventType: string; data: Json }[] {
  const out: { eventType: string; data: Json }[] = [];
  let seed = 26;
  const draw = <T>(arb: fc.Arbitrary<T>): T => fc.sample(arb, { seed: seed++, numRuns: 1 })[0] as T;
  for (const [name, text] of [...SCHEMAS].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!name.endsWith('.schema.json')) continue;
    const schema = JSON.parse(text) as Schema;
    const eventType = (schema['x-eventgen'] as { eventType: string }).eventType;
    // A lone surrogate is not Unicode: Go and Rust strings cannot hold the hostile event type.
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(eventType)) continue;
    for (const data of (schema.examples as Json[] | undefined) ?? []) {
      out.push({ eventType, data });
      for (let i = 0; i < 3; i++) out.push({ eventType, data: vary(schema, data, draw) });
    }
  }
  // JSON text is what every program reads: -0 is 0 there, as for the programs.
  return JSON.parse(JSON.stringify(out));
}

interface Outcome {
  readonly reason?: string;
  readonly failed?: { readonly step: string; readonly ran: Ran };
  readonly output?: Json[];
}

let work: string;
let rendered: LanguagesResult;
const INPUT = inputs();
const outcomes = new Map<RunLang, Outcome>();

async function step(name: string, ran: Promise<Ran>): Promise<{ step: string; ran: Ran } | undefined> {
  const started = Date.now();
  const result = await ran;
  if (process.env.EVENTGEN_LANG_TIMINGS) console.log(`${name}: ${Date.now() - started} ms`);
  return result.status === 0 ? undefined : { step: name, ran: result };
}

/** Where the build of `files` lives: one folder per content, so an unchanged package is not built again. */
function buildFolder(lang: RunLang, files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const [name, text] of [...files].sort(([x], [y]) => (x < y ? -1 : 1))) hash.update(`${name}\0${text}\0`);
  return path.join(tmpdir(), 'eventgen-languages-build', `${lang}-${hash.digest('hex').slice(0, 16)}`);
}

/**
 * Builds the round-trip program of `lang` (unless a build of the same files succeeded before:
 * `.built` marks it) and runs it once over the input file.
 */
async function buildAndRun(
  lang: RunLang,
  generated: ReadonlyMap<string, string>,
  input: string,
  output: string,
): Promise<Outcome> {
  const reason = await missingTool(lang);
  if (reason !== undefined) return { reason };
  const files = new Map([...generated].map(([name, text]) => [`${lang}/${name}`, text]));
  if (lang === 'go') files.set('go/roundtrip/main.go', goRoundTrip('eventgen-events'));
  if (lang === 'java') files.set('RoundTrip.java', javaRoundTrip('eventgen.events'));
  if (lang === 'rust') for (const [name, text] of rustRoundTrip('eventgen-events')) files.set(`rust-round-trip/${name}`, text);
  const dir = buildFolder(lang, files);
  const root = path.join(dir, lang);
  const built = existsSync(path.join(dir, '.built'));
  if (!built) writeTree(dir, files);
  const build = async (...steps: (() => Promise<Outcome['failed']>)[]) => {
    if (built) return undefined;
    for (const one of steps) {
      const failed = await one();
      if (failed !== undefined) return failed;
    }
    writeFileSync(path.join(dir, '.built'), '');
    return undefined;
  };
  let failed: Outcome['failed'];
  if (lang === 'python') {
    failed = await step(
      'python3',
      exec('python3', ['-c', PYTHON_ROUND_TRIP, input, 'eventgen_events', output], { env: { PYTHONPATH: root } }),
    );
  } else if (lang === 'go') {
    const env = { GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', GOPROXY: 'off' };
    failed =
      (await build(
        () => step('go vet', exec('go', ['vet', './...'], { cwd: root, env })),
        () => step('go build', exec('go', ['build', '-o', 'rt', './roundtrip'], { cwd: root, env })),
      )) ?? (await step('round trip', exec(path.join(root, 'rt'), [input, output])));
  } else if (lang === 'java') {
    const sources = [...files.keys()].filter((f) => f.endsWith('.java')).map((f) => path.join(dir, f));
    const classes = path.join(dir, 'classes');
    const jars = JACKSON_JARS.join(path.delimiter);
    failed =
      (await build(() => step('javac', exec('javac', ['-Xlint:all', '-Werror', '-d', classes, '-cp', jars, ...sources])))) ??
      (await step('java', exec('java', ['-cp', [classes, jars].join(path.delimiter), 'RoundTrip', input, output])));
  } else {
    // One target folder for every build: the crates of Debian's registry are compiled once.
    const target = path.join(tmpdir(), 'eventgen-languages-build', 'cargo-target');
    const program = path.join(dir, 'rust-round-trip');
    failed =
      (await build(() =>
        step(
          'cargo build',
          exec('cargo', ['build', '--offline', '--quiet'], { cwd: program, env: { CARGO_TARGET_DIR: target } }),
        ),
      )) ??
      (await step(
        'round trip',
        exec('cargo', ['run', '--offline', '--quiet', '--', input, output], { cwd: program, env: { CARGO_TARGET_DIR: target } }),
      ));
  }
  if (failed !== undefined) return { failed };
  return { output: JSON.parse(readFileSync(output, 'utf8')) as Json[] };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'eventgen-languages-run-'));
  rendered = await renderLanguages(SCHEMAS, RUN, { version: '1.0.0' });
  const input = path.join(work, 'input.json');
  writeFileSync(input, JSON.stringify(INPUT));
  const done = await Promise.all(
    RUN.map(async (lang) => {
      const files = rendered.outputs.get(lang) ?? new Map<string, string>();
      return [lang, await buildAndRun(lang, files, input, path.join(work, `${lang}-output.json`))] as const;
    }),
  );
  for (const [lang, outcome] of done) outcomes.set(lang, outcome);
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('every language that runs gives back the JSON it read', () => {
  it('renders the four languages', () => {
    expect([...rendered.outputs.keys()]).toEqual([...RUN]);
    expect(rendered.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('feeds every doc sample and variations of them', () => {
    const types = new Set(INPUT.map((i) => i.eventType));
    expect(types.size).toBe([...SCHEMAS.keys()].filter((f) => f.endsWith('.schema.json')).length - 1);
    expect(INPUT.length).toBeGreaterThan(90);
    const edge = INPUT.filter((i) => i.eventType === 'Contoso.Edge.Keys').map((i) => i.data as { [key: string]: Json });
    const variations = {
      'unknown members': INPUT.some((i) => isObject(i.data) && Object.keys(i.data).some((k) => k.startsWith('unknown'))),
      'an optional nullable member sent as null': edge.some((d) => d.maybe === null) && edge.some((d) => d.either === null),
      'an optional nullable member left out': edge.some((d) => !('maybe' in d)),
      'a required nullable member sent as null': edge.some((d) => d.must === null),
      'a member of unknown shape sent as null': edge.some((d) => d.anything === null),
      "a key that differs from a field's only in case": INPUT.some((i) => {
        const names = Object.keys((resolve(schemaOf(i.eventType)).properties as Schema | undefined) ?? {});
        return isObject(i.data) && Object.keys(i.data).some((k) => !names.includes(k) && names.includes(swapCase(k)));
      }),
    };
    expect(variations).toEqual(Object.fromEntries(Object.keys(variations).map((k) => [k, true])));
  });

  it.for(RUN)('%s: parse as its class, write back, same JSON (unknown members, absent and null members kept)', (lang, ctx) => {
    const outcome = outcomes.get(lang) ?? {};
    if (outcome.reason !== undefined) {
      if (process.env.CI) throw new Error(`${lang} cannot run in CI: ${outcome.reason}`);
      ctx.skip(`${outcome.reason} (CI installs it: .ci/run)`);
    }
    if (outcome.failed !== undefined) {
      const { step: name, ran } = outcome.failed;
      throw new Error(`${lang}: ${name} failed (${ran.status}):\n${ran.stderr.slice(0, 4000)}${ran.stdout.slice(0, 2000)}`);
    }
    const output = outcome.output ?? [];
    expect(output).toHaveLength(INPUT.length);
    INPUT.forEach((item, i) => {
      expect(output[i], `${item.eventType} #${i}`).toEqual(item.data);
    });
  });
});

describe('edge keys', () => {
  const text = (lang: RunLang) => [...(rendered.outputs.get(lang)?.values() ?? [])].join('\n');
  it('Python: keys that differ only in case or punctuation are reported with the field of each', () => {
    const warning = rendered.diagnostics.find((d) => d.code === 'W_LANG_FIELD_NAMES' && d.message.startsWith('python:'));
    expect(warning?.file).toBe('schemas/Contoso.Edge.Keys.schema.json');
    const fields = new Map(
      [...(warning?.message ?? '').matchAll(/("(?:[^"\\]|\\.)*") → (\w+)/g)].map((m) => [JSON.parse(m[1] ?? ''), m[2]]),
    );
    expect([...fields.keys()]).toEqual(['from', 'From', 'from_']);
    // Each field named is the one from_dict reads its key into.
    const data = rendered.outputs.get('python')?.get('eventgen_events/data.py') ?? '';
    for (const [key, field] of fields) {
      const reads = new RegExp(
        `^ {8}${field} = .*obj\\.get\\(${JSON.stringify(key).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}\\)`,
        'm',
      );
      expect(data).toMatch(reads);
    }
  });

  it('Java: no @JsonProperty(""); the empty key is reported and kept in the map of additional properties', () => {
    expect(text('java')).not.toContain('@JsonProperty("")');
    expect(text('java')).toContain('@JsonAnySetter');
    expect(rendered.diagnostics.map((d) => d.message)).toContain(
      'java: the property "" has no field (kept in the map of additional properties)',
    );
  });

  it('Rust: an optional nullable field is a double option, a required nullable one is written even when None', () => {
    const data = rendered.outputs.get('rust')?.get('src/data.rs') ?? '';
    const field = (name: string) => new RegExp(`((?:^ {4}#\\[.*\\n)*)^ {4}pub ${name}: (.*),$`, 'm').exec(data)?.slice(1);
    const attributes = '    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]\n';
    expect(field('maybe')).toEqual([attributes, 'Option<Option<String>>']);
    expect(field('either')).toEqual([attributes, 'Option<Option<String>>']);
    expect(field('must')).toEqual(['', 'Option<f64>']);
    expect(data).not.toContain('\u0001');
  });

  it('Go: no struct tag holds a backtick, an empty name or a character encoding/json ignores', () => {
    for (const tag of text('go').matchAll(/`json:"((?:[^"\\]|\\.)*)"`/g)) {
      const name = (tag[1] ?? '').split(',')[0] ?? '';
      expect(name === '' ? tag[1] : name, tag[0]).toMatch(/^[\p{L}\p{Nd}!#$%&()*+\-./:;<=>?@[\]^_{|}~ ]+$|^-$/u);
    }
    const reported = rendered.diagnostics.filter((d) => d.message.startsWith('go: the property')).map((d) => d.message);
    expect(reported).toEqual(
      expect.arrayContaining(['go: the property "a`b" has no field (kept in the map of additional properties)']),
    );
  });
});
