/**
 * Evolution over real doc history: docs/ (the 2021 pages) and then a later page in the style of
 * the public corpus. Renamed fields and events are reported with the dates of the pages that show
 * each spelling, what only older pages show is deprecated (kept, never deleted), and the version
 * agrees with the change classes; curated changes, a first generation and a run that would drop
 * most events are honest about what they are.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GenerateResult } from '../generator/generate.ts';
import type { DocFile, JsonSchema } from '../generator/ir.ts';
import { summary } from '../generator/report/index.ts';
import { page, run, shippedDocs } from './helpers.ts';

const later = (name: string): DocFile => ({
  path: `test/fixtures/history/${name}`,
  text: readFileSync(new URL(`fixtures/history/${name}`, import.meta.url), 'utf8'),
});
const releaseFiles = (r: GenerateResult) =>
  new Map(['package.json', 'CHANGELOG.md'].map((f) => [f, r.generated.get(f) as string] as [string, string]));
const lines = (r: GenerateResult, eventType: string) =>
  r.changes
    .filter((c) => c.eventType === eventType)
    .map((c) => `${c.kind} ${c.field ?? ''} ${c.detail}`.replace(/ +/g, ' ').trim());
const schemaOf = (r: GenerateResult, eventType: string): JsonSchema =>
  JSON.parse(r.schemas.get(`${eventType}.schema.json`) ?? '{}');

const v1 = await run(shippedDocs());

describe('a later English SMS page rewrites the fields in camelCase', async () => {
  const v2 = await run([...shippedDocs(), later('sms-events.en-us.md')], v1.schemas, releaseFiles(v1));

  it('reports each rename with the dates of both pages, and deprecates the old spelling', () => {
    const sms = lines(v2, 'Microsoft.Communication.SMSReceived');
    expect(sms).toEqual(
      expect.arrayContaining([
        'likely-rename /messageId from /MessageId (page of 2021-02-11 vs page of 2025-01-29)',
        'likely-rename /receivedTimestamp from /ReceivedTimestamp (page of 2021-02-11 vs page of 2025-01-29)',
        'field-deprecated /MessageId only pages up to 2021-02-11 show it; the page of 2025-01-29 does not',
        'field-added /segmentCount',
      ]),
    );
    expect(sms.filter((l) => l.startsWith('likely-rename'))).toHaveLength(5);
    const schema = schemaOf(v2, 'Microsoft.Communication.SMSReceived');
    expect(schema.properties?.MessageId).toMatchObject({ deprecated: true, 'x-eventgen': { lastDocumented: '2021-02-11' } });
    expect(schema.properties?.messageId?.deprecated).toBeUndefined();
    expect(v2.generated.get('src/data.ts')).toMatch(/@deprecated[^/]*\*\/\s+MessageId\?: string;/);
  });

  it('finds renames in nested objects too, and supersedes no event of another family', () => {
    expect(lines(v2, 'Microsoft.Communication.SMSDeliveryReportReceived')).toContain(
      'likely-rename /deliveryAttempts from /DeliveryAttempts (page of 2021-02-11 vs page of 2025-01-29)',
    );
    expect(v2.changes.filter((c) => c.kind === 'event-deprecated')).toEqual([]);
  });

  it('bumps the major version, and a reviewer sees it all in one report', async () => {
    expect(v2.release).toMatchObject({ from: '1.0.0', to: '2.0.0', bump: 'major' });
    const text = summary(v2.changes, v2.release).join('\n');
    await expect(`${text}\n`).toMatchFileSnapshot('__golden__/history/sms-summary.txt');
  });

  it('reports each rename once: the next run is quiet', async () => {
    const v3 = await run([...shippedDocs(), later('sms-events.en-us.md')], v2.schemas, releaseFiles(v2));
    expect(v3.changes).toEqual([]);
    expect([...v3.schemas]).toEqual([...v2.schemas]);
  });
});

describe('a later chat page renames ChatMember… events to ChatParticipant…', async () => {
  const v2 = await run([...shippedDocs(), later('chat-events.en-us.md')], v1.schemas, releaseFiles(v1));

  it('deprecates the events only the older page shows, and links the renamed one', () => {
    expect(lines(v2, 'Microsoft.Communication.ChatMemberAddedToThreadWithUser')).toEqual([
      'event-deprecated last documented on a page of 2021-02-11; test/fixtures/history/chat-events.en-us.md (2025-01-29) documents its family without it',
    ]);
    expect(lines(v2, 'Microsoft.Communication.ChatParticipantAddedToThreadWithUser')).toEqual([
      'event-added',
      expect.stringMatching(
        /^likely-renamed-event from Microsoft\.Communication\.ChatMemberAddedToThreadWithUser \(\d+ % of their fields alike\); .* is deprecated, not deleted$/,
      ),
    ]);
    // No false partner: ChatMemberRemoved… has no sampled successor to compare with.
    expect(v2.changes.filter((c) => c.kind === 'likely-renamed-event')).toHaveLength(1);
    const old = schemaOf(v2, 'Microsoft.Communication.ChatMemberAddedToThreadWithUser');
    expect(old).toMatchObject({ deprecated: true, 'x-eventgen': { supersededBy: { date: '2025-01-29' } } });
    expect(old.properties).toHaveProperty('memberAdded');
    expect(v2.generated.get('src/data.ts')).toMatch(
      /@deprecated[\s\S]*?export interface AcsChatMemberAddedToThreadWithUserEventData/,
    );
    expect(v2.release.bump).toBe('major');
  });

  it('shows the deprecation and the rename on the catalog page, with the changelog entry that reported them', () => {
    const html = v2.catalog.get('index.html') as string;
    const article = (eventType: string) =>
      html.match(new RegExp(`<article class="event" id="${eventType.replace(/\./g, '\\.')}"[\\s\\S]*?</article>`))?.[0] ?? '';
    const old = article('Microsoft.Communication.ChatMemberAddedToThreadWithUser');
    expect(old).toContain('<span class="badge">deprecated</span>');
    expect(old).toContain(
      '<li>Deprecated: last documented on a page of 2021-02-11; test/fixtures/history/chat-events.en-us.md (2025-01-29) documents its family without it.</li>',
    );
    expect(old).toMatch(new RegExp(`<li><strong>${v2.release.to.replace(/\./g, '\\.')}</strong>\n<ul>\n<li>event deprecated`));
    const renamed = article('Microsoft.Communication.ChatParticipantAddedToThreadWithUser');
    expect(renamed).toMatch(
      /<li>\d+\.\d+\.\d+: likely renamed event: from Microsoft\.Communication\.ChatMemberAddedToThreadWithUser/,
    );
  });
});

describe('honest versions', () => {
  it('classifies a curated enum or required like any change: narrowing is breaking; removing it loosens', async () => {
    const file = 'Microsoft.Communication.SMSDeliveryReportReceived.schema.json';
    const curated = JSON.parse(v1.schemas.get(file) as string);
    curated.properties.DeliveryStatus.enum = ['Delivered', 'Failed'];
    curated.required = ['MessageId'];
    const narrowed = await run(shippedDocs(), new Map(v1.schemas).set(file, JSON.stringify(curated)), releaseFiles(v1));
    expect(lines(narrowed, 'Microsoft.Communication.SMSDeliveryReportReceived')).toEqual([
      'curated-narrowed / "required" set to ["MessageId"] in schemas/',
      'curated-narrowed /DeliveryStatus "enum" set to ["Delivered","Failed"] in schemas/',
    ]);
    expect(narrowed.release).toMatchObject({ from: '1.0.0', to: '2.0.0', bump: 'major' });
    // Unchanged curation is not reported again.
    const again = await run(shippedDocs(), narrowed.schemas, releaseFiles(narrowed));
    expect(again.changes).toEqual([]);
    // Taking the enum away loosens the contract.
    const loose = JSON.parse(narrowed.schemas.get(file) as string);
    delete loose.properties.DeliveryStatus.enum;
    const loosened = await run(shippedDocs(), new Map(narrowed.schemas).set(file, JSON.stringify(loose)), releaseFiles(narrowed));
    expect(lines(loosened, 'Microsoft.Communication.SMSDeliveryReportReceived')).toEqual([
      'curated-loosened /DeliveryStatus "enum" ["Delivered","Failed"] no longer set in schemas/',
    ]);
    expect(loosened.release.bump).toBe('major');
  });

  it('calls the first run into a new output folder a first generation, whatever schemas/ holds', async () => {
    const fresh = await run(shippedDocs(), v1.schemas);
    expect(fresh.release).toMatchObject({ first: true, to: '1.0.0' });
    expect(summary(fresh.changes, fresh.release)).toEqual(['Version: 1.0.0 (first generation)']);
    expect(fresh.generated.get('CHANGELOG.md')).toContain('## 1.0.0\n\n- First generation: 12 event types.');
  });

  it('stops when a run would mark most known events undocumented, unless removal is allowed', async () => {
    const empty = [{ path: 'elsewhere/notes.md', text: page('No samples here.') }];
    const stopped = await run(empty, v1.schemas, releaseFiles(v1));
    expect(
      stopped.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`),
    ).toEqual([
      'elsewhere/notes.md:1 E_MASS_REMOVAL this run would mark 12 of the 12 known event types as no longer documented; --docs gave elsewhere/notes.md',
    ]);
    const allowed = await run(empty, v1.schemas, releaseFiles(v1), { allowRemoval: true });
    expect(allowed.stats.errors).toBe(0);
    expect(allowed.changes.filter((c) => c.kind === 'event-undocumented')).toHaveLength(12);
  });
});
