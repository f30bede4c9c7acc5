import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../generator/diagnostics.ts';
import { extract } from '../../generator/extract/index.ts';
import { egEvent, fence, page } from '../helpers.ts';

const sms = egEvent('Contoso.Sms.Received', { MessageId: 'm1', From: '1555' });
const ce = { id: '1', source: '/s', type: 'Contoso.Sms.Received', specversion: '1.0', data: { MessageId: 'm1', From: '1555' } };

const codes = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.file}:${d.line} ${d.severity} ${d.code}`);

describe('extract', () => {
  const cases: [string, { given: string; want: { samples: number; types?: string[]; diagnostics?: string[] } }][] = [
    ['a ```json fence', { given: page(fence([sms])), want: { samples: 1, types: ['Contoso.Sms.Received'] } }],
    [
      'a ~~~ fence with an upper-case info string',
      { given: page(`~~~~JSON\n${JSON.stringify([sms])}\n~~~~`), want: { samples: 1 } },
    ],
    [
      'a jsonc fence with a comment',
      {
        given: page(`\`\`\`jsonc\n[ // one event\n${JSON.stringify(sms)}]\n\`\`\``),
        want: { samples: 1, diagnostics: ['a.md:8 warning W_JSON_REPAIRED'] },
      },
    ],
    ['CRLF line endings', { given: page(fence([sms])).replace(/\n/g, '\r\n'), want: { samples: 1 } }],
    [
      'fences that are not JSON are ignored',
      { given: page('```js\nconst x = {\n```\n\n```\nnot json\n```'), want: { samples: 0 } },
    ],
    [
      'a trailing comma is repaired with a warning on its line',
      {
        given: page(
          '```json\n[{\n  "eventType": "A.B.C",\n  "data": { "x": 1, },\n  "id": "1", "subject": "s", "dataVersion": "1", "eventTime": "2024-01-01T00:00:00Z"\n}]\n```',
        ),
        want: { samples: 1, diagnostics: ['a.md:10 warning W_JSON_REPAIRED'] },
      },
    ],
    [
      'an unparseable block is an error with line and column; the next block still counts',
      {
        given: page(`\`\`\`json\n[{ "eventType": "A.B.C", "data": {] }]\n\`\`\`\n\n${fence([sms])}`),
        want: { samples: 1, diagnostics: ['a.md:8 error E_JSON_SYNTAX'] },
      },
    ],
    [
      'a missing comma between two members is repaired',
      {
        given: page(
          '```json\n[{ "eventType": "A.B.C", "id": "1", "subject": "s", "dataVersion": "", "eventTime": "2024-01-01T00:00:00Z"\n "data": {} }]\n```',
        ),
        want: { samples: 1, diagnostics: ['a.md:8 warning W_JSON_REPAIRED'] },
      },
    ],
    [
      'an unquoted placeholder and an unterminated placeholder string are repaired, each on its line',
      {
        given: page(
          '```json\n[{\n  "type": "A.B.C", "source": "/s", "id": "1", "specversion": "1.0",\n  "data": {\n    "n": <sequence-number>,\n    "tenantId": "<tenant-id>\n  }\n}]\n```',
        ),
        want: { samples: 1, diagnostics: ['a.md:11 warning W_JSON_REPAIRED', 'a.md:12 warning W_JSON_REPAIRED'] },
      },
    ],
    [
      'a missing value is repaired: the field is kept',
      {
        given: page(
          '```json\n[{"eventType": "A.B.C", "data": {"size": ,\n "b": 1}, "id": "1", "subject": "s", "dataVersion": "", "eventTime": "2024-01-01T00:00:00Z"}]\n```',
        ),
        want: { samples: 1, diagnostics: ['a.md:8 warning W_JSON_REPAIRED'] },
      },
    ],
    [
      'capitalised and camel-case CloudEvents attributes are recognised and reported',
      {
        given: page(
          fence([{ Type: 'A.B.C', source: '/s', id: '1', specVersion: '1.0', Time: '2024-01-01T00:00:00Z', data: {} }]),
        ),
        want: {
          samples: 1,
          types: ['A.B.C'],
          diagnostics: ['a.md:9 warning W_ENVELOPE_SPEC', 'a.md:9 warning W_ENVELOPE_SPEC', 'a.md:9 warning W_ENVELOPE_SPEC'],
        },
      },
    ],
    [
      'specversion as the number 1.0 and eventTime in a CloudEvent',
      {
        given: page(
          '```json\n{"type": "A.B.C", "source": "/s", "id": "1", "specversion": 1.0, "eventTime": "2024-01-01T00:00:00Z", "data": {}}\n```',
        ),
        want: { samples: 1, diagnostics: ['a.md:8 warning W_ENVELOPE_SPEC', 'a.md:8 warning W_ENVELOPE_SPEC'] },
      },
    ],
    [
      'an Event Grid sample written as a bare object',
      {
        given: page(`\`\`\`json\n${JSON.stringify(sms)}\n\`\`\``),
        want: { samples: 1, diagnostics: ['a.md:8 warning W_ENVELOPE_SPEC'] },
      },
    ],
    [
      'an event type that is not a dotted name is skipped (it would reach generated code)',
      {
        given: page(fence([egEvent('A.B*/alert(1)/*', {}), egEvent('A.B\u2028C', {}), egEvent('x'.repeat(300), {})])),
        want: {
          samples: 0,
          diagnostics: [
            'a.md:9 warning W_EVENT_TYPE_INVALID',
            'a.md:19 warning W_EVENT_TYPE_INVALID',
            'a.md:29 warning W_EVENT_TYPE_INVALID',
          ],
        },
      },
    ],
    [
      'a key repeated in one object is reported',
      {
        given: page(
          '```json\n[{"eventType": "A.B.C", "data": {"x": 1, "x": 2}, "id": "1", "subject": "s", "dataVersion": "", "eventTime": "2024-01-01T00:00:00Z"}]\n```',
        ),
        want: { samples: 1, diagnostics: ['a.md:8 warning W_JSON_DUPLICATE_KEY'] },
      },
    ],
    [
      'a filter fragment is skipped with an info diagnostic',
      {
        given: page('```json\n"filter": {\n  "includedEventTypes": ["A.B.C"],\n}\n```'),
        want: { samples: 0, diagnostics: ['a.md:8 info I_NOT_AN_EVENT'] },
      },
    ],
    [
      'a JSON value that is no event is skipped',
      { given: page(fence([{ hello: 'world' }])), want: { samples: 0, diagnostics: ['a.md:9 info I_NOT_AN_EVENT'] } },
    ],
    ['a CloudEvent', { given: page(fence([ce])), want: { samples: 1, types: ['Contoso.Sms.Received'] } }],
    [
      'specversion "1" is an envelope defect but the data is used',
      {
        given: page(fence([{ ...ce, specversion: '1' }])),
        want: { samples: 1, diagnostics: ['a.md:9 warning W_ENVELOPE_SPEC'] },
      },
    ],
    [
      'an Event Grid event without eventTime is a defect',
      {
        given: page(fence([{ ...sms, eventTime: undefined }])),
        want: { samples: 1, diagnostics: ['a.md:9 warning W_ENVELOPE_SPEC'] },
      },
    ],
    [
      'an event without data',
      { given: page(fence([{ ...sms, data: undefined }])), want: { samples: 0, diagnostics: ['a.md:9 warning W_NO_DATA'] } },
    ],
    [
      'an event without a type',
      { given: page(fence([{ ...ce, type: 7 }])), want: { samples: 0, diagnostics: ['a.md:9 warning W_NO_EVENT_TYPE'] } },
    ],
    [
      'each event of an array gets its own line',
      {
        given: page(
          fence([
            { ...sms, specversion: undefined },
            { ...ce, specversion: '2' },
          ]),
        ),
        want: { samples: 2, diagnostics: ['a.md:22 warning W_ENVELOPE_SPEC'] },
      },
    ],
  ];
  it.each(cases)('%s', (_, { given, want }) => {
    const { extraction, diagnostics } = extract([{ path: 'a.md', text: given }]);
    expect(extraction.rawSampleCount).toBe(want.samples);
    if (want.types) expect(extraction.samples.map((s) => s.eventType)).toEqual(want.types);
    expect(codes(diagnostics)).toEqual(want.diagnostics ?? []);
  });

  it('gives a syntax error its column', () => {
    const { diagnostics } = extract([{ path: 'a.md', text: page('```json\n[{ "eventType": "A.B.C", "data": {] }]\n```') }]);
    expect(diagnostics[0]).toMatchObject({ code: 'E_JSON_SYNTAX', line: 8, column: 35 });
  });

  it('reads a .txt page as markdown and gives each sample its page date', () => {
    const text = `---\nms.date: 02/11/2021\n---\n${fence([sms])}`;
    const { extraction } = extract([{ path: 'a.txt', text }]);
    expect(extraction.samples[0]?.sources[0]).toMatchObject({ file: 'a.txt', date: '2021-02-11' });
  });

  it('counts identical samples once and keeps every source', () => {
    const { extraction } = extract([
      { path: 'b.md', text: page(fence([sms]), 'ko-KR') },
      { path: 'a.md', text: page(fence([sms]) + fence([ce]), 'fr-FR') },
    ]);
    expect(extraction.rawSampleCount).toBe(3);
    expect(extraction.samples).toHaveLength(1);
    expect(extraction.samples[0]?.sources).toEqual([
      { file: 'a.md', line: 9, locale: 'fr-FR', envelope: 'eventgrid' },
      { file: 'a.md', line: 26, locale: 'fr-FR', envelope: 'cloudevents' },
      { file: 'b.md', line: 9, locale: 'ko-KR', envelope: 'eventgrid' },
    ]);
  });

  it('reports front matter that is not YAML, and falls back to en-US', () => {
    const text = `---\ntitle: ok\nms.contentlocale: [fr-FR\n---\n# x\n\n${fence([sms])}`;
    const { extraction, diagnostics } = extract([{ path: 'a.md', text }]);
    expect(codes(diagnostics)).toEqual(['a.md:3 warning W_FRONT_MATTER']);
    expect(extraction.samples[0]?.sources[0]?.locale).toBe('en-US');
  });

  it('reads a plain JSON sample file', () => {
    const { extraction } = extract([{ path: 'new.json', text: JSON.stringify(sms) }]);
    expect(extraction.samples[0]?.sources[0]).toMatchObject({ file: 'new.json', line: 1, locale: 'en-US' });
  });

  it('keeps a "__proto__" key as data, not as a prototype', () => {
    const text = page('```json\n[{"eventType":"A.B.C","data":{"__proto__":{"polluted":true},"x":1}}]\n```');
    const { extraction } = extract([{ path: 'a.md', text }]);
    const data = extraction.samples[0]?.data as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('event-type tables', () => {
  const table = (rows: string[]) => `| Event type | Description |\n| --- | --- |\n${rows.map((r) => `| ${r} |`).join('\n')}\n\n`;
  const describeOne = (body: string, locale = 'en-US') => extract([{ path: 'a.md', text: page(body + fence([sms]), locale) }]);

  it.each([
    ['exact name', 'Contoso.Sms.Received | Sent when an SMS arrives.'],
    ['footnote mark', 'Contoso.Sms.Received* | Sent when an SMS arrives.'],
    ['code span', '`Contoso.Sms.Received` | Sent when an SMS arrives.'],
    ['mangled by machine translation', 'Contoso Sms. Received | Sent when an SMS arrives.'],
  ])('attaches a description despite: %s', (_, row) => {
    const { extraction, diagnostics } = describeOne(table([row]));
    expect(extraction.descriptions).toEqual([
      {
        eventType: 'Contoso.Sms.Received',
        locale: 'en-US',
        text: 'Sent when an SMS arrives.',
        source: { file: 'a.md', line: 9 },
      },
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('keeps an event type listed without a sample, with one summary line', () => {
    const { extraction, diagnostics } = describeOne(
      table(['Contoso.Sms.Received | a', 'Contoso.Sms.Sent (preview) | b', '`Contoso.Sms.Failed` | c']),
    );
    expect(extraction.listedOnly.map((l) => l.eventType)).toEqual(['Contoso.Sms.Sent', 'Contoso.Sms.Failed']);
    expect(extraction.descriptions.map((d) => d.text)).toEqual(['a', 'b', 'c']);
    expect(codes(diagnostics)).toEqual(['a.md:10 info I_LISTED_WITHOUT_SAMPLE']);
    expect(diagnostics[0]?.message).toContain('2 event types');
  });

  it('reports a row whose name is mangled beyond use', () => {
    const { diagnostics } = describeOne(table(['Contoso.Sms.Received | a', 'Contoso Sms Sent | b']));
    expect(codes(diagnostics)).toEqual(['a.md:10 warning W_TABLE_UNMATCHED']);
  });

  it('matches a short name to the page sample, and takes the description column by its header', () => {
    const { extraction } = describeOne('| 설명 | 이벤트 유형 |\n| --- | --- |\n| 수신됨 | Received |\n\n', 'ko-KR');
    expect(extraction.descriptions[0]).toMatchObject({ eventType: 'Contoso.Sms.Received', text: '수신됨' });
  });

  it('prefers the newest page when two pages describe an event differently, and says so', () => {
    const dated = (date: string, text: string) =>
      `---\nms.date: ${date}\n---\n| Event type | Description |\n| --- | --- |\n| Contoso.Sms.Received | ${text} |\n\n${fence([sms])}`;
    const { extraction, diagnostics } = extract([
      { path: 'a.md', text: dated('05/01/2025', 'new text') },
      { path: 'b.md', text: dated('01/12/2019', 'old text') },
    ]);
    expect(extraction.descriptions.map((d) => d.text)).toEqual(['new text']);
    expect(codes(diagnostics)).toEqual(['b.md:6 warning W_DESCRIPTION_CONFLICT']);
    expect(diagnostics[0]?.message).toContain('the newer page (of 2025-05-01) wins');
  });

  it('reads property tables in any locale: type, description, required, known values', () => {
    const body =
      '| Eigenschaft | Typ | Erforderlich | BESCHREIBUNG |\n| --- | --- | --- | --- |\n' +
      '| `From` | Zeichenfolge | Ja | Absender |\n| `Status` | string | Nein | Valid values are "Delivered" or `Failed`. |\n\n';
    const { extraction } = describeOne(body, 'de-DE');
    expect(extraction.propertyTables).toEqual([
      {
        file: 'a.md',
        line: 7,
        locale: 'de-DE',
        rows: [
          { name: 'From', type: 'Zeichenfolge', description: 'Absender', required: true, values: [], line: 9 },
          {
            name: 'Status',
            type: 'string',
            description: 'Valid values are "Delivered" or Failed.',
            required: false,
            values: ['Delivered', 'Failed'],
            line: 10,
          },
        ],
      },
    ]);
  });

  it('ignores tables that are not about event types', () => {
    const { extraction, diagnostics } = describeOne('| Prefix | Entity |\n| --- | --- |\n| `phonenumber/` | phone |\n\n');
    expect(extraction.descriptions).toEqual([]);
    expect(diagnostics).toEqual([]);
  });

  it('keeps the page locale from the front matter', () => {
    const { extraction } = describeOne(table(['Contoso.Sms.Received | 수신']), 'ko-KR');
    expect(extraction.descriptions[0]?.locale).toBe('ko-KR');
  });
});

describe('hostile sizes', () => {
  // Linear-time name handling: a quadratic pattern takes minutes on these inputs, a linear one milliseconds,
  // so the default timeout tells them apart on any machine without timing anything here.
  it('reads a table row and a sample whose event names are a million characters long', () => {
    const long = `Contoso.${'A'.repeat(500_000)}${' '.repeat(500_000)}x`;
    const table = `| Event type | Description |\n| --- | --- |\n| ${long} | d |\n| ${'('.repeat(300_000)} | e |\n\n`;
    const { extraction, diagnostics } = extract([
      { path: 'a.md', text: page(table + fence([sms, egEvent(long, {}), egEvent(`A.${'b'.repeat(1_000_000)}`, {})])) },
    ]);
    expect(extraction.samples.map((s) => s.eventType)).toEqual(['Contoso.Sms.Received']);
    expect(diagnostics.map((d) => d.code)).toContain('W_EVENT_TYPE_INVALID');
  });
});
