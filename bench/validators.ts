/**
 * P3: validations per second, valid and invalid input. The generated validators (of a package generated now,
 * bench/package.ts) against the hand-written floor (bench/floor.ts), ajv compiling the same schemas at run time with
 * eventgen's options, @exodus/schemasafe, and zod 4 with equivalent hand-written schemas (bench/zod-schemas.ts). Every
 * contestant of a case checks the same rules with the same date-time function and lists every error; each case first
 * checks that every contestant gives the expected verdict on each of its inputs and that the floor's errors are the
 * generated validators'. Each case has 16 inputs, taken in turn (different fixtures; for invalid input, different
 * fields broken, two or more errors each). Timing: batches of calls, the heap collected before each batch, rounds in
 * rotating order; a row's ratio is the median of the rounds' ratios (harness.ts, timeBatches). Measured in a process
 * of its own, started with `--expose-gc`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validator } from '@exodus/schemasafe';
import { createAjv, forAjv, profileOf } from '../generator/ajv.ts';
import { EVENT_GRID_ANY } from '../generator/emit/envelopes.ts';
import { isDateTime } from '../generator/formats.mjs';
import type { JsonSchema } from '../generator/ir.ts';
import * as floor from './floor.ts';
import {
  type Contestant,
  inChild,
  isChild,
  type Options,
  type Result,
  type Row,
  rateRatio,
  timeBatches,
  times,
  withTarget,
} from './harness.ts';
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
  /** The inputs, taken in turn (16). */
  readonly values: readonly unknown[];
  readonly valid: boolean;
  readonly contestants: Readonly<Record<Name, Contestant>>;
  /** The generated validators' errors of an input and the floor's, which must be equal. */
  readonly errors: (value: unknown) => [unknown, unknown];
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

/** Sixteen inputs: `make(k)` for k = 0…15. */
const sixteen = <T>(make: (k: number) => T): T[] => Array.from({ length: 16 }, (_, k) => make(k));

/** The pairs of distinct members of `list`, in order. */
function pairs<T>(list: readonly T[]): [T, T][] {
  return list.flatMap((a, i) => list.slice(i + 1).map((b) => [a, b] as [T, T]));
}

/** Ways to break an SMSReceived data field, each with two wrong values (one error each). */
const SMS_BREAKS: readonly [string, unknown, unknown][] = [
  ['MessageId', 1, null],
  ['From', null, 5],
  ['To', {}, true],
  ['Message', false, []],
  ['ReceivedTimestamp', 7, null],
];
/** Ways to break a ChatThreadCreatedWithUser data field (one or two errors each). */
const CHAT_BREAKS: readonly [string, unknown, unknown][] = [
  ['createdBy', 1, null],
  ['properties', 'x', { topic: 2 }],
  ['members', [{ displayName: 7 }, 'x'], 'x'],
  ['createTime', 5, false],
  ['version', '1', true],
  ['recipientId', null, {}],
  ['threadId', [], 3],
];
/** Ways to break an Event Grid envelope (one error each). */
const ENVELOPE_BREAKS: readonly [string, unknown, unknown][] = [
  ['eventTime', 'noon', 5],
  ['id', '', 1],
  ['subject', undefined, ''],
  ['dataVersion', 1, null],
  ['topic', '', 2],
  ['metadataVersion', '2', 1],
];

/** `value` with the k-th pair of `breaks` applied (the first or second wrong value, by k). */
function broken<T extends object>(value: T, breaks: readonly [string, unknown, unknown][], k: number): T {
  const all = pairs(breaks);
  const pair = all[k % all.length] as [[string, unknown, unknown], [string, unknown, unknown]];
  const out = { ...value } as Record<string, unknown>;
  for (const [field, first, second] of pair) out[field] = k % 2 === 0 ? first : second;
  return out as T;
}

/**
 * Honesty first: every contestant gives the expected verdict on every input of `c`, and the floor lists the
 * generated validators' errors (two or more for each invalid input). The number of errors of all its inputs.
 */
function checkCase(c: Case): number {
  let errorCount = 0;
  for (const value of c.values) {
    for (const [name, check] of Object.entries(c.contestants))
      if (check(value) !== c.valid) throw new Error(`P3 ${c.name}: ${name} says ${!c.valid} of ${JSON.stringify(value)}`);
    const [ours, hand] = c.errors(value);
    if (JSON.stringify(ours) !== JSON.stringify(hand))
      throw new Error(`P3 ${c.name}: the floor's errors ${JSON.stringify(hand)} are not eventgen's ${JSON.stringify(ours)}`);
    errorCount += (ours as unknown[]).length;
    if (!c.valid && (ours as unknown[]).length < 2) throw new Error(`P3 ${c.name}: an input with fewer than two errors`);
  }
  return errorCount;
}

/** P3, measured in a process of its own with `--expose-gc` (see harness.ts, inChild). */
export function run(options: Options): Promise<Result> {
  return inChild<Result>(fileURLToPath(import.meta.url), CHILD, options);
}

const CHILD = 'EVENTGEN_BENCH_P3_CHILD';

