/** The names the view gives the package's types: the ones json-schema-to-typescript declares in data.ts. */
import { describe, expect, it } from 'vitest';
import { packageView } from '../../generator/emit/view.ts';
import type { JsonSchema } from '../../generator/ir.ts';

const object: JsonSchema = { type: 'object', properties: { a: { type: 'string' } } };

describe('type names in the view', () => {
  it.each([
    ['Sha256sumData', 'such as Sha256SumData'],
    ['order_data', 'such as OrderData'],
    ['class', 'such as Class'],
    ['', ''],
  ])('a curated x-eventgen-typeName %j that jstt would rename is refused, naming a usable one', (curated, hint) => {
    const { view, diagnostics } = packageView({
      events: [
        { eventType: 'Contoso.A.B', fileName: 'Contoso.A.B.schema.json', schema: { ...object, 'x-eventgen-typeName': curated } },
      ],
      shared: {},
    });
    expect(view.events).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'E_INVALID_TYPE_NAME',
        file: 'schemas/Contoso.A.B.schema.json',
        message: `x-eventgen-typeName ${JSON.stringify(curated)} of Contoso.A.B is not usable${hint === '' ? '' : `; ${hint}`}`,
      }),
    ]);
  });

  it('a curated name jstt keeps is used as it is', () => {
    const { view, diagnostics } = packageView({
      events: [
        {
          eventType: 'Contoso.A.B',
          fileName: 'Contoso.A.B.schema.json',
          schema: { ...object, 'x-eventgen-typeName': 'Sha256SumData' },
        },
      ],
      shared: {},
    });
    expect(diagnostics).toEqual([]);
    expect(view.events.map((e) => e.typeName)).toEqual(['Sha256SumData']);
  });

  it('shared definitions and event data are named as data.ts declares them', () => {
    const { view } = packageView({
      events: [{ eventType: 'Contoso.Orders.Sha256sum', fileName: 'Contoso.Orders.Sha256sum.schema.json', schema: object }],
      shared: { address_info: object, md5sum: object, Plain: object },
    });
    expect(view.events.map((e) => e.typeName)).toEqual(['ContosoOrdersSha256SumEventData']);
    expect(Object.fromEntries(view.sharedNames)).toEqual({ address_info: 'AddressInfo', md5sum: 'Md5Sum', Plain: 'Plain' });
  });

  it('type names that differ only in case are refused, as their handler files would be one file on macOS', () => {
    const event = (eventType: string) => ({ eventType, fileName: `${eventType}.schema.json`, schema: object });
    const { view, diagnostics } = packageView({ events: [event('Contoso.Ab.c'), event('Contoso.Abc')], shared: {} });
    expect(view.events.map((e) => e.typeName)).toEqual(['ContosoAbCEventData']);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'E_CASE_COLLISION',
        file: 'schemas/Contoso.Abc.schema.json',
        message:
          'Contoso.Abc and Contoso.Ab.c map to TypeScript names that differ only in case, ContosoAbcEventData and ContosoAbCEventData, and so would the names of their handler files',
      }),
    ]);
  });
});
