/**
 * The JSON Schema of eventgen.config.json, from the option table (options.ts), as config.ts checks the
 * file: the options a file may set, by their command-line names, their camelCase forms too, and `$schema`.
 * Shipped in eventgen's package as eventgen.config.schema.json (test/config-schema.test.ts keeps the
 * file equal to this), which `eventgen init` names in the `$schema` of the file it writes, for editors.
 */
import { OPTIONS, type OptionSpec } from './options.ts';

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function optionSchema(o: OptionSpec): Record<string, unknown> {
  const description = o.defaultDescription ? `${o.describe} (default: ${o.defaultDescription})` : o.describe;
  switch (o.kind) {
    case 'switch':
      return { description, type: 'boolean' };
    case 'list':
      return {
        description,
        anyOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        ],
      };
    case 'string':
      if (o.choices) return { description, enum: [...o.choices] };
      if (o.name === 'max-doc-size') return { description, anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'string' }] };
      return { description, type: 'string', minLength: 1 };
  }
}

export function configSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    $schema: { description: 'The JSON Schema of this file, for editors', type: 'string' },
  };
  const inConfig = OPTIONS.filter((o) => o.inConfig);
  for (const o of inConfig) properties[o.name] = optionSchema(o);
  for (const o of inConfig) {
    if (camel(o.name) !== o.name) properties[camel(o.name)] = { $ref: `#/properties/${o.name}` };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'eventgen.config.json',
    description:
      'Options eventgen generate always takes in this project, by their command-line names; relative paths are relative to this file. Flags on the command line win.',
    type: 'object',
    properties,
    additionalProperties: false,
  };
}
