/**
 * P3: validations per second, valid and invalid input, in one process (tinybench): the generated
 * validators against ajv compiling schemas/ at run time, zod 4 with equivalent hand-written
 * schemas, and @azure/eventgrid's EventGridDeserializer (it checks the envelope only).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EventGridDeserializer } from '@azure/eventgrid';
import { Bench } from 'tinybench';
import {
  makeAcsChatThreadCreatedWithUserEventData,
  makeAcsSmsReceivedEventData,
  makeAcsSmsReceivedEventGridEvent,
  validateAcsChatThreadCreatedWithUserEventData,
  validateAcsSmsReceivedEventData,
  validateEvent,
} from '../generated/src/index.ts';
import { createAjv } from '../generator/ajv.ts';
import { EVENT_GRID_ANY } from '../generator/emit/envelopes.ts';
import { type Options, type Result, ROOT, type Row } from './harness.ts';
import { chatThreadCreatedWithUser, smsReceived, smsReceivedEventGridEvent } from './zod-schemas.ts';

function ajvFor(...files: string[]) {
  const ajv = createAjv({ standalone: false });
  const read = (f: string) => JSON.parse(readFileSync(path.join(ROOT, 'schemas', f), 'utf8'));
  ajv.addSchema(read('shared.defs.json'));
  return files.map((f) => ajv.compile(read(f)));
}

export async function run({ quick }: Options): Promise<Result> {
  const [smsAjv, chatAjv] = ajvFor(
    'Microsoft.Communication.SMSReceived.schema.json',
    'Microsoft.Communication.ChatThreadCreatedWithUser.schema.json',
  ) as [ReturnType<ReturnType<typeof createAjv>['compile']>, ReturnType<ReturnType<typeof createAjv>['compile']>];
  const envelopeAjv = createAjv({ standalone: false }).compile(EVENT_GRID_ANY);
  const deserializer = new EventGridDeserializer();

  const sms = makeAcsSmsReceivedEventData();
  const badSms = { ...sms, MessageId: 1, ReceivedTimestamp: 'yesterday' };
  const chat = makeAcsChatThreadCreatedWithUserEventData();
  const badChat = { ...chat, members: [{ displayName: 'x' }], version: 'v' };
  const event = makeAcsSmsReceivedEventGridEvent();
  const badEvent = { ...event, eventTime: 'noon', data: badSms };

  type Case = {
    name: string;
    value: unknown;
    ours: () => unknown;
    ajv: () => unknown;
    zod: () => unknown;
    azure?: () => Promise<unknown>;
  };
  const cases: Case[] = [];
  for (const [label, value] of [
    ['valid', sms],
    ['invalid', badSms],
  ] as const) {
    cases.push({
      name: `SMSReceived data, ${label}`,
      value,
      ours: () => validateAcsSmsReceivedEventData(value),
      ajv: () => smsAjv(value),
      zod: () => smsReceived.safeParse(value),
    });
  }
  for (const [label, value] of [
    ['valid', chat],
    ['invalid', badChat],
  ] as const) {
    cases.push({
      name: `ChatThreadCreatedWithUser data, ${label}`,
      value,
      ours: () => validateAcsChatThreadCreatedWithUserEventData(value),
      ajv: () => chatAjv(value),
      zod: () => chatThreadCreatedWithUser.safeParse(value),
    });
  }
  for (const [label, value] of [
    ['valid', event],
    ['invalid', badEvent],
  ] as const) {
    cases.push({
      name: `whole Event Grid event, ${label}`,
      value,
      ours: () => validateEvent(value),
      ajv: () => envelopeAjv(value) && smsAjv((value as { data: unknown }).data),
      zod: () => smsReceivedEventGridEvent.safeParse(value),
      azure: () => deserializer.deserializeEventGridEvents(value as Record<string, unknown>).catch(() => undefined),
    });
  }

  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const c of cases) {
    const bench = new Bench({ time: quick ? 10 : 400, warmupTime: quick ? 5 : 100 } as ConstructorParameters<typeof Bench>[0]);
    bench.add('eventgen', c.ours).add('ajv', c.ajv).add('zod', c.zod);
    if (c.azure) bench.add('EventGridDeserializer', c.azure);
    await bench.run();
    const hz = Object.fromEntries(
      bench.tasks.map((t) => [t.name, t.result.state === 'completed' ? t.result.throughput.mean : Number.NaN]),
    );
    details[c.name] = hz;
    const ours = hz.eventgen as number;
    rows.push({
      bench: 'P3',
      case: `${c.name} vs ajv`,
      eventgen: ours,
      baseline: hz.ajv as number,
      unit: 'ops/s',
      ratio: ours / (hz.ajv as number),
      target: '≥ 1.0',
      met: ours / (hz.ajv as number) >= 1,
    });
    rows.push({
      bench: 'P3',
      case: `${c.name} vs zod`,
      eventgen: ours,
      baseline: hz.zod as number,
      unit: 'ops/s',
      ratio: ours / (hz.zod as number),
      target: '≥ 5',
      met: ours / (hz.zod as number) >= 5,
    });
    if (c.azure) {
      const azure = hz.EventGridDeserializer as number;
      rows.push({
        bench: 'P3',
        case: `${c.name} vs EventGridDeserializer (envelope only)`,
        eventgen: ours,
        baseline: azure,
        unit: 'ops/s',
        ratio: ours / azure,
      });
    }
  }
  return { name: 'P3 validators', rows, details };
}
