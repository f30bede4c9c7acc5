/** Facts the shipped docs (the five seed pages) must yield, end to end through generate(). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateResult } from '../generator/generate.ts';
import type { JsonSchema } from '../generator/ir.ts';
import { run, shippedDocs } from './helpers.ts';

let result: GenerateResult;
const schema = (eventType: string): JsonSchema => JSON.parse(result.schemas.get(`${eventType}.schema.json`) ?? 'null');

beforeAll(async () => {
  result = await run(shippedDocs());
});

describe('the shipped docs', () => {
  it('yield 12 event types from 23 samples, with no errors', () => {
    expect(result.stats).toMatchObject({ docsRead: 5, samples: 23, eventTypes: 12, errors: 0 });
    expect([...result.schemas.keys()].filter((f) => f.startsWith('Microsoft.'))).toHaveLength(12);
  });

  it('keep ChatMessageDeleted apart from its look-alikes: no messageBody; deleteTime a required candidate only', () => {
    const deleted = schema('Microsoft.Communication.ChatMessageDeleted');
    expect(deleted.properties).not.toHaveProperty('messageBody');
    // One sample cannot make a field required: "in every sample" is recorded, not enforced.
    expect(deleted.required).toBeUndefined();
    expect(deleted.properties?.deleteTime?.['x-eventgen']).toMatchObject({ inEverySample: true, samples: 1 });
    expect(schema('Microsoft.Communication.ChatMessageReceived').properties).not.toHaveProperty('deleteTime');
  });

  it('warn about the trailing comma on its line', () => {
    const repaired = result.diagnostics.filter((d) => d.code === 'W_JSON_REPAIRED');
    expect(repaired).toEqual([
      expect.objectContaining({ file: 'docs/event-grid-source.fr-FR.md', line: 210, severity: 'warning' }),
    ]);
  });

  it('skip both filter fragments with an info diagnostic', () => {
    const skipped = result.diagnostics.filter((d) => d.code === 'I_NOT_AN_EVENT');
    expect(skipped.map((d) => `${d.file}:${d.line}`)).toEqual([
      'docs/event-grid-source.fr-FR.md:57',
      'docs/event-handling-overview.fr-FR.md:51',
    ]);
    expect(skipped.every((d) => d.severity === 'info' && d.message.includes('filter'))).toBe(true);
  });

  it('report the CloudEvents sample with specversion "1" as a defect and still use its data', () => {
    const defects = result.diagnostics.filter((d) => d.code === 'W_ENVELOPE_SPEC');
    expect(defects).toEqual([
      expect.objectContaining({ line: 416, message: expect.stringContaining('"specversion" must be "1.0"') }),
    ]);
    const sources = (schema('Microsoft.Communication.ChatMessageEdited')['x-eventgen'] as { sources: { line: number }[] })
      .sources;
    expect(sources.map((s) => s.line)).toContain(416);
  });

  it('give UserDisconnected a Korean description from the mangled table row', () => {
    const meta = schema('Microsoft.Communication.UserDisconnected')['x-eventgen'] as {
      descriptions: Record<string, { text: string }>;
    };
    expect(meta.descriptions['ko-KR']?.text).toBe(
      '통신 서비스 사용자가 통신 서비스와의 연결이 끊어진 상태로 지정 된 후에 게시 됨',
    );
    expect(result.diagnostics.filter((d) => d.code === 'W_TABLE_UNMATCHED')).toEqual([]);
  });

  it('record date-time as a hint for ReceivedTimestamp of SMSReceived: no doc states its type, so it is not enforced', () => {
    const field = schema('Microsoft.Communication.SMSReceived').properties?.ReceivedTimestamp;
    expect(field).toMatchObject({ type: 'string', 'x-eventgen': { looksLike: ['date-time'] } });
    expect(field?.format).toBeUndefined();
  });

  it('enforce no uuid or uri format anywhere (GUID-looking values are hints only), and require nothing', () => {
    const all = [...result.schemas.values()].join('\n');
    expect(all).not.toMatch(/"format": "(uuid|uri)"/);
    expect(all).toContain('"looksLike"');
    for (const text of result.schemas.values()) expect(JSON.parse(text).required).toBeUndefined();
  });

  it('never make a pattern, const or enum, and never forbid unknown properties', () => {
    const all = [...result.schemas.values()].join('\n');
    expect(all).not.toMatch(/"(pattern|const|enum)"/);
    expect(all).not.toContain('"additionalProperties": false');
  });

  it('share only shapes that recur under one property name, named after it', () => {
    const defs = JSON.parse(result.schemas.get('shared.defs.json') ?? '{}').$defs;
    expect(Object.keys(defs)).toEqual(['AcsProperties']);
    expect(Object.keys(defs.AcsProperties.properties)).toEqual(['topic']);
    // memberAdded and memberRemoved look alike, but are different fields: not merged into one definition.
    const refs = [...result.schemas.values()].join('').match(/#\/\$defs\/AcsProperties/g);
    expect(refs).toHaveLength(2);
  });

  it('name the types as @azure/eventgrid does', () => {
    const data = result.generated.get('src/data.ts') ?? '';
    for (const name of [
      'AcsSmsReceivedEventData',
      'AcsSmsDeliveryReportReceivedEventData',
      'AcsChatThreadCreatedWithUserEventData',
      'AcsRecordingFileStatusUpdatedEventData',
      'AcsUserDisconnectedEventData',
    ]) {
      expect(data).toContain(`export interface ${name} {`);
    }
  });

  it('put the doc description and its source in JSDoc, with timestamps as strings', () => {
    const data = result.generated.get('src/data.ts') ?? '';
    const sms = data.slice(
      data.indexOf('Publié lorsqu’un SMS est reçu'),
      data.indexOf('export interface AcsSmsReceivedEventData'),
    );
    expect(sms).toContain('Documented at docs/event-grid-source.fr-FR.md:103.');
    expect(data).toMatch(
      /Looks like a date-time in every sample \(not enforced\)\.\s+\*\s+\* In every documented sample; optional because no doc states it is required\.\s+\*\/\s+ReceivedTimestamp\?: string;/,
    );
  });

  it('catalog every event type in generated/README.md', () => {
    const readme = result.generated.get('README.md') ?? '';
    const rows = readme.split('\n').filter((l) => l.startsWith('| `Microsoft.'));
    expect(rows).toHaveLength(12);
    expect(rows.find((r) => r.includes('SMSReceived`'))).toContain('CloudEvents 1.0, Event Grid');
  });
});
