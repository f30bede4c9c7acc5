/**
 * What pages state, read by content: event lists under any header, property tables headed with any
 * word, code models, prose values, and the evidence rules for numbers, formats, families and
 * recurring shapes. Each case is a page as a service documents it and what a reader sees on it.
 */
import { describe, expect, it } from 'vitest';
import { extract } from '../../generator/extract/index.ts';
import { infer } from '../../generator/infer/index.ts';
import type { JsonSchema } from '../../generator/ir.ts';
import { egEvent, fence, page } from '../helpers.ts';

function schemas(...texts: string[]) {
  const { extraction, diagnostics } = extract(texts.map((text, i) => ({ path: `p${i}.md`, text })));
  const inferred = infer(extraction, { locales: ['en'] });
  const byType = new Map(inferred.schemas.events.map((e) => [e.eventType, e.schema]));
  return { byType, extraction, diagnostics: [...diagnostics, ...inferred.diagnostics] };
}

const at = (schema: JsonSchema | undefined, ...path: string[]): JsonSchema | undefined =>
  path.reduce<JsonSchema | undefined>(
    (s, key) => (key === '[]' ? (s?.items as JsonSchema | undefined) : s?.properties?.[key]),
    schema,
  );

describe('event lists by content', () => {
  it('reads a table headed "Event full name" as an event list: every listed type is known', () => {
    const text = page(
      [
        '| Event full name | Event display name | Description |',
        '| --- | --- | --- |',
        '| `Microsoft.KeyVault.CertificateNewVersionCreated` | Certificate New Version Created | Triggered when a new certificate or new certificate version is created. |',
        '| Microsoft.KeyVault.CertificateNearExpiry | Certificate Near Expiry | Triggered when the current version of a certificate is about to expire. |',
        '| [Microsoft.KeyVault.SecretExpired](#secret-expired) (preview) | Secret Expired | Triggered when a secret has expired. |',
        '',
        fence([egEvent('Microsoft.KeyVault.CertificateNearExpiry', { Id: 'https://kv/x', 'ObjectName ': 'kv' })]),
        '| Property | Type | Description |',
        '| --- | --- | --- |',
        '| `id` | string | The ID of the object that triggered this event |',
        '| `ObjectName` | string | The name of the object |',
      ].join('\n'),
    );
    const { byType, extraction } = schemas(text);
    // Rows match keys ignoring case and the spaces a sample left around a key.
    expect(at(byType.get('Microsoft.KeyVault.CertificateNearExpiry'), 'ObjectName ')?.description).toBe('The name of the object');
    expect(at(byType.get('Microsoft.KeyVault.CertificateNearExpiry'), 'Id')?.description).toBe(
      'The ID of the object that triggered this event',
    );
    expect([...byType.keys()].sort()).toEqual([
      'Microsoft.KeyVault.CertificateNearExpiry',
      'Microsoft.KeyVault.CertificateNewVersionCreated',
      'Microsoft.KeyVault.SecretExpired',
    ]);
    expect(byType.get('Microsoft.KeyVault.SecretExpired')?.description).toBe('Triggered when a secret has expired.');
    expect(extraction.propertyTables).toHaveLength(1);
  });

  it('reads `Provider.Service/resource.Event` as the event the samples spell without the resource type, and says so', () => {
    const text = page(
      [
        '| Kind | What happens |',
        '| --- | --- |',
        '| Microsoft.Web/sites.SlotSwapStarted | Triggered when a slot swap has started |',
        '| Microsoft.Web/serverfarms.AppServicePlanUpdated | Triggered when an App Service Plan is updated |',
        '',
        fence([egEvent('Microsoft.Web.SlotSwapStarted', { siteName: 's' })]),
      ].join('\n'),
    );
    const { byType, diagnostics } = schemas(text);
    expect([...byType.keys()].sort()).toEqual(['Microsoft.Web.AppServicePlanUpdated', 'Microsoft.Web.SlotSwapStarted']);
    expect(byType.get('Microsoft.Web.SlotSwapStarted')?.description).toBe('Triggered when a slot swap has started');
    expect(diagnostics.filter((d) => d.code === 'I_LISTED_SPELLING').map((d) => d.message)).toEqual([
      'the table lists "Microsoft.Web/sites.SlotSwapStarted"; the samples spell it Microsoft.Web.SlotSwapStarted',
      'the table lists "Microsoft.Web/serverfarms.AppServicePlanUpdated"; read as Microsoft.Web.AppServicePlanUpdated',
    ]);
  });

  it('knows event types a page names as a heading or a list item of their own', () => {
    const text = page(
      [
        'The service sends:',
        '',
        '- `Microsoft.KeyVault.SecretNewVersionCreated`: a secret version was created',
        '- Microsoft.KeyVault.SecretNearExpiry (preview)',
        '- Read about Microsoft.KeyVault.Other events in the overview.',
        '',
        '### Microsoft.KeyVault.VaultAccessPolicyChanged event',
        '',
        fence([egEvent('Microsoft.KeyVault.SecretExpired', { Id: 'x' })]),
      ].join('\n'),
    );
    expect([...schemas(text).byType.keys()].sort()).toEqual([
      'Microsoft.KeyVault.SecretExpired',
      'Microsoft.KeyVault.SecretNearExpiry',
      'Microsoft.KeyVault.SecretNewVersionCreated',
      'Microsoft.KeyVault.VaultAccessPolicyChanged',
    ]);
  });

  it('never reads a status-code table as an event list or a property table', () => {
    const text = page(
      [
        '| Code | Meaning |',
        '| --- | --- |',
        '| 200 | OK |',
        '| 400 | Bad request |',
        '',
        fence([egEvent('A.B.Sent', { status: 'x' })]),
      ].join('\n'),
    );
    const { byType, extraction } = schemas(text);
    expect([...byType.keys()]).toEqual(['A.B.Sent']);
    expect(extraction.propertyTables).toEqual([]);
  });
});

