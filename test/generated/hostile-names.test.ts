/**
 * Names JavaScript treats specially: a data property named `__proto__`, and event types named
 * `__proto__`, `constructor`, `toString` and `hasOwnProperty`. The package is generated from the
 * current templates (the committed one has no such names) and type-checked with tsc.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRouter as createCommittedRouter,
  makeEventGridEvent,
  validateEvent as validateCommitted,
} from '../../generated/src/index.ts';
import { createAjv, protoSafe } from '../../generator/ajv.ts';
import type { JsonSchema } from '../../generator/ir.ts';
import { createFetchHandler } from '../../runtime/webhook.ts';
import { egEvent, fence, page, tsc } from '../helpers.ts';
import { buildPackage, removeBuilt } from './build.ts';
import { oracle } from './oracle.ts';

afterAll(removeBuilt);

const quiet = { info: () => {}, error: () => {} };
const SPECIAL = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'] as const;
const PROTO_THING = 'Contoso.Proto.Thing';

/** A schema file as a person would curate it in schemas/ (the docs cannot name a type `__proto__`). */
function curated(eventType: string): [string, string] {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${eventType}.schema.json`,
    title: eventType,
    type: 'object',
    properties: { name: { type: 'string' } },
    required: ['name'],
    examples: [{ name: eventType }],
  };
  return [`${eventType}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`];
}

const docs = [
  {
    path: 'docs/proto.md',
    text: page(
      fence([
        // Computed keys: own properties named __proto__, as JSON.parse makes them.
        egEvent(PROTO_THING, { ['__proto__']: 'text', other: 'o', nested: { ['__proto__']: 'deep' } }),
      ]),
    ),
  },
];
const built = await buildPackage(docs, new Map(SPECIAL.map(curated)));
const pkg = built.pkg;
// Event types of this package, which the committed package's types do not list.
const types = (t: string) => t as never;

/** The event `egEvent` makes, with `data` given as JSON text (so `__proto__` keys stay own properties). */
function eventWithData(eventType: string, dataJson: string): unknown {
  return JSON.parse(JSON.stringify(egEvent(eventType, '@data@')).replace('"@data@"', dataJson));
}

it('compiles with tsc --strict (computed keys for every event type)', () => {
  tsc(['-p', 'tsconfig.json', '--noEmit'], built.dir);
});

describe('a data property named __proto__', () => {
  const validators = pkg.dataValidators as unknown as Record<string, (value: unknown) => { ok: boolean }>;
  const validate = (value: unknown) => (validators[PROTO_THING] as (value: unknown) => { ok: boolean })(value);

  it('has its value checked: {"__proto__": 5} from JSON.parse is rejected at /__proto__', () => {
    expect(validate(JSON.parse('{"__proto__": 5, "other": "o"}'))).toEqual({
      ok: false,
      errors: [{ path: '/__proto__', keyword: 'type', message: '/__proto__ must be string' }],
    });
    expect(validate(JSON.parse('{"__proto__": "text", "other": "o"}')).ok).toBe(true);
    expect(validate(JSON.parse('{"other": "o", "nested": {"__proto__": []}}'))).toMatchObject({
      ok: false,
      errors: [{ path: '/nested/__proto__', keyword: 'type' }],
    });
  });

  it('is checked inside a whole event, with the path into the event', () => {
    expect(pkg.validateEvent(eventWithData(PROTO_THING, '{"__proto__": {"polluted": true}}'))).toMatchObject({
      kind: 'invalid',
      errors: [{ path: '/data/__proto__', keyword: 'type' }],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('makes every mutant invalid, and agrees with ajv interpreting the same schemas', () => {
    const files = new Map([...built.schemas].map(([file, text]) => [file, JSON.parse(text) as JsonSchema]));
    const ajv = oracle(files);
    const mutants = pkg.mutantsOf(types(PROTO_THING));
    expect(mutants.map((m) => m.path)).toContain('/__proto__');
    for (const mutant of mutants) {
      expect([validate(mutant.data).ok, ajv.data(PROTO_THING, mutant.data)], mutant.description).toEqual([false, false]);
    }
    for (const json of [
      '{"__proto__": 5}',
      '{"__proto__": "s"}',
      '{"nested": {"__proto__": 1}}',
      '{"nested": {"__proto__": "x"}}',
    ]) {
      const value = JSON.parse(json);
      expect(validate(value).ok, json).toBe(ajv.data(PROTO_THING, value));
    }
  });

  it('is checked by every ajv eventgen creates, and is not an additional property', () => {
    const schema = {
      type: 'object',
      properties: JSON.parse('{"__proto__": {"type": "string"}, "b": {"type": "integer"}}'),
      additionalProperties: false,
    };
    const validate = createAjv({ standalone: false }).compile(schema);
    expect(validate(JSON.parse('{"__proto__": "s", "b": 1}'))).toBe(true);
    expect(validate(JSON.parse('{"__proto__": 5}'))).toBe(false);
    expect(validate.errors).toMatchObject([{ instancePath: '/__proto__', keyword: 'type' }]);
    expect(validate(JSON.parse('{"c": 1}'))).toBe(false);
    // Schemas without such a property are passed on as they are (ajv caches compiled schemas by object).
    const plain = { type: 'object', properties: { a: { const: JSON.parse('{"__proto__": 1}') } } };
    expect(protoSafe(plain)).toBe(plain);
  });
});

describe('event types named like Object.prototype members', () => {
  it('are event types, each with its own validator', () => {
    for (const eventType of SPECIAL) {
      expect(pkg.isEventType(eventType), eventType).toBe(true);
      expect(Object.hasOwn(pkg.dataValidators, eventType), eventType).toBe(true);
      expect(pkg.validateEvent(egEvent(eventType, { name: 'n' })), eventType).toMatchObject({ kind: 'valid', eventType });
      expect(pkg.validateEvent(egEvent(eventType, { name: 1 })), eventType).toMatchObject({ kind: 'invalid' });
    }
  });

  it('route to their handlers', async () => {
    const seen: string[] = [];
    const handler = (event: { eventType: string }) => {
      seen.push(event.eventType);
    };
    const router = pkg.createRouter(
      { ['__proto__']: handler, constructor: handler, toString: handler, hasOwnProperty: handler } as never,
      { log: quiet },
    );
    const report = await router.dispatch(SPECIAL.map((t) => egEvent(t, { name: 'n' })));
    expect(report.events.map((e) => e.status)).toEqual(['handled', 'handled', 'handled', 'handled']);
    expect(seen).toEqual([...SPECIAL]);
  });

  it("route to the skeleton handlers of the application's handlers/index.ts, through the webhook", async () => {
    const logged: string[] = [];
    const { handlers } = (await import(`${built.handlersDir}/index.ts`)) as { handlers: Parameters<typeof pkg.createRouter>[0] };
    const router = pkg.createRouter(handlers, { log: { info: (m: string) => logged.push(m), error: () => {} } });
    const body = JSON.stringify(SPECIAL.map((t) => pkg.makeEventGridEvent(types(t))));
    const response = await createFetchHandler(router as never)(
      new Request('http://localhost/', { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
    );
    expect([response.status, ((await response.json()) as { handled: number }).handled]).toEqual([200, 4]);
    expect(logged.map((m) => m.split(' ')[0])).toEqual([...SPECIAL]);
  });

  it('type-check in the handlers folder against the package (tsc --strict)', () => {
    tsc(
      [
        '--noEmit',
        '--strict',
        '--module',
        'NodeNext',
        '--moduleResolution',
        'NodeNext',
        '--target',
        'ES2022',
        '--types',
        'node',
        '--skipLibCheck',
        'index.ts',
        'server.ts',
      ],
      built.handlersDir,
    );
  });

  it('are unknown, without touching Object.prototype, to a package that does not document them', async () => {
    for (const eventType of SPECIAL) {
      const event = { ...makeEventGridEvent('Microsoft.Communication.SMSReceived'), eventType };
      expect(validateCommitted(event), eventType).toMatchObject({ kind: 'unknown', eventType });
      const report = await createCommittedRouter({}, { log: quiet }).dispatch([event]);
      expect(report.events, eventType).toMatchObject([{ status: 'unknown', eventType }]);
    }
  });
});
