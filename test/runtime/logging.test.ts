/**
 * What the webhook and the router write to the log, under hostile requests: the number of lines per request is
 * bounded (the first events logged one by one, the rest counted in one summary line), the answer to a rejected batch
 * stays small, and no text from a request can break a log line or forge one (control characters escaped).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeCloudEvent, makeEventGridEvent } from '../../generated/src/fixtures.ts';
import { consoleLogger, escapeControls, escapingLogger, type RouterOptions } from '../../runtime/router-core.ts';
import { createWebhookCore } from '../../runtime/webhook.ts';
import { createRouter, type PackageHandlers as Handlers, recorder } from './catalog.ts';

const SMS = 'Microsoft.Communication.SMSReceived';
const sms = (seed = 1) => makeEventGridEvent(SMS, undefined, { seed });

/** A webhook core over a router logging into a recorder; `post` answers a body as node:http would have it read. */
function webhook(routerOptions: RouterOptions = {}, handlers: Handlers = {}) {
  const logged = recorder();
  const core = createWebhookCore(createRouter(handlers, { log: logged.log, ...routerOptions }));
  const post = (body: string, contentType = 'application/json') =>
    core({
      method: 'POST',
      url: '/',
      headers: new Headers({ 'content-type': contentType }),
      readBody: async () => new TextEncoder().encode(body),
    });
  return { post, lines: logged.lines };
}

/** Whether any log line holds a character that ends a line or starts another. */
const breaksLine = (text: string) => /[\r\n\u2028\u2029\u0085]/.test(text);

describe('log amplification: lines per request are bounded', () => {
  it('logs a body of 500,000 zeros (1 MB, each an invalid event) in 11 lines: 10 events whole and one summary', async () => {
    const { post, lines } = webhook();
    const answer = await post(`[${new Array(500_000).fill('0').join(',')}]`);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([
      200,
      { received: 500_000, handled: 0, filtered: 0, unhandled: 0, unknown: 0, invalid: 500_000 },
    ]);
    expect(lines).toHaveLength(11);
    expect(lines.slice(0, 10).map((l) => l.message)).toEqual(
      Array.from({ length: 10 }, (_, i) => expect.stringMatching(new RegExp(`^eventgen: invalid event ${i} acknowledged.*: 0$`))),
    );
    expect(lines[10]).toEqual({
      level: 'error',
      message:
        'eventgen: 499990 more of the 500000 events of this request not logged one by one (eventLogLimit 10): 499990 invalid (acknowledged)',
    });
  });

  it('answers a rejected batch of 50,000 zeros (rejectInvalid) with a bounded body and bounded lines', async () => {
    const { post, lines } = webhook({ rejectInvalid: true });
    const answer = await post(`[${new Array(50_000).fill('0').join(',')}]`);
    expect(answer.status).toBe(400);
    expect(answer.body.length).toBeLessThan(64 * 1024);
    const body = JSON.parse(answer.body);
    expect([body.events.length, body.events[99].index, body.omitted]).toEqual([100, 99, 49_900]);
    expect(lines).toHaveLength(11);
    expect(lines[10]?.message).toMatch(/49990 more of the 50000 events .*: 49990 invalid/);
  });

  it('lists at most 10 errors per event in a 400 answer, and says how many more', async () => {
    const { post } = webhook({ rejectInvalid: true });
    const thread = makeEventGridEvent('Microsoft.Communication.ChatThreadCreatedWithUser');
    const members = Array.from({ length: 25 }, () => 0); // each member must be an object: 25 errors
    const answer = JSON.parse((await post(JSON.stringify([{ ...thread, data: { ...thread.data, members } }]))).body);
    expect(answer.events).toHaveLength(1);
    expect(answer.events[0].errors.map((e: { path: string }) => e.path)).toEqual(
      Array.from({ length: 10 }, (_, i) => `/data/members/${i}`),
    );
    expect([answer.events[0].omittedErrors, answer.omitted]).toEqual([15, undefined]);
  });

  it('counts every kind of event past the limit in one summary line, at the level of the worst', async () => {
    const logged = recorder();
    const handlers = { [SMS]: () => {} } as Handlers;
    const router = createRouter(handlers, { log: logged.log, eventLogLimit: 2 });
    const events = [
      ...Array.from({ length: 3 }, (_, i) => ({ ...sms(i + 1), eventType: 'Contoso.New.Thing' })),
      ...Array.from({ length: 3 }, (_, i) =>
        makeEventGridEvent('Microsoft.Communication.ChatMessageDeleted', undefined, { seed: i + 1 }),
      ),
      { ...sms(9), data: { From: 1 } },
    ];
    const report = await router.dispatch(events);
    expect(report.events.map((e) => e.status)).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'no-handler',
      'no-handler',
      'no-handler',
      'invalid',
    ]);
    expect(logged.lines.map((l) => l.level)).toEqual(['warn', 'warn', 'error']);
    expect(logged.lines[2]?.message).toBe(
      'eventgen: 5 more of the 7 events of this request not logged one by one (eventLogLimit 2): 1 of unknown types (acknowledged), 3 without a handler (acknowledged), 1 invalid (acknowledged)',
    );
  });

  it('bounds the lines of failing handlers too, and logs every event with eventLogLimit: Infinity', async () => {
    const failing = { [SMS]: () => Promise.reject(new Error('down')) } as Handlers;
    const bounded = recorder();
    await createRouter(failing, { log: bounded.log }).dispatch(Array.from({ length: 30 }, (_, i) => sms(i + 1)));
    expect(bounded.lines.map((l) => l.message).slice(-1)).toEqual([
      'eventgen: 20 more of the 30 events of this request not logged one by one (eventLogLimit 10): 20 whose handler failed',
    ]);
    expect(bounded.lines).toHaveLength(11);
    const all = recorder();
    await createRouter({}, { log: all.log, eventLogLimit: Number.POSITIVE_INFINITY }).dispatch(
      Array.from({ length: 30 }, () => 0),
    );
    expect(all.lines).toHaveLength(30);
  });

  it('refuses an eventLogLimit that is not a number of events', () => {
    expect(() => createRouter({}, { eventLogLimit: -1 })).toThrow(/eventLogLimit/);
    expect(() => createRouter({}, { eventLogLimit: Number.NaN })).toThrow(/eventLogLimit/);
  });
});

