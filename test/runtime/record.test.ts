/**
 * runtime/record-hook.ts and runtime/record.ts: the webhook's `record` option through each adapter, with real
 * clients on 127.0.0.1 (@azure/eventgrid's publisher, the cloudevents SDK over fetch, a Hono app serving the
 * Fetch API handler, @azure/functions' own request), recordTo's files (redacted, per day, rotated, bounded),
 * redaction that leaves no string of the event in the files, and recorders that fail without failing a delivery.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { type ServerType, serve } from '@hono/node-server';
import { CloudEvent, HTTP } from 'cloudevents';
import fc from 'fast-check';
import { Hono } from 'hono';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeEventGridEvent } from '../../generated/src/fixtures.ts';
import { createAzureFunctionsHandler } from '../../runtime/azure-functions.ts';
import { createWebhookServer, type WebhookServer } from '../../runtime/node-http.ts';
import { recordTo, redact, standIn } from '../../runtime/record.ts';
import type { Recorder, RecordInfo } from '../../runtime/record-hook.ts';
import { createFetchHandler } from '../../runtime/webhook.ts';
import { ROOT, removeDir, tempDir } from '../helpers.ts';
import { createRouter, quiet, recorder } from './catalog.ts';

const dirs: string[] = [];
const servers: WebhookServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});
function folder(): string {
  const dir = tempDir('eventgen-record-');
  dirs.push(dir);
  return dir;
}

/** Resolves once `check` holds (the recorder runs after the answer, on a later turn). */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Every recorded line of the files in `dir`. */
// biome-ignore lint/suspicious/noExplicitAny: recorded lines are read as the JSON they are
type Line = { receivedAt: string; outcome: string; envelope: string; redacted: boolean; event: any };
function lines(dir: string): Line[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as Line);
}

const SECRET_PHONE = '+14255550123';
const SECRET_TEXT = 'Hello Alice, your code is 4711';
const valid = () =>
  makeEventGridEvent('Microsoft.Communication.SMSReceived', {
    data: { From: SECRET_PHONE, Message: SECRET_TEXT },
  } as never);
/** A known event type whose data breaks its schema (a number where a date-time string is), with a field no doc has. */
const invalid = () => {
  const event = valid() as unknown as { eventTime: string; id: string; data: Record<string, unknown> };
  event.data.ReceivedTimestamp = 1733616000;
  event.data.Segments = 2;
  return event;
};
const unknownEvent = () =>
  makeEventGridEvent('Microsoft.Communication.SMSReceived', {
    eventType: 'Microsoft.Communication.SMSScheduled',
    data: { MessageId: 'Outgoing_20241208_abc', SendAt: '2024-12-08T10:00:00Z', To: SECRET_PHONE },
  } as never);

