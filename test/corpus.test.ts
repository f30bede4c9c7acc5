/**
 * The public corpus (test/fixtures/corpus: 19 real Event Grid pages of other Azure services in
 * five locales, with everything real docs get wrong; see its SOURCES.md) as a golden case:
 * it generates with no error, its contract is what the evidence supports, and the package
 * built from every page alone, every locale folder and all of it together compiles.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GenerateResult } from '../generator/generate.ts';
import type { DocFile, JsonSchema } from '../generator/ir.ts';
import { inline } from '../generator/merge/inline.ts';
import { corpusDocs, egEvent, fence, linkNodeModules, page, ROOT, removeDir, run, tempDir, tsc, writeFiles } from './helpers.ts';

const CORPUS = path.join(ROOT, 'test/fixtures/corpus');

const all = await run(corpusDocs());
const shared = JSON.parse(all.schemas.get('shared.defs.json') ?? '{}').$defs ?? {};
const schema = (eventType: string): JsonSchema =>
  inline(JSON.parse(all.schemas.get(`${eventType}.schema.json`) ?? 'null'), shared);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

describe('the public corpus', () => {
  it('generates with no error and no unusable sample', () => {
    expect(all.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(all.stats).toMatchObject({ docsRead: 19, samples: 156, errors: 0 });
    // Every repair the corpus needs is reported on its line.
    const repairs = all.diagnostics.filter((d) => d.code === 'W_JSON_REPAIRED').map((d) => `${d.file}:${d.line} ${d.message}`);
    expect(repairs).toContain('test/fixtures/corpus/en-us/event-schema-container-registry.md:44 missing value in JSON sample');
    expect(repairs).toContain(
      'test/fixtures/corpus/en-us/azure-active-directory-events.md:48 unquoted placeholder in JSON sample',
    );
    expect(repairs).toContain(
      'test/fixtures/corpus/en-us/azure-active-directory-events.md:52 unterminated string in JSON sample',
    );
    expect(
      repairs.some(
        (r) => r.startsWith('test/fixtures/corpus/de-de/event-schema-resource-groups.md') && r.includes('missing comma'),
      ),
    ).toBe(true);
  });

  it('knows the event types listed without samples, as events of unknown data', () => {
    const listed = schema('Microsoft.Devices.DeviceDeleted');
    expect(listed.type).toBeUndefined();
    expect(listed.description).toBeTruthy();
    expect(all.generated.get('src/events.ts')).toContain("'Microsoft.Devices.DeviceDeleted': IotHubDeviceDeletedEventData;");
    expect(all.generated.get('src/data.ts')).toContain('export type IotHubDeviceDeletedEventData = unknown;');
    expect(all.diagnostics.filter((d) => d.code === 'I_LISTED_WITHOUT_SAMPLE')).toHaveLength(1);
  });

  it('routes an event listed without a sample to its handler, with its envelope validated and any data', async () => {
    const dir = tempDir('eventgen-corpus-pkg-');
    dirs.push(dir);
    writeFiles(dir, all.generated);
    writeFiles(dir, all.skeletons);
    linkNodeModules(dir);
    const pkg = await import(path.join(dir, 'src/index.ts'));
    const event = {
      id: '1',
      subject: 'devices/d1',
      eventType: 'Microsoft.Devices.DeviceDeleted',
      eventTime: '2024-01-01T00:00:00Z',
      dataVersion: '',
      data: { anything: ['the docs', 'show', 'no sample'] },
    };
    expect(pkg.validateEvent(event).kind).toBe('valid');
    expect(pkg.validateEvent({ ...event, eventTime: 'yesterday' }).kind).toBe('invalid');
    const seen: unknown[] = [];
    const router = pkg.createRouter({ 'Microsoft.Devices.DeviceDeleted': (e: { data: unknown }) => void seen.push(e.data) });
    const report = await router.dispatch([event]);
    expect(report.events.map((d: { status: string }) => d.status)).toEqual(['handled']);
    expect(seen).toEqual([event.data]);
  });

  it('takes field descriptions from property tables, in the preferred locale', () => {
    const signalr = schema('Microsoft.SignalRService.ClientConnectionConnected');
    expect(signalr.properties?.hubName?.description).toBe('The hub that the client connection belongs to.');
    expect(all.generated.get('src/data.ts')).toContain('The hub that the client connection belongs to.');
  });

  it('makes URL-keyed claims a map, and never enforces a uuid format from samples', () => {
    const write = schema('Microsoft.Resources.ResourceWriteSuccess');
    expect(write.properties?.claims).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(write.properties?.claims?.properties).toBeUndefined();
    expect([...all.schemas.values()].join('\n')).not.toMatch(/"format": "(uuid|uri)"/);
  });

  it('offers documented values as an open union', () => {
    expect(all.generated.get('src/data.ts')).toContain("blobType?: 'BlockBlob' | 'PageBlob' | (string & {});");
    expect(schema('Microsoft.Storage.BlobCreated').properties?.blobType?.enum).toBeUndefined();
  });

  it('leaves a field seen only as null untyped, and makes null beside a type nullable', () => {
    const job = schema('Microsoft.Media.JobOutputStateChange');
    const output = job.properties?.output;
    expect(output?.properties?.error?.type).toBeUndefined();
    expect(output?.properties?.error?.['x-eventgen']).toMatchObject({ onlyNull: true });
  });

  it('keeps the schemas and the generated types as the golden files say', async () => {
    for (const [file, contents] of all.schemas) await expect(contents).toMatchFileSnapshot(`__golden__/corpus/schemas/${file}`);
    for (const file of ['src/data.ts', 'src/events.ts', 'README.md']) {
      await expect(all.generated.get(file)).toMatchFileSnapshot(`__golden__/corpus/generated/${file}`);
    }
  });
});

/** A synthetic case: shared shapes reached directly and inside other shared shapes, referenced many times, deep. */
function deepSharedDocs(): DocFile[] {
  const identifier = { rawId: 'r', communicationUser: { id: 'u' } };
  const participant = { communicationIdentifier: identifier, role: 'x' };
  const deep = (n: number): unknown => (n === 0 ? { startedBy: participant } : { level: { inner: deep(n - 1) } });
  const data = (i: number) => ({
    startedBy: participant,
    room: { id: `room-${i}` },
    participants: [participant, participant],
    nested: deep(6),
    communicationIdentifier: identifier,
  });
  const events = Array.from({ length: 6 }, (_, i) => egEvent(`Contoso.Calls.Event${i}`, data(i)));
  return [{ path: 'deep.md', text: page(fence(events)) }];
}

