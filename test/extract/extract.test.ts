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
        given: page(`\`\`\`json\n[{ "eventType": "A.B.C" "data": {} }]\n\`\`\`\n\n${fence([sms])}`),
        want: { samples: 1, diagnostics: ['a.md:8 error E_JSON_SYNTAX'] },
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
    const { diagnostics } = extract([{ path: 'a.md', text: page('```json\n[{ "eventType": "A.B.C" "data": {} }]\n```') }]);
    expect(diagnostics[0]).toMatchObject({ code: 'E_JSON_SYNTAX', line: 8, column: 25 });
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

  it('reports a row that matches no sample', () => {
    const { diagnostics } = describeOne(table(['Contoso.Sms.Received | a', 'Contoso.Sms.Sent | b']));
    expect(codes(diagnostics)).toEqual(['a.md:10 warning W_TABLE_UNMATCHED']);
    expect(diagnostics[0]?.message).toContain('Contoso.Sms.Sent');
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
