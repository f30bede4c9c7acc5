/**
 * When new events appear: v1 docs, then a hand edit in schemas/, then v2 docs with a new
 * event, a new field, a renamed field, a type change and a removed doc. The report, its JSON,
 * the CHANGELOG entry and the version bump are compared with golden files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../generator/cli.ts';
import { ROOT, removeDir, tempDir } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

const docs = (version: string) => path.relative(process.cwd(), path.join(ROOT, 'test/fixtures/evolution', version));

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A workspace generated from v1, with a curated enum on OrderShipped's carrier. */
async function v1Workspace() {
  const dir = tempDir('eventgen-evolution-');
  dirs.push(dir);
  const schemas = path.join(dir, 'schemas');
  const out = path.join(dir, 'generated');
  const generate = (version: string, ...more: string[]) =>
    cli(['generate', '--docs', docs(version), '--schemas', schemas, '--out', out, '--quiet', ...more]);
  expect((await generate('v1')).code).toBe(0);
  const shipped = path.join(schemas, 'Contoso.Orders.OrderShipped.schema.json');
  const schema = JSON.parse(readFileSync(shipped, 'utf8'));
  schema.properties.carrier.enum = ['UPS', 'DHL'];
  writeFileSync(shipped, `${JSON.stringify(schema, null, 2)}\n`);
  return { dir, schemas, out, generate, read: (file: string) => readFileSync(path.join(dir, file), 'utf8') };
}

describe('v1 → v2', () => {
  it('reports every change with its class, writes the CHANGELOG entry and bumps the major version', async () => {
    const w = await v1Workspace();
    expect(JSON.parse(w.read('generated/package.json')).version).toBe('1.0.0');
    const report = path.join(w.dir, 'report.json');
    const run = await w.generate('v2', '--report-json', report);
    expect(run.code).toBe(0);
    await expect(`${run.out}\n`).toMatchFileSnapshot('__golden__/evolution/v2-summary.txt');
    await expect(readFileSync(report, 'utf8')).toMatchFileSnapshot('__golden__/evolution/v2-report.json');
    await expect(w.read('generated/CHANGELOG.md')).toMatchFileSnapshot('__golden__/evolution/v2-CHANGELOG.md');
    expect(JSON.parse(w.read('generated/package.json')).version).toBe('2.0.0');
    expect(run.err).toMatch(/evolution\/v2\/orders\.md:40 warning W_CURATED_CONFLICT Contoso\.Orders\.OrderShipped \/carrier/);

    // The curated enum survives; the renamed and the undocumented stay; the widened type is in the types.
    const shipped = JSON.parse(w.read('schemas/Contoso.Orders.OrderShipped.schema.json'));
    expect(shipped.properties.carrier.enum).toEqual(['UPS', 'DHL']);
    const placed = JSON.parse(w.read('schemas/Contoso.Orders.OrderPlaced.schema.json'));
    expect(Object.keys(placed.properties)).toEqual(['orderId', 'CustomerId', 'quantity', 'total', 'placedAt', 'customerId']);
    expect(placed.required ?? []).not.toContain('CustomerId');
    expect(JSON.parse(w.read('schemas/Contoso.Orders.OrderCancelled.schema.json')).title).toBe('Contoso.Orders.OrderCancelled');
    expect(w.read('generated/src/data.ts')).toMatch(/quantity\?: string \| number;/);

    // A second run changes nothing and bumps nothing; the conflict is still reported until someone resolves it.
    const again = await w.generate('v2');
    expect(again.out).toContain('Version: 2.0.0 (generated code unchanged, breaking)');
    expect(again.out).toContain('0 files written');
    expect(again.out).not.toContain('event added');
    expect(again.out).not.toContain('candidate');
  });

  it('--fail-on breaking writes nothing and exits 1 on a breaking change', async () => {
    const w = await v1Workspace();
    const before = w.read('generated/src/data.ts');
    const gated = await w.generate('v2', '--fail-on', 'breaking');
    expect(gated.code).toBe(1);
    expect(gated.out).toContain('nothing written: the run would make a breaking change (--fail-on breaking)');
    expect(w.read('generated/src/data.ts')).toBe(before);
  });

  it('--fail-on breaking stops a curated narrowing, and lets an additive change through with a minor bump', async () => {
    const w = await v1Workspace();
    // The enum curated after v1 narrows the contract: a breaking change of its own, released first.
    const curated = await w.generate('v1', '--fail-on', 'breaking');
    expect(curated.code).toBe(1);
    expect(curated.out).toContain('narrowed by curation /carrier: "enum" set to ["UPS","DHL"] in schemas/ [forward, breaking]');
    expect((await w.generate('v1')).out).toContain('Version: 1.0.0 → 2.0.0 (major, breaking)');
    const run = await w.generate('v2-additive', '--fail-on', 'breaking');
    expect(run.code).toBe(0);
    expect(run.out).toContain('Contoso.Orders.OrderRefunded\n    - event added [full]');
    expect(run.out).toContain('Version: 2.0.0 → 2.1.0 (minor, not breaking)');
    expect(JSON.parse(w.read('generated/package.json')).version).toBe('2.1.0');
    expect(w.read('generated/CHANGELOG.md')).toMatch(
      /## 2\.1\.0\n\n- `Contoso\.Orders\.OrderRefunded`\n {2}- event added \[full\]\n$/,
    );
  });
});

describe('curation on the shipped docs', () => {
  it('keeps an enum on DeliveryStatus and flags the sample that contradicts it', async () => {
    const dir = tempDir('eventgen-curated-');
    dirs.push(dir);
    const schemas = path.join(dir, 'schemas');
    const argv = ['generate', '--docs', 'docs', '--schemas', schemas, '--out', path.join(dir, 'generated'), '--quiet'];
    await cli(argv);
    const file = path.join(schemas, 'Microsoft.Communication.SMSDeliveryReportReceived.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    schema.properties.DeliveryStatus.enum = ['Failed', 'Expired'];
    writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
    const run = await cli(argv);
    expect(run.err).toMatch(
      /docs\/event-grid-source\.fr-FR\.md:75 warning W_CURATED_CONFLICT Microsoft\.Communication\.SMSDeliveryReportReceived \/DeliveryStatus/,
    );
    expect(run.out).toContain('curated conflict /DeliveryStatus');
    expect(JSON.parse(readFileSync(file, 'utf8')).properties.DeliveryStatus.enum).toEqual(['Failed', 'Expired']);
  });
});