describe('samples wherever they are', () => {
  it('takes events from ```js object literals, unlabelled fences and indented blocks, with a warning on the line', () => {
    const text = page(
      [
        '```js',
        '{',
        "    id:'7c5d6de5-eb70-4de2-b788-c52a544e68b8',",
        "    subject:'/Microsoft.Web/sites/<site-name>',",
        "    eventType:'Microsoft.Web.RestoreOperationStarted,",
        "    eventTime:'2020-01-28T18:26:51.7194887Z',",
        '    data: {',
        "        siteName: 'site', // a comment",
        "        verb:'POST'",
        '        sourceSlot: "staging",',
        '    }',
        "    topic:'/subscriptions/<id>',",
        "    dataVersion:'1',",
        "    metaDataVersion:'1'",
        '}',
        '```',
        '',
        '```',
        JSON.stringify([egEvent('A.B.Plain', { n: 1 })]),
        '```',
        '',
        'An indented block:',
        '',
        `    ${JSON.stringify([egEvent('A.B.Indented', { n: 1 })])}`,
        '',
        '```js',
        'module.exports = function (context, event) { context.log(event.data); };',
        'const settings = { retries: 3 };',
        '```',
      ].join('\n'),
    );
    const { byType, diagnostics } = schemas(text);
    expect([...byType.keys()].sort()).toEqual(['A.B.Indented', 'A.B.Plain', 'Microsoft.Web.RestoreOperationStarted']);
    expect(Object.keys(byType.get('Microsoft.Web.RestoreOperationStarted')?.properties ?? {})).toEqual([
      'siteName',
      'verb',
      'sourceSlot',
    ]);
    const repairs = diagnostics.filter((d) => d.code === 'W_JSON_REPAIRED').map((d) => `${d.line} ${d.message}`);
    expect(repairs[0]).toBe(
      '8 JavaScript object literal read as JSON (unquoted keys, single-quoted strings, an unterminated string)',
    );
    expect(repairs.some((r) => r.includes('missing comma'))).toBe(true);
    // The handler code beside the samples is skipped without a word.
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('property tables by content', () => {
  const router = page(
    [
      '### Microsoft.Communication.RouterJobReceived',
      '',
      fence([
        egEvent('Microsoft.Communication.RouterJobReceived', {
          jobId: 'j',
          jobStatus: 'PendingClassification',
          priority: 1,
          labels: { Locale: 'en-us', Segment: 'Enterprise' },
          requestedWorkerSelectors: [{ key: 'k', value: 5, ttlSeconds: 36 }],
          scheduledOn: '2022-02-17T00:55:25.1736293Z',
        }),
      ]),
      '| Attribute | Type | Nullable | Description | Notes |',
      '|:--------- |:---- |:--------:| ----------- | ----- |',
      '| `jobId` | `string` | ❌ | The job. |',
      '| jobStatus | `enum` | ❌ | Possible values PendingClassification, Queued | When this event is sent out, classification is yet to run.',
      '| `priority` | `int` | ✔️ | Null if no classification policy |',
      '| `labels` | `Dictionary<string, object>` | ✔️ | Based on user input |',
      '| `requestedWorkerSelectors` | `List<WorkerSelector>` | ✔️ | Based on user input |',
      '| `scheduledOn` | `DateTimeOffset` | ✔️ | When the job is scheduled |',
      '',
      '```csharp',
      'public class WorkerSelector',
      '{',
      '    public string Key { get; set; }',
      '    public object Value { get; set; }',
      '    public double? TTLSeconds { get; set; }',
      '}',
      '```',
    ].join('\n'),
  );

  it('reads an "Attribute" table: descriptions, Nullable marks, dictionary and list types, a stated date-time', () => {
    const schema = schemas(router).byType.get('Microsoft.Communication.RouterJobReceived');
    expect(at(schema, 'jobId')).toMatchObject({ type: 'string', description: 'The job.' });
    // A Notes column follows the description; plain-text values after "Possible values" are known values.
    expect(at(schema, 'jobStatus')).toMatchObject({
      type: 'string',
      description: 'Possible values PendingClassification, Queued When this event is sent out, classification is yet to run.',
    });
    expect(at(schema, 'jobStatus')?.['x-eventgen']).toMatchObject({ knownValues: ['PendingClassification', 'Queued'] });
    expect(at(schema, 'priority')).toMatchObject({ type: ['integer', 'null'] });
    expect(at(schema, 'labels')).toMatchObject({ type: ['object', 'null'], additionalProperties: {} });
    expect(at(schema, 'requestedWorkerSelectors')?.type).toEqual(['array', 'null']);
    expect(at(schema, 'scheduledOn')).toMatchObject({ type: ['string', 'null'], format: 'date-time' });
  });

  it('reads a C# model: `object` is any value, `double?` a nullable number, members matched ignoring case', () => {
    const schema = schemas(router).byType.get('Microsoft.Communication.RouterJobReceived');
    const selector = at(schema, 'requestedWorkerSelectors', '[]');
    expect(at(selector, 'value')?.type).toBeUndefined();
    expect(at(selector, 'ttlSeconds')?.type).toEqual(['number', 'null']);
    expect(at(selector, 'key')?.type).toBe('string');
  });

  it('gives the same schema whatever word heads the name column', () => {
    const base = JSON.stringify(schemas(router).byType.get('Microsoft.Communication.RouterJobReceived'));
    for (const word of ['Property', 'Name', 'Eigenschaft', '속성', 'Zorglub']) {
      const renamed = router.replace('| Attribute |', `| ${word} |`);
      expect(JSON.stringify(schemas(renamed).byType.get('Microsoft.Communication.RouterJobReceived'))).toBe(base);
    }
  });
});

describe('evidence rules', () => {
  it('a whole number is a number unless a table says int; a date-time from samples is a hint', () => {
    const { byType } = schemas(page(fence([egEvent('A.B.C', { n: 3, at: '2024-01-01T00:00:00Z' })])));
    const schema = byType.get('A.B.C');
    expect(at(schema, 'n')?.type).toBe('number');
    expect(at(schema, 'at')).toEqual({ type: 'string', 'x-eventgen': expect.objectContaining({ looksLike: ['date-time'] }) });
  });

  it('events of one family accept every type the family shows for a field, with one warning', () => {
    const { byType, diagnostics } = schemas(
      page(
        [
          fence([egEvent('Microsoft.Communication.ChatMessageReceived', { version: 1628 })]),
          fence([egEvent('Microsoft.Communication.ChatMessageReceivedInThread', { version: '1628' })]),
          fence([egEvent('Microsoft.Communication.SMSReceived', { version: 'v' })]),
        ].join('\n'),
      ),
    );
    expect(at(byType.get('Microsoft.Communication.ChatMessageReceived'), 'version')?.type).toEqual(['string', 'number']);
    expect(at(byType.get('Microsoft.Communication.ChatMessageReceivedInThread'), 'version')?.type).toEqual(['string', 'number']);
    expect(at(byType.get('Microsoft.Communication.SMSReceived'), 'version')?.type).toBe('string');
    const family = diagnostics.filter((d) => d.code === 'W_FAMILY_TYPES');
    expect(family).toHaveLength(1);
    expect(family[0]?.message).toContain('p0.md:');
  });

  it('communication identifiers collect every variant member seen anywhere, all optional', () => {
    const { byType } = schemas(
      page(
        [
          fence([egEvent('A.Chat.Added', { user: { rawId: '8:acs:1', communicationUser: { id: '8:acs:1' } } })]),
          fence([egEvent('A.Call.Ended', { caller: { rawId: '4:+1555', phoneNumber: { value: '+1555' } } })]),
        ].join('\n'),
      ),
    );
    const user = at(byType.get('A.Chat.Added'), 'user');
    expect(Object.keys(user?.properties ?? {})).toEqual(['rawId', 'communicationUser', 'phoneNumber']);
    expect(user?.required).toBeUndefined();
    expect(Object.keys(at(byType.get('A.Call.Ended'), 'caller')?.properties ?? {})).toEqual([
      'rawId',
      'phoneNumber',
      'communicationUser',
    ]);
  });

  it('prose values attach only to a field of the event their heading names, exact spelling first, and create none', () => {
    const text = page(
      [
        '### Microsoft.Communication.EmailEngagementTrackingReportReceived',
        '',
        fence([
          egEvent('Microsoft.Communication.EmailEngagementTrackingReportReceived', {
            engagementType: 'view',
            engagementContext: 'x',
          }),
        ]),
        'Possible values for `engagementType` are `view` and `click`; `engagementContext` holds the link.',
        '',
        'Possible values for `recipientStatus` are `Opened` and `Bounced`.',
        '',
        '### Microsoft.Communication.SMSDeliveryReportReceived',
        '',
        fence([egEvent('Microsoft.Communication.SMSDeliveryReportReceived', { DeliveryStatus: 'Delivered' })]),
        fence([egEvent('Microsoft.Communication.SMSDeliveryReportReceived', { deliveryStatus: 'Delivered' })]),
        'Possible values for deliveryStatus are:',
        '',
        '- `Delivered`',
        '- `Failed` - the message was not delivered',
        '- Expired',
      ].join('\n'),
    );
    const { byType } = schemas(text);
    const email = byType.get('Microsoft.Communication.EmailEngagementTrackingReportReceived');
    expect(Object.keys(email?.properties ?? {})).toEqual(['engagementType', 'engagementContext']);
    expect(at(email, 'engagementType')?.['x-eventgen']).toMatchObject({ knownValues: ['view', 'click'] });
    expect(at(email, 'engagementContext')?.['x-eventgen']).not.toHaveProperty('knownValues');
    const sms = byType.get('Microsoft.Communication.SMSDeliveryReportReceived');
    expect(at(sms, 'deliveryStatus')?.['x-eventgen']).toMatchObject({ knownValues: ['Delivered', 'Failed', 'Expired'] });
    expect(at(sms, 'DeliveryStatus')?.['x-eventgen']).not.toHaveProperty('knownValues');
  });
});