async function measure({ quick }: Options): Promise<Result> {
  const { pkg, schemasDir } = await generatedPackage();
  const runtime = compiledAtRunTime(schemasDir);

  const seed = (k: number) => ({ seed: 1000 + k });
  const sms = sixteen((k) => pkg.makeAcsSmsReceivedEventData(undefined, seed(k)));
  const badSms = sms.map((value, k) => broken(value, SMS_BREAKS, k));
  const chat = sixteen((k) => pkg.makeAcsChatThreadCreatedWithUserEventData(undefined, seed(k)));
  const badChat = chat.map((value, k) => broken(value, CHAT_BREAKS, k));
  const events = sixteen((k) => pkg.makeAcsSmsReceivedEventGridEvent(undefined, seed(k)));
  const badEnvelope = events.map((event, k) => broken({ ...event, data: badSms[k] }, ENVELOPE_BREAKS, k));
  const badData = events.map((event, k) => ({ ...event, data: badSms[k] }));

  const dataCase = (
    name: string,
    eventType: typeof SMS | typeof CHAT,
    values: readonly unknown[],
    valid: boolean,
    eventgen: (value: unknown) => { ok: boolean; errors?: unknown },
    hand: (value: unknown) => floor.FloorResult,
    targets: Pick<Case, 'floorTarget' | 'zodTarget'>,
  ): Case => ({
    name,
    values,
    valid,
    contestants: {
      eventgen: (v) => eventgen(v).ok,
      floor: (v) => hand(v) === true,
      ajv: runtime.ajv.data[eventType],
      schemasafe: runtime.schemasafe.data[eventType],
      zod: (v) => (eventType === SMS ? zod.smsReceived : zod.chatThreadCreatedWithUser).safeParse(v).success,
    },
    errors: (value) => [eventgen(value).errors ?? [], hand(value) === true ? [] : hand(value)],
    ...targets,
  });
  const eventCase = (
    name: string,
    values: readonly unknown[],
    valid: boolean,
    targets: Pick<Case, 'floorTarget' | 'zodTarget'>,
  ): Case => ({
    name,
    values,
    valid,
    contestants: {
      eventgen: (v) => pkg.validateEvent(v).kind === 'valid',
      floor: (v) => floor.eventGridEvent(v) === true,
      ajv: wholeEvent(runtime.ajv.envelope, runtime.ajv.data),
      schemasafe: wholeEvent(runtime.schemasafe.envelope, runtime.schemasafe.data),
      zod: zod.eventGridEvent,
    },
    errors: (value) => {
      const outcome = pkg.validateEvent(value);
      const hand = floor.eventGridEvent(value);
      return [outcome.kind === 'invalid' ? outcome.errors : [], hand === true || hand === undefined ? [] : hand];
    },
    ...targets,
  });
  const validSms = pkg.validateAcsSmsReceivedEventData;
  const validChat = pkg.validateAcsChatThreadCreatedWithUserEventData;
  // The goals: valid input at 0.8× the floor or better, invalid at 0.6× or better, data and whole events; 1.5× zod 4.
  const cases: Case[] = [
    dataCase('SMSReceived data, valid', SMS, sms, true, validSms, floor.smsReceivedData, { floorTarget: 0.8, zodTarget: 1.5 }),
    dataCase('SMSReceived data, invalid', SMS, badSms, false, validSms, floor.smsReceivedData, { floorTarget: 0.6 }),
    // Valid data of any event: the SMSReceived target applies.
    dataCase('ChatThreadCreatedWithUser data, valid', CHAT, chat, true, validChat, floor.chatThreadCreatedWithUserData, {
      floorTarget: 0.8,
    }),
    dataCase('ChatThreadCreatedWithUser data, invalid', CHAT, badChat, false, validChat, floor.chatThreadCreatedWithUserData, {
      floorTarget: 0.6,
    }),
    eventCase('whole Event Grid event, valid', events, true, { floorTarget: 0.8, zodTarget: 1.5 }),
    eventCase('whole Event Grid event, invalid envelope', badEnvelope, false, { floorTarget: 0.6 }),
    eventCase('whole Event Grid event, invalid data', badData, false, { floorTarget: 0.6 }),
  ];

  const timing = quick ? { batch: 64, rounds: 5, warmup: 1 } : { batch: 1024, rounds: 101, warmup: 10 };
  const only = process.env.EVENTGEN_BENCH_P3_CASES?.split('|');
  const rows: Row[] = [];
  const details: Record<string, unknown> = { timing, inputs: 16 };
  for (const c of cases) {
    if (only !== undefined && !only.some((o) => c.name.includes(o))) continue;
    const errorCount = checkCase(c);
    const batches = timeBatches(c.contestants, c.values, timing);
    const hz = batches.hz as Record<Name, number>;
    details[c.name] = { opsPerSecond: hz, errorsPerInput: errorCount / c.values.length };
    const columns = {
      'vs floor': times(rateRatio(batches, 'eventgen', 'floor')),
      ...Object.fromEntries(OTHERS.map((name) => [`${name} vs floor`, times(rateRatio(batches, name, 'floor'))])),
    };
    const row = (baseline: 'floor' | 'zod', label: string, target: number | undefined): Row => {
      const base = {
        bench: 'P3',
        case: `${c.name} vs ${label}`,
        eventgen: hz.eventgen,
        baseline: hz[baseline],
        unit: 'validations/s',
        ratio: rateRatio(batches, 'eventgen', baseline),
        columns,
      };
      return target === undefined ? base : withTarget(base, '≥', target, quick);
    };
    rows.push(row('floor', 'hand-written floor', c.floorTarget));
    if (c.zodTarget !== undefined) rows.push(row('zod', 'zod 4', c.zodTarget));
  }
  return { name: 'P3 validators', rows, details };
}

if (isChild(import.meta.url, CHILD)) {
  const result = await measure(JSON.parse(process.env[CHILD] as string) as Options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
