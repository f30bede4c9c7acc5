/**
 * `generate --observed`: events recorded by the package's recordTo, read as evidence that only widens the
 * contract. A re-run of the shipped docs over the committed schemas/ and generated/ with recorded events: each
 * widening reported under its own heading (a minor version), curation kept, bad lines named by file:line, a
 * second run changing nothing; then the new package accepts the recorded events and its types have the new
 * field and event type (tsc on a handler that reads them).
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenerateResult, generate } from '../generator/generate.ts';
import type { DocFile, JsonSchema, SchemaSet } from '../generator/ir.ts';
import { widenByObserved } from '../generator/merge/observed.ts';
import { recordTo } from '../runtime/record.ts';
import type { Package } from './generated/build.ts';
import { linkNodeModules, ROOT, removeDir, shippedDocs, tempDir, tsc, writeFiles } from './helpers.ts';

const SMS = 'Microsoft.Communication.SMSReceived';
const SCHEDULED = 'Microsoft.Communication.SMSScheduled';
const root = tempDir('eventgen-observed-');
afterAll(() => removeDir(root));

function committed(dir: string, filter: (name: string) => boolean): Map<string, string> {
  return new Map(
    readdirSync(path.join(ROOT, dir))
      .filter(filter)
      .map((name) => [name, readFileSync(path.join(ROOT, dir, name), 'utf8')]),
  );
}
const schemas = committed('schemas', (n) => n.endsWith('.json'));
const release = committed('generated', (n) => n === 'package.json' || n === 'CHANGELOG.md');

/** The shipped docs over `existing` schema files, with the recorded files `observed`. */
function rerun(observed: readonly DocFile[] | undefined, existing = schemas, output = release): Promise<GenerateResult> {
  return generate({
    docs: shippedDocs(),
    existingSchemas: existing,
    existingOutput: output,
    schemasDir: 'schemas',
    ...(observed === undefined ? {} : { observed }),
    options: { locales: ['en', 'fr', 'ko'], packageName: 'eventgen-events', keepGoing: false },
  });
}

const eg = (eventType: string, data: unknown) => ({
  id: 'b5c3a7e0-7f0e-4d8b-9f0a-1c2d3e4f5a6b',
  topic: '/subscriptions/1234/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs',
  subject: '/phonenumber/14255550123',
  eventType,
  data,
  dataVersion: '1.0',
  metadataVersion: '1',
  eventTime: '2024-12-08T10:00:00Z',
});
/** What the service sent: a number where the docs show a date-time string, a field no doc has, text where a date-time was, an unlisted event type. */
const sent = [
  eg(SMS, {
    MessageId: 'Incoming_20241208',
    From: '+14255550123',
    To: '+14255550124',
    Message: 'hi',
    ReceivedTimestamp: 1733652000,
    Segments: 2,
  }),
  eg(SMS, { MessageId: 'Incoming_2', From: '+1425', To: '+1426', Message: 'yo', ReceivedTimestamp: 'yesterday', Segments: 1 }),
  eg(SCHEDULED, { MessageId: 'Outgoing_1', SendAt: '2024-12-08T11:00:00Z', Attempts: 1.5 }),
];

let files: DocFile[];
let first: GenerateResult;
beforeAll(async () => {
  const dir = path.join(root, 'recorded');
  const record = recordTo(dir, { outcomes: ['valid', 'invalid', 'unknown'] });
  for (const [i, event] of sent.entries()) {
    await record(event, { outcome: 'invalid', envelope: 'eventgrid', receivedAt: `2024-12-0${i + 1}T10:00:00.000Z` });
  }
  // A line cut short, as when the process stopped mid-write.
  appendFileSync(path.join(dir, 'events-2024-12-03.ndjson'), '{"receivedAt":"2024-12-03T11:00:00.000Z","outc');
  files = readdirSync(dir)
    .sort()
    .map((name) => ({ path: `recorded/${name}`, text: readFileSync(path.join(dir, name), 'utf8') }));
  first = await rerun(files);
});

