import { describe, expect, it } from 'vitest';
import type { JsonSchema, SchemaSet } from '../generator/ir.ts';
import { merge, mergeSchema, parseExisting } from '../generator/merge/index.ts';

describe('merge with schemas/', () => {
  it('keeps keywords a person added and refreshes inferred ones', () => {
    const base: JsonSchema = {
      type: 'object',
      properties: { s: { type: 'string', enum: ['A', 'B'], description: 'status' } },
      'x-eventgen-typeName': 'Custom',
    };
    const inferred: JsonSchema = {
      type: 'object',
      properties: { s: { type: 'string' }, n: { type: 'integer' } },
      required: ['s'],
    };
    expect(mergeSchema(base, inferred)).toEqual({
      type: 'object',
      properties: { s: { type: 'string', enum: ['A', 'B'], description: 'status' }, n: { type: 'integer' } },
      required: ['s'],
      'x-eventgen-typeName': 'Custom',
    });
  });

  it('keeps properties and schemas the docs no longer show', () => {
    const existing = new Map<string, JsonSchema>([
      ['Gone.Event.schema.json', { title: 'Gone.Event', type: 'object', 'x-eventgen': { eventType: 'Gone.Event' } }],
      ['A.B.schema.json', { type: 'object', properties: { old: { type: 'string' } } }],
    ]);
    const inferred: SchemaSet = {
      events: [
        { eventType: 'A.B', fileName: 'A.B.schema.json', schema: { type: 'object', properties: { x: { type: 'string' } } } },
      ],
      shared: {},
    };
    const merged = merge(existing, inferred);
    expect(merged.events.map((e) => e.eventType)).toEqual(['A.B', 'Gone.Event']);
    expect(Object.keys(merged.events[0]?.schema.properties ?? {})).toEqual(['x', 'old']);
  });

  it('reports an unreadable schema file with its line', () => {
    const { diagnostics } = parseExisting(new Map([['A.schema.json', '{\n  "type": "object",\n  oops\n}']]), 'schemas');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'E_SCHEMA_READ', file: 'schemas/A.schema.json', line: 3 });
  });
});
