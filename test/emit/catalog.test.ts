/**
 * The catalog model and what is written from it: the README catalog, the HTML page (every doc text
 * HTML-escaped) and the AsyncAPI 3.0 document (accepted by @asyncapi/parser; its payloads keep every
 * verdict of the reviewed schemas on the doc samples).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import Ajv07 from 'ajv';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../generator/ajv.ts';
import { toDraft07 } from '../../generator/emit/asyncapi.ts';
import { changelogByEvent } from '../../generator/emit/catalog.ts';
import { fixtureModel } from '../../generator/emit/fixtures.ts';
import { formats } from '../../generator/formats.mjs';
import type { FileMap, JsonSchema } from '../../generator/ir.ts';
import { splitPointer } from '../../generator/pointer.ts';
import { corpusDocs, egEvent, fence, page, ROOT, run, shippedDocs } from '../helpers.ts';
import { validation } from '../runtime/catalog.ts';

const shipped = await run(shippedDocs());
const corpus = await run(corpusDocs(), new Map(), new Map(), { keepGoing: true });

const eventSchemas = (files: FileMap) =>
  [...files]
    .filter(([name]) => name.endsWith('.schema.json'))
    .map(([, text]) => JSON.parse(text) as JsonSchema & { title: string });
const sharedOf = (files: FileMap) =>
  ((JSON.parse(files.get('shared.defs.json') ?? '{}') as { $defs?: Record<string, JsonSchema> }).$defs ?? {}) as Record<
    string,
    JsonSchema
  >;

/** The fixture model's data with one mutant applied (a member dropped, or a value set), as the generated fixtures apply it. */
function mutated(data: unknown, mutant: { op: 'drop' | 'set'; path: string; value?: unknown }): unknown {
  const copy = structuredClone(data);
  const tokens = splitPointer(mutant.path);
  const last = tokens.pop() as string;
  let at = copy as Record<string, unknown>;
  for (const t of tokens) at = at[t] as Record<string, unknown>;
  if (mutant.op === 'drop') delete at[last];
  else Object.defineProperty(at, last, { value: mutant.value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function draft07Ajv(): InstanceType<typeof Ajv07.default> {
  const ajv = new Ajv07.default({ strict: false, allErrors: true });
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format as never);
  return ajv;
}

describe('the HTML catalog page', () => {
  const html = shipped.catalog.get('index.html') as string;

  it('lists every event type once, with a deep link, grouped by provider and family', () => {
    for (const schema of eventSchemas(shipped.schemas)) {
      expect(html.match(new RegExp(`<article class="event" id="${schema.title.replace(/\./g, '\\.')}"`, 'g'))).toHaveLength(1);
      expect(html).toContain(`<a href="#${schema.title}">`);
    }
    expect(html).toMatch(
      /<h2 id="provider-0">Microsoft\.Communication<\/h2>[\s\S]*<h3 id="family-0-\d+">Chat<\/h3>[\s\S]*<h3 id="family-0-\d+">SMS<\/h3>/,
    );
  });

  it('shows per event its fields with evidence, a sample per envelope, the fixture call, the handler file, the changelog', () => {
    const sms = html.slice(html.indexOf('<article class="event" id="Microsoft.Communication.SMSReceived"'));
    const article = sms.slice(0, sms.indexOf('</article>'));
    expect(article).toContain('<code>ReceivedTimestamp</code></th><td>string</td>');
    expect(article).toContain('<li>1 sample on 1 page</li>');
    expect(article).toContain('<span>Event Grid</span>');
    expect(article).toContain('<span>CloudEvents 1.0</span>');
    expect(article).toContain('&quot;eventType&quot;: &quot;Microsoft.Communication.SMSReceived&quot;');
    expect(article).toContain('makeAcsSmsReceivedEventGridEvent({}, { seed: 1 });');
    expect(article).toContain('<code>handlers/AcsSmsReceived.ts</code>');
    expect(article).toContain('lang="fr-FR">Publié lorsqu’un SMS est reçu');
    expect(article).toContain('Unchanged since the first generation.');
  });

  it('shows samples that are real events: each passes the package’s validation, whole, in its envelope', () => {
    const unquote = (text: string) =>
      text.replace(
        /&(amp|lt|gt|quot|#39);/g,
        (_, r: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[r] as string,
      );
    const samples = [...html.matchAll(/<code id="sample-\d+-(eventgrid|cloudevents)">([\s\S]*?)<\/code>/g)];
    expect(samples.length).toBe(
      eventSchemas(shipped.schemas).reduce((n, s) => n + (s['x-eventgen'] as { envelopes: string[] }).envelopes.length, 0),
    );
    for (const [, envelope, json] of samples) {
      const event = JSON.parse(unquote(json as string));
      expect(validation.validateEvent(event), `${envelope} ${json}`).toMatchObject({ kind: 'valid' });
    }
  });

  it('evidence from a property table names its file and line; the preferred locale first, the others on request', async () => {
    const html = corpus.catalog.get('index.html') as string;
    expect(html).toMatch(/<li>doc table test\/fixtures\/corpus\/[^<]+\.md:\d+( \(type [^)]+\))?<\/li>/);
    expect(html).toMatch(/<details>\n<summary>Description in \d+ other locale\(s\)<\/summary>/);
    const again = await run(corpusDocs(), new Map(), new Map(), { keepGoing: true, locales: ['de'] });
    const blob = (again.catalog.get('index.html') as string).match(
      /<article class="event" id="Microsoft\.Storage\.BlobCreated"[\s\S]*?<\/article>/,
    )?.[0];
    expect(blob).toMatch(/<p lang="de-de">/i);
  });

  it('escapes every text from a doc: no tag, attribute or script can be injected', async () => {
    const evil = '<script>alert(1)</script>"\' onmouseover="x" &amp;';
    const data = { messageId: '</code></pre><script>alert(2)</script>', 'a"b<img src=x>': { '<i>': 1 } };
    const docs = [
      {
        path: 'docs/evil.md',
        text: page(
          `| Event type | Description |\n| --- | --- |\n| Contoso.Evil.Happened | ${evil} |\n\n${fence([egEvent('Contoso.Evil.Happened', data)])}`,
        ),
      },
    ];
    const out = (await run(docs)).catalog.get('index.html') as string;
    expect(out).not.toContain('<script>alert');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<i>');
    expect(out).not.toContain('onmouseover="x"');
    expect(out).toContain('<p lang="en-us">alert(1)&quot;&#39; onmouseover=&quot;x&quot; &amp;</p>');
    expect(out).toContain('&quot;a\\&quot;b&lt;img src=x&gt;&quot;: {'); // in the samples
    expect(out).toContain('&quot;&lt;i&gt;&quot;: 1');
    expect(out.match(/<script>/g)).toHaveLength(1); // the page's own
  });

  it('prints every value of its template through the html helper', () => {
    const template = readFileSync(path.join(ROOT, 'templates/catalog.html.hbs'), 'utf8');
    const values = [...template.matchAll(/\{\{(?![#/!]|else\}\})([^}]*)\}\}/g)].map((m) => (m[1] as string).trim());
    expect(values.length).toBeGreaterThan(40);
    expect(values.filter((v) => !v.startsWith('html ') && v !== 'banner')).toEqual([]);
  });

  it('reads the CHANGELOG back per event, newest first', () => {
    const entries = changelogByEvent(
      '# Changelog\n\n## 1.0.0\n\n- First generation: 2 event types.\n\n## 1.1.0\n\n- `A.B.C`\n  - field added /x [forward]\n- `A.B.D`\n  - likely rename /y → /z\n\n## 2.0.0\n\n- `A.B.C`\n  - type widened /x\n',
    );
    expect(entries.get('A.B.C')).toEqual([
      { version: '2.0.0', lines: ['type widened /x'] },
      { version: '1.1.0', lines: ['field added /x [forward]'] },
    ]);
    expect(entries.get('A.B.D')).toEqual([{ version: '1.1.0', lines: ['likely rename /y → /z'] }]);
  });
});

describe('the AsyncAPI document', () => {
  const parser = new Parser();

  it.each([
    ['docs/', shipped],
    ['the corpus', corpus],
  ])(
    'of %s is accepted by @asyncapi/parser with no error or warning, one message per event type',
    async (_, result) => {
      const text = result.generated.get('asyncapi.json') as string;
      const { document, diagnostics } = await parser.parse(text);
      // Severity 0 is an error, 1 a warning (2 and 3 are information and hints, such as "3.1.0 exists").
      expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code} ${d.message} at ${d.path.join('/')}`)).toEqual([]);
      const schemas = eventSchemas(result.schemas);
      expect(
        document
          ?.messages()
          .all()
          .map((m) => m.name())
          .sort(),
      ).toEqual(schemas.map((s) => s.title).sort());
      expect(
        document
          ?.operations()
          .all()
          .map((o) => o.action()),
      ).toEqual(['receive']);
      const doc = JSON.parse(text);
      for (const schema of schemas) {
        const message = Object.values(doc.components.messages).find((m) => (m as { name: string }).name === schema.title) as {
          examples: { payload: unknown }[];
          traits?: { $ref: string }[];
        };
        expect(message.examples.map((e) => e.payload)).toEqual(schema.examples ?? []);
        // An event only listed in a table has no documented envelope, so no trait.
        const envelopes = (schema['x-eventgen'] as { envelopes?: string[] }).envelopes ?? [];
        expect((message.traits ?? []).map((t) => t.$ref.split('/').at(-1))).toEqual(
          envelopes.map((e) => (e === 'eventgrid' ? 'eventGrid' : 'cloudEvents')),
        );
      }
    },
    60_000,
  );

  it.each([
    ['docs/', shipped],
    ['the corpus', corpus],
  ])(
    'payloads of %s keep every verdict of the reviewed schemas on the doc samples and the fixtures’ invalid data',
    (_, result) => {
      const doc = JSON.parse(result.generated.get('asyncapi.json') as string);
      const shared = sharedOf(result.schemas);
      const original = createAjv({ standalone: false });
      original.addSchema({ $id: 'shared.defs.json', $defs: shared });
      const draft07 = draft07Ajv();
      let verdicts = 0;
      for (const schema of eventSchemas(result.schemas)) {
        const message = Object.values(doc.components.messages).find((m) => (m as { name: string }).name === schema.title) as {
          payload: JsonSchema;
        };
        const converted = draft07.compile({ ...message.payload, components: doc.components });
        const reviewed = original.compile({ ...schema, $id: undefined });
        const model = fixtureModel(schema, shared, schema.title);
        const cases = [...(schema.examples ?? []), model.data, ...model.mutants.map((m) => mutated(model.data, m))];
        for (const value of cases) {
          expect(converted(value), `${schema.title}: ${JSON.stringify(value)?.slice(0, 200)}`).toBe(reviewed(value));
          verdicts++;
        }
        expect(reviewed(model.data)).toBe(true);
      }
      expect(verdicts).toBeGreaterThan(eventSchemas(result.schemas).length * 2);
    },
  );

  it('converts 2020-12 keywords to their draft-07 equivalents, with the same verdicts; reports what draft-07 cannot say', () => {
    const schema: JsonSchema = {
      type: 'object',
      $defs: { id: { type: 'string', minLength: 2 } },
      properties: JSON.parse(
        '{"pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "items": false}, "id": {"$ref": "#/$defs/id"}, "shared": {"$ref": "shared.defs.json#/$defs/Thing"}, "__proto__": {"type": "number"}}',
      ),
      dependentRequired: { a: ['b'] },
      unevaluatedProperties: false,
      'x-eventgen': { samples: 1 },
    };
    const lossy: string[] = [];
    const out = toDraft07(schema, (pointer, keyword) => lossy.push(`${pointer} ${keyword}`));
    expect(lossy).toEqual(['/ unevaluatedProperties']);
    expect(out).not.toHaveProperty('x-eventgen');
    expect((out.properties as Record<string, JsonSchema>).shared).toEqual({ $ref: '#/components/schemas/Thing' });
    expect(Object.hasOwn(out.properties as object, '__proto__')).toBe(true);
    const converted = draft07Ajv().compile({ ...out, components: { schemas: { Thing: {} } } });
    const { unevaluatedProperties: _, ...kept } = schema;
    const reviewed = createAjv({ standalone: false }).compile({ ...kept, properties: { ...schema.properties, shared: {} } });
    for (const value of [
      { pair: ['a', 1] },
      { pair: ['a', 'b'] },
      { pair: ['a', 1, 2] },
      { id: 'x' },
      { id: 'xy' },
      { a: 1 },
      { a: 1, b: 2 },
    ]) {
      expect(converted(value), JSON.stringify(value)).toBe(reviewed(value));
    }
  });

  it('a curated keyword draft-07 lacks is a warning naming the schema file', async () => {
    const docs = [{ path: 'docs/a.md', text: page(fence([egEvent('Contoso.Orders.Placed', { orderId: 'o1' })])) }];
    const first = await run(docs);
    const file = 'Contoso.Orders.Placed.schema.json';
    const curated = { ...JSON.parse(first.schemas.get(file) as string), unevaluatedProperties: false };
    const again = await run(docs, new Map([...first.schemas, [file, JSON.stringify(curated)]]));
    expect(again.diagnostics.filter((d) => d.code === 'W_ASYNCAPI_LOSSY')).toEqual([
      expect.objectContaining({ file: `schemas/${file}`, message: expect.stringContaining('"unevaluatedProperties" at /') }),
    ]);
  });
});