describe('generate --observed', () => {
  it('widens, each change of its own kind, and reports a bad line by file and line', () => {
    expect(first.stats.errors).toBe(0);
    const observed = first.changes.filter((c) => c.kind.startsWith('observed-'));
    expect(observed.map((c) => [c.eventType, c.kind, c.field ?? ''])).toEqual([
      [SMS, 'observed-field-added', '/Segments'],
      [SMS, 'observed-type-widened', '/ReceivedTimestamp'],
      [SCHEDULED, 'observed-event-added', ''],
    ]);
    expect(first.changes.filter((c) => !c.kind.startsWith('observed-'))).toEqual([]);
    expect(first.diagnostics.filter((d) => d.code === 'W_OBSERVED_LINE').map((d) => `${d.file}:${d.line}`)).toEqual([
      'recorded/events-2024-12-03.ndjson:2',
    ]);
  });

  it('the schemas gain what was observed and lose nothing; no recorded string is written', () => {
    const sms = JSON.parse(first.schemas.get(`${SMS}.schema.json`) as string);
    expect(sms.properties.ReceivedTimestamp.type).toEqual(['string', 'number']);
    expect(sms.properties.Segments).toMatchObject({ type: 'number', 'x-eventgen': { observed: { undocumented: true } } });
    expect(sms.required).toEqual(JSON.parse(schemas.get(`${SMS}.schema.json`) as string).required);
    const scheduled = JSON.parse(first.schemas.get(`${SCHEDULED}.schema.json`) as string);
    expect(scheduled['x-eventgen'].observed).toEqual({
      source: 'observed',
      count: 1,
      firstSeen: '2024-12-03T10:00:00.000Z',
      lastSeen: '2024-12-03T10:00:00.000Z',
    });
    expect(scheduled.properties.SendAt).toEqual({ type: 'string', 'x-eventgen': { observed: { undocumented: true } } });
    expect(scheduled.required).toBeUndefined();
    // Every other schema file is as it was.
    for (const [name, text] of schemas)
      if (name.endsWith('.schema.json') && !name.startsWith(SMS)) expect(first.schemas.get(name), name).toBe(text);
    const everything = [...first.schemas.values(), ...first.generated.values()].join('\n');
    for (const original of ['Incoming_20241208', '+14255550123', 'yesterday', 'Outgoing_1'])
      expect(everything).not.toContain(original);
  });

  it('a minor version, with the observed changes under their own heading with counts', () => {
    expect(first.release.bump).toBe('minor');
    const changelog = first.generated.get('CHANGELOG.md') as string;
    const entry = changelog.slice(changelog.lastIndexOf('\n## '));
    expect(entry).toContain('### Observed in production');
    expect(entry).toContain('1 event type added, 1 field added, 1 type widened');
    const readme = first.generated.get('README.md') as string;
    expect(readme).toMatch(/`Segments\?` \(observed, undocumented\)/);
    expect(readme).toContain('observed in production (no doc lists it): 1 recorded, first seen 2024-12-03T10:00:00.000Z');
    const catalog = first.catalog.get('index.html') ?? '';
    expect(catalog).toContain('observed, undocumented: events the webhook recorded have it');
    expect(first.generated.get('src/data.ts')).toMatch(/Observed, undocumented[\s\S]*Segments\?: number/);
  });

  it('a second run over what the first wrote changes nothing', async () => {
    const second = await rerun(files, first.schemas, new Map([...first.generated].filter(([p]) => release.has(p))));
    expect(second.changes).toEqual([]);
    expect(second.release.bump).toBeUndefined();
    expect([...second.schemas]).toEqual([...first.schemas]);
    // Without --observed the widening stays: the schemas never narrow.
    const without = await rerun(undefined, first.schemas, new Map([...first.generated].filter(([p]) => release.has(p))));
    expect(without.changes).toEqual([]);
    expect([...without.schemas]).toEqual([...first.schemas]);
  });

  it('curation wins: a curated keyword the recorded values break is kept and reported', async () => {
    const curated = new Map(schemas);
    const sms = JSON.parse(curated.get(`${SMS}.schema.json`) as string);
    sms.properties.MessageId.format = 'uuid';
    curated.set(`${SMS}.schema.json`, JSON.stringify(sms));
    const result = await rerun(files, curated);
    expect(JSON.parse(result.schemas.get(`${SMS}.schema.json`) as string).properties.MessageId.format).toBe('uuid');
    expect(result.diagnostics.filter((d) => d.code === 'W_OBSERVED_CURATED').map((d) => d.message)).toEqual([
      `${SMS} /MessageId: recorded events show 2 values that are not uuid; the curated "format" rejects it, and is kept`,
    ]);
  });
});

