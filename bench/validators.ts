/**
 * P3: validations per second, valid and invalid input, in one process. The generated validators (of a
 * package generated now, bench/package.ts) against the hand-written floor (bench/floor.ts), ajv compiling the
 * same schemas at run time with eventgen's options, @exodus/schemasafe, and zod 4 with equivalent hand-written
 * schemas (bench/zod-schemas.ts). Every contestant of a case checks the same rules with the same date-time
 * function and lists every error; each case first checks that every contestant gives the expected verdict and
 * that the floor's errors are the generated validators'. Timing: batches of calls, rounds in rotating order,
 * medians (harness.ts, timeBatches).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validator } from '@exodus/schemasafe';
import { createAjv, forAjv, profileOf } from '../generator/ajv.ts';
import { EVENT_GRID_ANY } from '../generator/emit/envelopes.ts';
import { isDateTime } from '../generator/formats.mjs';
import type { JsonSchema } from '../generator/ir.ts';
import * as floor from './floor.ts';
import { type Contestant, type Options, type Result, type Row, timeBatches, times, withTarget } from './harness.ts';
import { generatedPackage } from './package.ts';
import * as zod from './zod-schemas.ts';

const SMS = 'Microsoft.Communication.SMSReceived';
const CHAT = 'Microsoft.Communication.ChatThreadCreatedWithUser';
const SCHEMA_FILES = { [SMS]: `${SMS}.schema.json`, [CHAT]: `${CHAT}.schema.json` } as const;

/** The contestants other than eventgen and the floor, in the order of their columns. */
const OTHERS = ['ajv', 'schemasafe', 'zod'] as const;
type Name = 'eventgen' | 'floor' | (typeof OTHERS)[number];

interface Case {
  readonly name: string;
  readonly value: unknown;
  readonly valid: boolean;
  readonly contestants: Readonly<Record<Name, Contestant>>;
  /** The generated validators' errors and the floor's, which must be equal. */
  readonly errors: () => [unknown, unknown];
  /** Target of the ratio to the floor. */
  readonly floorTarget?: number;
  /** Target of the ratio to zod. */
  readonly zodTarget?: number;
}

/** Validators of ajv and schemasafe for the event types P3 uses and the envelope, from the schemas in `dir`. */
function compiledAtRunTime(dir: string) {
  const read = (file: string) => forAjv(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))) as JsonSchema;
  const files = readdirSync(dir).filter((f) => f.endsWith('.schema.json') || f === 'shared.defs.json');
  const schemas = files.map(read);
  // ajv as the generated validators use it: the same options, formats and profile.
  const ajv = createAjv({ standalone: false, profile: profileOf([...schemas, EVENT_GRID_ANY]) });
  for (const schema of [...schemas, EVENT_GRID_ANY]) ajv.addSchema(schema);
  const ajvOf = (id: string) => {
    const validate = ajv.getSchema(id);
    if (!validate) throw new Error(`ajv has no schema ${id}`);
    return (value: unknown) => validate(value) as boolean;
  };
  const options = {
    includeErrors: true,
    allErrors: true,
    formats: { 'date-time': isDateTime },
    schemas: new Map([['shared.defs.json', read('shared.defs.json') as never]]),
  };
  const safeOf = (schema: JsonSchema) => {
    const validate = validator(schema as never, options);
    return (value: unknown) => validate(value as never);
  };
  return {
    ajv: {
      envelope: ajvOf(EVENT_GRID_ANY.$id as string),
      data: { [SMS]: ajvOf(SCHEMA_FILES[SMS]), [CHAT]: ajvOf(SCHEMA_FILES[CHAT]) },
    },
    schemasafe: {
      envelope: safeOf(EVENT_GRID_ANY),
      data: { [SMS]: safeOf(read(SCHEMA_FILES[SMS])), [CHAT]: safeOf(read(SCHEMA_FILES[CHAT])) },
    },
  };
}

/** A whole-event check from an envelope check and data checks: validateEvent's order (envelope, then data). */
function wholeEvent(envelope: Contestant, data: Readonly<Record<string, Contestant>>): Contestant {
  return (value) => {
    if (!envelope(value)) return false;
    const { eventType, data: payload } = value as { eventType: string; data: unknown };
    const check = Object.hasOwn(data, eventType) ? data[eventType] : undefined;
    return check?.(payload) === true;
  };
}