describe('log injection: no text from a request breaks a line', () => {
  const FORGED = '\r\neventgen: 200, all good\u2028\u001b[2J';

  it('escapes a CloudEvents attribute name in the errors of an invalid event', async () => {
    const { post, lines } = webhook();
    const event = { ...makeCloudEvent(SMS), [`x${FORGED}`]: 'v' };
    expect((await post(JSON.stringify(event), 'application/cloudevents+json')).status).toBe(200);
    expect(lines).toHaveLength(1);
    expect(breaksLine(lines[0]?.message ?? '\n')).toBe(false);
    expect(lines[0]?.message).toContain('x\\r\\neventgen: 200, all good\\u2028\\u001b[2J');
  });

  it('escapes the text of a malformed body that the parser quotes', async () => {
    const { post, lines } = webhook();
    expect((await post(`x${FORGED}`)).status).toBe(400);
    expect(lines).toMatchObject([{ level: 'warn', message: expect.stringContaining('eventgen: 400, malformed JSON body') }]);
    expect(breaksLine(lines[0]?.message ?? '\n')).toBe(false);
  });

  it("escapes what a handler writes through context.log (the skeletons log each event's id)", async () => {
    const { post, lines } = webhook({}, { [SMS]: (event, { log }) => log.info(`${event.eventType} ${event.id}`) });
    const event = { ...sms(), id: `a${FORGED}` };
    expect((await post(JSON.stringify([event]))).status).toBe(200);
    expect(lines).toEqual([{ level: 'info', message: `${SMS} a\\r\\neventgen: 200, all good\\u2028\\u001b[2J` }]);
  });

  describe('the console logger writes one line per record', () => {
    afterEach(() => vi.restoreAllMocks());

    it("writes a handler's error on its message's line, its stack and message escaped", async () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      const router = createRouter({ [SMS]: () => Promise.reject(new Error(`boom${FORGED}`)) } as Handlers);
      const report = await router.dispatch([sms()]);
      expect(report.events).toMatchObject([{ status: 'failed' }]);
      expect(error).toHaveBeenCalledTimes(1);
      const args = error.mock.calls[0] as unknown[];
      expect(args).toHaveLength(1);
      expect(args[0]).toMatch(/^eventgen: handler failed for event 0: Error: boom\\r\\neventgen: 200, all good/);
      expect(breaksLine(String(args[0]))).toBe(false);
    });

    it('escapes the messages of every level, for loggers of any kind', () => {
      const spies = (['info', 'warn', 'error'] as const).map((level) => vi.spyOn(console, level).mockImplementation(() => {}));
      consoleLogger.info(`i${FORGED}`);
      consoleLogger.warn?.(`w${FORGED}`);
      consoleLogger.error(`e${FORGED}`, { detail: `d${FORGED}` });
      const written = spies.flatMap((spy) => spy.mock.calls.flat().map(String));
      expect(written).toHaveLength(3);
      for (const line of written) expect(breaksLine(line)).toBe(false);

      const own = recorder();
      escapingLogger(own.log).warn?.(`w${FORGED}`);
      expect(own.lines).toEqual([{ level: 'warn', message: 'w\\r\\neventgen: 200, all good\\u2028\\u001b[2J' }]);
    });

    it('escapes C0 and C1 controls, DEL and the Unicode separators; leaves other text alone', () => {
      expect(escapeControls('a\tb\u0000c\u007fd\u0085e\u2029f')).toBe('a\\tb\\u0000c\\u007fd\\u0085e\\u2029f');
      expect(escapeControls('plain ünïcödé ✓ "quoted"')).toBe('plain ünïcödé ✓ "quoted"');
    });
  });
});
