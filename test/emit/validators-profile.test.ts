/**
 * The compiled validators carry only what the schemas use: format checks from the package's own formats.js (a
 * copy of generator/formats.mjs), `.length` for lengths when no schema constrains more than "non-empty", and no
 * dynamic scope or evaluated-property tracking unless a schema uses them; a schema that does gets them back.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileOf } from '../../generator/ajv.ts';
import { compileValidators, formatsModule } from '../../generator/emit/validators.ts';
import type { JsonSchema } from '../../generator/ir.ts';
import { ROOT, run, shippedDocs } from '../helpers.ts';

const schema = (properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema => ({
  $id: 'Contoso.Test.schema.json',
  type: 'object',
  properties,
  ...extra,
});
const importsOf = (code: string) => [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);

describe('compiled validators', () => {
  it('for the shipped docs: formats from ./formats.js, nothing from ajv, no dynamic scope', async () => {
    const result = await run(shippedDocs());
    const code = result.generated.get('src/validators.compiled.js') as string;
    expect(importsOf(code)).toEqual(['./formats.js']);
    expect(code).not.toMatch(/dynamicAnchors|\.evaluated\b|ucs2length/);
    expect(code).toContain('.length < 1');
    expect(result.generated.get('src/formats.js')).toBe(
      `${(result.generated.get('src/formats.js') as string).split('\n')[0]}\n${formatsModule()}`,
    );
    expect(formatsModule()).toBe(readFileSync(`${ROOT}/generator/formats.mjs`, 'utf8'));
    const dependencies = JSON.parse(result.generated.get('package.json') as string).dependencies;
    expect(dependencies['ajv-formats']).toBe('^3.0.1');
    expect(dependencies).not.toHaveProperty('ajv');
  });

  it('count code points when a schema constrains a length beyond non-empty', () => {
    const { code, imports } = compileValidators(new Map([['Test', schema({ name: { type: 'string', minLength: 2 } })]]), {});
    expect(importsOf(code)).toContain('ajv/dist/runtime/ucs2length.js');
    expect(imports).toEqual(['ajv', 'ajv-formats']);
  });

  it('keep dynamic scope and evaluated tracking for a schema that uses unevaluatedProperties', () => {
    const { code } = compileValidators(
      new Map([['Test', schema({ name: { type: 'string' } }, { unevaluatedProperties: false })]]),
      {},
    );
    expect(code).toMatch(/dynamicAnchors/);
  });

  it('still rejects a schema that breaks the 2020-12 meta-schema (checked by an ajv with dynamic scope)', () => {
    expect(() =>
      compileValidators(new Map([['Test', schema({ name: { type: 'string', minLength: 'x' } as never })]]), {}),
    ).toThrow(/schema is invalid: .*minLength must be integer/);
  });

  it('profiles conservatively', () => {
    expect(profileOf([{ minLength: 1 }, { maxLength: 0 }])).toEqual({ dynamicScope: false, codePointLengths: false });
    expect(profileOf([{ properties: { a: { maxLength: 3 } } }])).toEqual({ dynamicScope: false, codePointLengths: true });
    expect(profileOf([{ $defs: { a: { $dynamicAnchor: 'x' } } }]).dynamicScope).toBe(true);
    expect(profileOf([{ const: { unevaluatedItems: 1 } }]).dynamicScope).toBe(true);
  });
});