export async function run({ quick }: Options): Promise<Result> {
  const { pkg, schemasDir } = await generatedPackage();
  const runtime = compiledAtRunTime(schemasDir);

  const sms = pkg.makeAcsSmsReceivedEventData();
  const badSms = { ...sms, MessageId: 1, ReceivedTimestamp: 'yesterday' };
  const chat = pkg.makeAcsChatThreadCreatedWithUserEventData();
  const badChat = { ...chat, members: [{ displayName: 7 }, 'x'], version: 1.5, createTime: '2024-02-30T00:00:00Z' };
  const event = pkg.makeAcsSmsReceivedEventGridEvent();
  const badEnvelope = { ...event, eventTime: 'noon', id: '', data: badSms };
  const badData = { ...event, data: badSms };

  const dataCase = (
    name: string,
    eventType: typeof SMS | typeof CHAT,
    value: unknown,
    valid: boolean,
    eventgen: (value: unknown) => { ok: boolean; errors?: unknown },
    hand: (value: unknown) => floor.FloorResult,
    targets: Pick<Case, 'floorTarget' | 'zodTarget'>,
  ): Case => ({
    name,
    value,
    valid,
    contestants: {
      eventgen: (v) => eventgen(v).ok,
      floor: (v) => hand(v) === true,
      ajv: runtime.ajv.data[eventType],
      schemasafe: runtime.schemasafe.data[eventType],
      zod: (v) => (eventType === SMS ? zod.smsReceived : zod.chatThreadCreatedWithUser).safeParse(v).success,
    },
    errors: () => [eventgen(value).errors ?? [], hand(value) === true ? [] : hand(value)],
    ...targets,
  });
  const eventCase = (name: string, value: unknown, valid: boolean, targets: Pick<Case, 'floorTarget' | 'zodTarget'>): Case => ({
    name,
    value,
    valid,
    contestants: {
      eventgen: (v) => pkg.validateEvent(v).kind === 'valid',
      floor: (v) => floor.eventGridEvent(v) === true,
      ajv: wholeEvent(runtime.ajv.envelope, runtime.ajv.data),
      schemasafe: wholeEvent(runtime.schemasafe.envelope, runtime.schemasafe.data),
      zod: zod.eventGridEvent,
    },
    errors: () => {
      const outcome = pkg.validateEvent(value);
      const hand = floor.eventGridEvent(value);
      return [outcome.kind === 'invalid' ? outcome.errors : [], hand === true || hand === undefined ? [] : hand];
    },
    ...targets,
  });
  const validSms = pkg.validateAcsSmsReceivedEventData;
  const validChat = pkg.validateAcsChatThreadCreatedWithUserEventData;
  const cases: Case[] = [
    dataCase('SMSReceived data, valid', SMS, sms, true, validSms, floor.smsReceivedData, { floorTarget: 0.7, zodTarget: 1.5 }),
    dataCase('SMSReceived data, invalid', SMS, badSms, false, validSms, floor.smsReceivedData, { floorTarget: 0.5 }),
    // Valid data of any event: the SMSReceived target applies.
    dataCase('ChatThreadCreatedWithUser data, valid', CHAT, chat, true, validChat, floor.chatThreadCreatedWithUserData, {
      floorTarget: 0.7,
    }),
    dataCase('ChatThreadCreatedWithUser data, invalid', CHAT, badChat, false, validChat, floor.chatThreadCreatedWithUserData, {
      floorTarget: 0.5,
    }),
    eventCase('whole Event Grid event, valid', event, true, { floorTarget: 0.6, zodTarget: 1.5 }),
    eventCase('whole Event Grid event, invalid envelope', badEnvelope, false, { floorTarget: 0.5 }),
    eventCase('whole Event Grid event, invalid data', badData, false, { floorTarget: 0.5 }),
  ];

  const timing = quick ? { batch: 64, rounds: 5, warmup: 1 } : { batch: 1024, rounds: 101, warmup: 10 };
  const rows: Row[] = [];
  const details: Record<string, unknown> = { timing };
  for (const c of cases) {
    // Honesty first: every contestant gives the expected verdict, and the floor lists the generated validators' errors.
    for (const [name, check] of Object.entries(c.contestants))
      if (check(c.value) !== c.valid) throw new Error(`P3 ${c.name}: ${name} says ${!c.valid}`);
    const [ours, hand] = c.errors();
    if (JSON.stringify(ours) !== JSON.stringify(hand))
      throw new Error(`P3 ${c.name}: the floor's errors ${JSON.stringify(hand)} are not eventgen's ${JSON.stringify(ours)}`);

    const hz = timeBatches(c.contestants, c.value, timing) as Record<Name, number>;
    details[c.name] = { opsPerSecond: hz, errors: (ours as unknown[]).length };
    const columns = {
      'vs floor': times(hz.eventgen / hz.floor),
      ...Object.fromEntries(OTHERS.map((name) => [`${name} vs floor`, times(hz[name] / hz.floor)])),
    };
    const row = (baseline: 'floor' | 'zod', label: string, target: number | undefined): Row => {
      const base = {
        bench: 'P3',
        case: `${c.name} vs ${label}`,
        eventgen: hz.eventgen,
        baseline: hz[baseline],
        unit: 'validations/s',
        ratio: hz.eventgen / hz[baseline],
        columns,
      };
      return target === undefined ? base : withTarget(base, '≥', target, quick);
    };
    rows.push(row('floor', 'hand-written floor', c.floorTarget));
    if (c.zodTarget !== undefined) rows.push(row('zod', 'zod 4', c.zodTarget));
  }
  return { name: 'P3 validators', rows, details };
}