describe('record through each adapter', () => {
  it('node:http with @azure/eventgrid: the events the answer did not describe, redacted, one file per day', async () => {
    const dir = folder();
    const server = await createWebhookServer(createRouter({}, { log: quiet }), { record: recordTo(dir) });
    servers.push(server);
    const client = new EventGridPublisherClient(server.url, 'EventGrid', new AzureKeyCredential('unused'), {
      allowInsecureConnection: true,
    });
    const events = [valid(), invalid(), unknownEvent()].map((e) => ({ ...e, eventTime: new Date(e.eventTime) }));
    await client.send(events as never);
    await until(() => lines(dir).length === 2, 'two recorded lines');
    const recorded = lines(dir);
    expect(recorded.map((l) => [l.outcome, l.envelope, l.redacted, l.event.eventType])).toEqual([
      ['invalid', 'eventgrid', true, 'Microsoft.Communication.SMSReceived'],
      ['unknown', 'eventgrid', true, 'Microsoft.Communication.SMSScheduled'],
    ]);
    expect(readdirSync(dir)).toEqual([`events-${recorded[0]?.receivedAt.slice(0, 10)}.ndjson`]);
    // What inference reads is kept: types, formats, field names; no original text.
    expect(recorded[0]?.event.data).toMatchObject({ ReceivedTimestamp: 1733616000, Segments: 2, From: '+10000000000' });
    expect(recorded[1]?.event.data).toMatchObject({ MessageId: 'redacted', SendAt: '2000-01-01T00:00:00Z', To: '+10000000000' });
    const text = readdirSync(dir)
      .map((f) => readFileSync(path.join(dir, f), 'utf8'))
      .join('');
    for (const secret of [SECRET_PHONE, SECRET_TEXT, 'Outgoing_20241208_abc', events[0]?.id as string])
      expect(text).not.toContain(secret);
  });

  it('the Fetch API handler in Hono, with the cloudevents SDK: outcomes as asked, redaction off when asked', async () => {
    const dir = folder();
    const app = new Hono();
    const handler = createFetchHandler(createRouter({}, { log: quiet }), {
      record: recordTo(dir, { redact: false, outcomes: ['valid', 'unknown'] }),
    });
    app.post('/events', (c) => handler(c.req.raw));
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    try {
      const { port } = server.address() as { port: number };
      const event = new CloudEvent({
        type: 'Microsoft.Communication.SMSScheduled',
        source: '/subscriptions/x/resourceGroups/y',
        subject: 'phonenumber/14255550123',
        data: { To: SECRET_PHONE, Attempts: 1.5 },
      });
      for (const message of [HTTP.binary(event), HTTP.structured(event)]) {
        const response = await fetch(`http://127.0.0.1:${port}/events`, {
          method: 'POST',
          headers: message.headers as Record<string, string>,
          body: message.body as string,
        });
        expect(response.status).toBe(200);
      }
      await until(() => lines(dir).length === 2, 'two recorded lines');
      for (const line of lines(dir)) {
        expect([line.outcome, line.envelope, line.redacted]).toEqual(['unknown', 'cloudevents', false]);
        expect(line.event.data).toEqual({ To: SECRET_PHONE, Attempts: 1.5 });
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('Azure Functions with @azure/functions: a batch rejected whole still records each event with its outcome', async () => {
    const seen: [string, RecordInfo][] = [];
    const handler = createAzureFunctionsHandler(createRouter({}, { log: quiet, rejectInvalid: true }), {
      record: (event, info) => void seen.push([(event as { eventType: string }).eventType, info]),
    });
    const request = new HttpRequest({
      method: 'POST',
      url: 'https://contoso.azurewebsites.net/api/events',
      headers: { 'content-type': 'application/json' },
      body: { string: JSON.stringify([valid(), invalid(), unknownEvent()]) },
    });
    const response = await handler(request, new InvocationContext({ logHandler: () => {} }));
    expect(response.status).toBe(400);
    expect(seen).toEqual([]); // never before the answer
    await until(() => seen.length === 3, 'three recorded events');
    expect(seen.map(([type, info]) => [type, info.outcome, info.envelope])).toEqual([
      ['Microsoft.Communication.SMSReceived', 'valid', 'eventgrid'],
      ['Microsoft.Communication.SMSReceived', 'invalid', 'eventgrid'],
      ['Microsoft.Communication.SMSScheduled', 'unknown', 'eventgrid'],
    ]);
    expect(seen[0]?.[1].receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe('a failing recorder never fails a delivery', () => {
  const deliver = async (record: Recorder) => {
    const logged = recorder();
    const server = await createWebhookServer(createRouter({}, { log: logged.log }), { record });
    servers.push(server);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([unknownEvent()]),
      });
      statuses.push(response.status);
    }
    return { statuses, logged: logged.lines };
  };

  it.each([
    [
      'a recorder that throws',
      (): Recorder => () => {
        throw new Error('boom');
      },
    ],
    ['a recorder that rejects', (): Recorder => () => Promise.reject(new Error('boom'))],
    ['a recorder that never settles', (): Recorder => () => new Promise(() => {})],
    [
      'recordTo a folder that is a file',
      (): Recorder => {
        const file = path.join(folder(), 'not-a-folder');
        writeFileSync(file, '');
        return recordTo(file);
      },
    ],
    [
      'recordTo a full disk',
      (): Recorder => {
        const dir = folder();
        symlinkSync('/dev/full', path.join(dir, `events-${new Date().toISOString().slice(0, 10)}.ndjson`));
        return recordTo(dir);
      },
    ],
  ])('%s: every request answered 200, the failure logged once', async (name, make) => {
    const { statuses, logged } = await deliver(make());
    expect(statuses).toEqual([200, 200, 200]);
    const failures = () => logged.filter((l) => l.message.includes('the recorder failed'));
    // The failure is logged on a later turn, after the answers (a write to a full disk fails when the disk says so).
    if (!name.includes('never settles')) await until(() => failures().length > 0, 'the failure logged');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(failures().length).toBe(name.includes('never settles') ? 0 : 1);
  });
});

it('the Fetch API core loads nothing of the Node recorder: webhook.ts and record-hook.ts import no node: module and not record.ts', () => {
  for (const file of ['webhook.ts', 'record-hook.ts']) {
    const source = readFileSync(path.join(ROOT, 'runtime', file), 'utf8');
    const imports = [...source.matchAll(/^import[^;]*?from '([^']+)'/gms)].map((m) => m[1]);
    expect(imports.length, file).toBeGreaterThan(0);
    expect(
      imports.filter((i) => i?.startsWith('node:') || i === './record.js'),
      file,
    ).toEqual([]);
  }
});

describe('recordTo files', () => {
  const info = (receivedAt: string): RecordInfo => ({ outcome: 'unknown', envelope: 'eventgrid', receivedAt });
  const event = (n: number) => ({ eventType: 'A.B', id: `id-${n}`, data: { n, pad: 'x'.repeat(200) } });

  it('one file per day, continued past maxFileBytes, the oldest deleted past maxBytes; foreign files untouched', async () => {
    const dir = folder();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const record = recordTo(dir, { maxFileBytes: 800, maxBytes: 2000, redact: false });
    for (let n = 0; n < 4; n++) await record(event(n), info('2024-12-01T10:00:00.000Z'));
    for (let n = 4; n < 12; n++) await record(event(n), info('2024-12-02T10:00:00.000Z'));
    const files = readdirSync(dir).sort();
    expect(files).toContain('notes.txt');
    const recordedFiles = files.filter((f) => f.endsWith('.ndjson'));
    // Day 1 went first; day 2 was continued in .1, .2, .3 and its oldest parts went too.
    expect(recordedFiles.every((f) => f.startsWith('events-2024-12-02'))).toBe(true);
    expect(recordedFiles).toContain('events-2024-12-02.3.ndjson');
    const sizes = recordedFiles.map((f) => readFileSync(path.join(dir, f)).byteLength);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(800);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2000);
    const kept = lines(dir).map((l) => l.event.data.n);
    expect(kept.length).toBeGreaterThanOrEqual(4);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 12 - kept.length + i));
  });

  it('sampleRate 0 records nothing; outcomes filter; bad options are refused at once', async () => {
    const dir = folder();
    await recordTo(dir, { sampleRate: 0 })(event(1), info('2024-12-01T00:00:00.000Z'));
    await recordTo(dir)(event(2), { ...info('2024-12-01T00:00:00.000Z'), outcome: 'valid' });
    expect(readdirSync(dir)).toEqual([]);
    expect(() => recordTo(dir, { sampleRate: 2 })).toThrow(/sampleRate/);
    expect(() => recordTo(dir, { outcomes: ['bogus' as never] })).toThrow(/outcome/);
  });
});

describe('redaction', () => {
  it('keeps each string format as a stand-in, and numbers, booleans, nulls and the event type as they are', () => {
    expect(
      [
        '2024-12-08T10:00:00.123+01:00',
        '2024-12-08',
        '6F9619FF-8B86-D011-B42D-00C04FC964FF',
        'https://contoso.com/a?b=c',
        'sip:alice@contoso.com',
        'alice@contoso.com',
        '+1 (425) 555-0123',
        '42',
        '-1.5e3',
        '',
        'Alice',
      ].map(standIn),
    ).toEqual([
      '2000-01-01T00:00:00Z',
      '2000-01-01',
      '00000000-0000-4000-8000-000000000000',
      'https://redacted.invalid/',
      'urn:redacted',
      'redacted@example.invalid',
      '+10000000000',
      '0',
      '0.0',
      '',
      'redacted',
    ]);
    expect(
      redact({
        eventType: 'Microsoft.Communication.SMSReceived',
        specversion: '1.0',
        data: {
          n: 1.5,
          ok: false,
          none: null,
          byId: { '8a7b6c5d-0000-1111-2222-333344445555': 'x', 'bob@contoso.com': 1, __proto__: 'p' },
        },
      }),
    ).toEqual({
      eventType: 'Microsoft.Communication.SMSReceived',
      specversion: '1.0',
      data: {
        n: 1.5,
        ok: false,
        none: null,
        byId: { '00000000-0000-4000-8000-000000000000': 'redacted', 'redacted1@example.invalid': 1 },
      },
    });
  });

  /** A JSON value with `secrets` placed at random: as string values, and as keys that are data. */
  const secret = fc.string({ minLength: 1, maxLength: 40 });
  const dataKey = fc.oneof(
    fc.uuid(),
    fc.emailAddress(),
    fc.webUrl(),
    fc.integer({ min: 1_000_000_000, max: 9_999_999_999 }).map((n) => `+1${n}`),
  );
  const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      secret,
      fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.constantFrom('a', 'Message', 'From'), dataKey), tie('node'), { maxKeys: 4 }),
    ),
  })).node;

  /** Every string of a value (keys that are data, and values). */
  function strings(value: unknown, out: string[] = []): string[] {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (const v of value) strings(v, out);
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) {
        if (!['a', 'Message', 'From'].includes(k)) out.push(k);
        strings(v, out);
      }
    return out;
  }

  it('leaves no original string anywhere in the recorded file (random strings in random places)', async () => {
    const dir = folder();
    const record = recordTo(dir);
    let day = 0;
    await fc.assert(
      fc.asyncProperty(tree, secret, secret, async (data, id, subject) => {
        const receivedAt = new Date(Date.UTC(2024, 0, 1 + day++)).toISOString();
        await record(
          { eventType: 'A.B', id, subject, topic: subject, data },
          {
            outcome: 'unknown',
            envelope: 'eventgrid',
            receivedAt,
          },
        );
        const file = path.join(dir, `events-${receivedAt.slice(0, 10)}.ndjson`);
        const recorded = JSON.parse(readFileSync(file, 'utf8')).event;
        const kept = new Set(strings(recorded));
        const standIns = new Set(strings(redact({ data })).concat(['A.B']));
        for (const original of [...strings(data), id, subject]) {
          // An original may equal a stand-in by chance ('redacted', '0', ''): then it carries nothing.
          if (kept.has(original)) expect(standIns.has(original) || original === standIn(original)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
