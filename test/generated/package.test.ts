/**
 * The package as an application uses it, built from the current templates and runtime/: its validators
 * are Standard Schemas that a real consumer (Hono's standard-validator) takes, with types @standard-schema/spec
 * infers; and its entry points are light: the webhook's import graph, once built, reaches neither the
 * fixtures nor node:http nor jose.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sValidator } from '@hono/standard-validator';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { shippedDocs, tsc } from '../helpers.ts';
import { buildPackage, removeBuilt } from './build.ts';

afterAll(removeBuilt);
const { pkg, dir } = await buildPackage(shippedDocs());
const sms = () => pkg.makeEventGridEvent('Microsoft.Communication.SMSReceived', undefined, { seed: 4 });

describe('Standard Schema v1', () => {
  it('is on every validator: each data validator, both envelopes, validateEvent and validateEvents', () => {
    const validators = [
      ...Object.values(pkg.dataValidators),
      pkg.validateEventGridEvent,
      pkg.validateCloudEvent,
      pkg.validateEvent,
      pkg.validateEvents,
    ];
    expect(validators).toHaveLength(pkg.EVENT_TYPES.length + 4);
    for (const validator of validators) {
      const props = (validator as unknown as StandardSchemaV1)['~standard'];
      expect([props.version, props.vendor, typeof props.validate]).toEqual([1, 'eventgen', 'function']);
    }
  });

  it('answers { value } or { issues } with paths as arrays of keys (array indices as numbers)', () => {
    const standard = (v: unknown) => (v as StandardSchemaV1)['~standard'];
    const data = pkg.makeAcsSmsDeliveryReportReceivedEventData({}, { seed: 1 });
    expect(standard(pkg.validateAcsSmsDeliveryReportReceivedEventData).validate(data)).toEqual({ value: data });
    const bad = { ...data, DeliveryAttempts: [{ SegmentsSucceeded: 'one' }] };
    expect(standard(pkg.validateAcsSmsDeliveryReportReceivedEventData).validate(bad)).toEqual({
      issues: [
        { message: '/DeliveryAttempts/0/SegmentsSucceeded must be number', path: ['DeliveryAttempts', 0, 'SegmentsSucceeded'] },
      ],
    });
    expect(standard(pkg.validateEvent).validate({ ...sms(), data: { From: 1 } })).toEqual({
      issues: [{ message: '/data/From must be string', path: ['data', 'From'] }],
    });
    expect(standard(pkg.validateEvent).validate({ ...sms(), eventType: 'Contoso.Other' })).toMatchObject({
      issues: [{ path: ['eventType'] }],
    });
    expect(standard(pkg.validateEvents).validate([sms(), { ...sms(), id: '' }])).toMatchObject({
      issues: [{ path: [1, 'id'] }],
    });
  });

  it("is taken by a real consumer: Hono's standard-validator middleware", async () => {
    // Typed as the committed package's validators (the built one's types are checked by tsc below).
    const data = pkg.validateAcsSmsReceivedEventData as unknown as StandardSchemaV1<unknown, { From?: string }>;
    const event = pkg.validateEvent as unknown as StandardSchemaV1<unknown, { id: string }>;
    const app = new Hono();
    app.post('/sms', sValidator('json', data), (c) => c.json({ from: c.req.valid('json').From }));
    app.post('/event', sValidator('json', event), (c) => c.json({ id: c.req.valid('json').id }));
    const post = (route: string, body: unknown) =>
      app.request(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await post('/sms', sms().data);
    expect([ok.status, await ok.json()]).toEqual([200, { from: '15555555555' }]);
    const bad = await post('/sms', { From: 15555555555 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('"path":["From"]');
    expect((await post('/event', sms())).status).toBe(200);
    expect((await post('/event', { ...sms(), eventTime: 'noon' })).status).toBe(400);
  });

  it("types: @standard-schema/spec's own interface takes them and infers their output", () => {
    writeFileSync(
      path.join(dir, 'src/standard-check.ts'),
      `import type { StandardSchemaV1 } from '@standard-schema/spec';
import { validateAcsSmsReceivedEventData, validateEvent, validateCloudEvent, type AcsSmsReceivedEventData, type AnyEvent, type CloudEvent } from './index.js';
const data: StandardSchemaV1<unknown, AcsSmsReceivedEventData> = validateAcsSmsReceivedEventData;
const event: StandardSchemaV1<unknown, AnyEvent> = validateEvent;
const cloud: StandardSchemaV1<unknown, CloudEvent> = validateCloudEvent;
type Out = StandardSchemaV1.InferOutput<typeof validateAcsSmsReceivedEventData>;
export const from: Out['From'] = 'x';
// @ts-expect-error the output is the event's data type, not any
export const wrong: Out['From'] = 1;
export { cloud, data, event };
`,
    );
    tsc(['-p', 'tsconfig.json', '--noEmit'], dir);
  });
});

describe('light entry points', () => {
  /** Every module the built `entry` imports statically, transitively (relative ones by file, packages by name). */
  function importGraph(entry: string): Set<string> {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      if (!file.startsWith('/')) return;
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm)) {
        const specifier = (match[1] ?? match[2]) as string;
        visit(specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : specifier);
      }
    };
    visit(path.join(dir, 'dist', entry));
    return new Set([...seen].map((f) => (f.startsWith(dir) ? path.relative(path.join(dir, 'dist'), f) : f)));
  }

  it('builds with its own build script, and declares sideEffects: false and a subpath per entry point', () => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: dir, encoding: 'utf8' });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest.sideEffects).toBe(false);
    for (const subpath of ['./webhook', './router', './validators', './fixtures', './node-http', './azure-functions']) {
      expect(existsSync(path.join(dir, manifest.exports[subpath].default)), subpath).toBe(true);
      expect(existsSync(path.join(dir, manifest.exports[subpath].types)), subpath).toBe(true);
    }
  });

  it('the webhook and the router reach no fixture code, node:http or jose; only the webhook with auth loads jose, lazily', () => {
    const webhook = importGraph('webhook.js');
    // The Fetch API handler, its core and what they answer with: no router implementation (the router is given to it),
    // no validators, no fixtures, no node: module.
    expect([...webhook].sort()).toEqual([
      'answers.js',
      'auth.js',
      'cloudevents-binary.js',
      'logging.js',
      'record-hook.js',
      'request-checks.js',
      'router-api.js',
      'time-limit.js',
      'webhook-core.js',
      'webhook.js',
    ]);
    const router = importGraph('router.js');
    expect(router.has('fixtures.js') || router.has('fixture-factories.js') || router.has('fixture-models.js')).toBe(false);
    expect([...router].filter((m) => !m.endsWith('.js') || m.startsWith('node:'))).toEqual([]);
    expect(readFileSync(path.join(dir, 'dist/auth.js'), 'utf8')).toContain("import('jose')");
    expect(importGraph('node-http.js').has('node:http')).toBe(true);
    expect(importGraph('index.js').has('fixtures.js')).toBe(true);
  });
});