describe('widenByObserved', () => {
  const at = { file: 'recorded/events-2024-12-08.ndjson', line: 1 };
  const set = (schema: JsonSchema): SchemaSet => ({
    events: [{ eventType: 'A.B', fileName: 'A.B.schema.json', schema: { title: 'A.B', ...schema } }],
    shared: {},
  });
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      at: { type: 'string', format: 'date-time' },
      n: { type: 'integer' },
      tags: { type: 'object', additionalProperties: { type: 'string' } },
    },
    required: ['n'],
  };

  it.each([
    ['a value that breaks a format drops it', { at: 'redacted', n: 1 }, 'observed-format-dropped', '/at'],
    ['a fraction where an integer was widens to number', { n: 1.5 }, 'observed-type-widened', '/n'],
    ['a map value of a new type widens the map', { tags: { x: 1 }, n: 1 }, 'observed-type-widened', '/tags/*'],
    ['null makes a field nullable', { n: null }, 'observed-type-widened', '/n'],
    ['an object without a required field makes it optional', { at: '2000-01-01T00:00:00Z' }, 'observed-no-longer-required', '/n'],
  ])('%s', (_, data, kind, field) => {
    const result = widenByObserved(set(schema), [{ eventType: 'A.B', envelope: 'eventgrid', data, source: at }], []);
    expect(result.changes.map((c) => [c.kind, c.field])).toEqual([[kind, field]]);
  });

  it('values the schema already accepts change nothing, and the input is not mutated', () => {
    const before = JSON.stringify(schema);
    const data = { at: '2000-01-01T00:00:00Z', n: 3, tags: { a: 'b' } };
    const result = widenByObserved(set(schema), [{ eventType: 'A.B', envelope: 'eventgrid', data, source: at }], []);
    expect(result.changes).toEqual([]);
    expect(JSON.stringify(schema)).toBe(before);
  });

  it('a curated format is kept and the values it rejects reported', () => {
    const curated = ['A.B /at format "date-time"'];
    const result = widenByObserved(
      set(schema),
      [{ eventType: 'A.B', envelope: 'eventgrid', data: { at: 'x', n: 1 }, source: at }],
      curated,
    );
    expect(result.changes).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([['W_OBSERVED_CURATED', at.file, 1]]);
  });
});

describe('the package generated with --observed', () => {
  let pkg: Package;
  let dir: string;
  beforeAll(async () => {
    dir = path.join(root, 'generated');
    writeFiles(dir, first.generated);
    linkNodeModules(dir);
    pkg = (await import(path.join(dir, 'src/index.ts'))) as Package;
  });

  it('accepts the recorded events, redacted as recordTo wrote them, and what the service sent', () => {
    const recorded = files.flatMap((f) =>
      f.text
        .split('\n')
        .filter((l) => l.endsWith('}'))
        .map((l) => JSON.parse(l).event),
    );
    expect(recorded).toHaveLength(3);
    for (const event of [...recorded, ...sent])
      expect(pkg.validateEvent(event), JSON.stringify(event)).toMatchObject({ kind: 'valid' });
  });

  it('types the new field and event type (tsc on a handler that reads them)', () => {
    writeFileSync(
      path.join(dir, 'src/observed-check.ts'),
      [
        `import type { EventDataMap } from './events.js';`,
        `export function segments(data: EventDataMap[${JSON.stringify(SMS)}]): number | undefined {`,
        '  return data.Segments;',
        '}',
        `export function when(data: EventDataMap[${JSON.stringify(SCHEDULED)}]): string | undefined {`,
        '  const at: string | number | undefined = data.SendAt;',
        '  return typeof at === "string" ? at : undefined;',
        '}',
        `export function received(data: EventDataMap[${JSON.stringify(SMS)}]): string | number | undefined {`,
        '  return data.ReceivedTimestamp;',
        '}',
        '',
      ].join('\n'),
    );
    // Only the handler and the modules it imports (the types), not the whole package's validators.
    writeFileSync(
      path.join(dir, 'tsconfig.check.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { noEmit: true, types: [] },
        include: [],
        files: ['src/observed-check.ts'],
      }),
    );
    tsc(['-p', 'tsconfig.check.json'], dir);
  });
});