describe('every doc set gives a package that compiles', () => {
  it('compiles: each corpus page alone, each locale folder, the whole corpus, and deep shared shapes', async () => {
    const root = tempDir('eventgen-corpus-');
    dirs.push(root);
    const docs = corpusDocs();
    // An include shell documents no event of its own: it says which file to add.
    const shell = docs.find((d) => d.path.endsWith('en-us/event-schema-service-bus.md')) as DocFile;
    const alone = await run([shell]);
    expect(alone.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([
      `${shell.path}:15 E_DOCS_EMPTY no event samples found; ${shell.path} includes ../service-bus-messaging/includes/event-grid-service-bus.md: add that file to --docs`,
    ]);
    const cases: [string, DocFile[]][] = [
      ...docs
        .filter((d) => d !== shell)
        .map((d): [string, DocFile[]] => [`page-${path.basename(d.path, '.md')}-${d.path.split('/').at(-2)}`, [d]]),
      ...readdirSync(CORPUS, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e): [string, DocFile[]] => [`locale-${e.name}`, corpusDocs(e.name)]),
      ['all', docs],
      ['deep-shared', deepSharedDocs()],
    ];
    const results: [string, GenerateResult][] = [];
    for (const [name, set] of cases) results.push([name, await run(set)]);
    for (const [name, result] of results) {
      expect(result.stats.errors, name).toBe(0);
      writeFiles(path.join(root, name), result.generated);
      writeFiles(path.join(root, name), result.skeletons);
    }
    const deep = results.find(([n]) => n === 'deep-shared')?.[1] as GenerateResult;
    const defs = Object.keys(JSON.parse(deep.schemas.get('shared.defs.json') ?? '{}').$defs);
    // Named after the property they recur under; `room` and `communicationUser` are both {id}, yet stay apart.
    expect(defs).toEqual([
      'ContosoCallsCommunicationIdentifier',
      'ContosoCallsCommunicationUser',
      'ContosoCallsInner',
      'ContosoCallsLevel',
      'ContosoCallsNested',
      'ContosoCallsParticipant',
      'ContosoCallsRoom',
      'ContosoCallsStartedBy',
    ]);
    expect(deep.generated.get('src/data.ts')).toMatch(/communicationUser\?: ContosoCallsCommunicationUser;/);
    // One compiler run over every package (each keeps its own module graph).
    linkNodeModules(root);
    writeFileSync(
      path.join(root, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
        include: results.map(([name]) => `${name}/src`),
      }),
    );
    writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
    tsc(['-p', 'tsconfig.json'], root);
  });
});
