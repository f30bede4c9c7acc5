/**
 * Handlebars rendering of `templates/`. Templates are compiled with `strict: true`
 * (a missing field throws) and `noEscape: true` (code is not HTML); values reach
 * code only through the quoting helpers below.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

const TEMPLATES = new URL('../../templates/', import.meta.url);

const hbs = Handlebars.create();
/** A JSON / TypeScript string or value literal. */
hbs.registerHelper('json', (value: unknown) => JSON.stringify(value));
/** A single-quoted JavaScript string literal (the style of the generated code). */
hbs.registerHelper(
  'str',
  (value: unknown) => `'${JSON.stringify(String(value)).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`,
);
/** Text safe inside a `/** … *\/` comment, one ` * ` prefix per line. */
hbs.registerHelper('comment', (text: unknown, indent: unknown) =>
  String(text)
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((line) => `${typeof indent === 'string' ? indent : ''} * ${line}`.trimEnd())
    .join('\n'),
);
/** Text safe inside a markdown table cell. */
hbs.registerHelper('cell', (text: unknown) =>
  String(text)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/</g, '&lt;'),
);

const cache = new Map<string, Handlebars.TemplateDelegate>();

export function render(name: string, view: object): string {
  let template = cache.get(name);
  if (template === undefined) {
    const source = readFileSync(new URL(name, TEMPLATES), 'utf8');
    template = hbs.compile(source, { strict: true, noEscape: true });
    cache.set(name, template);
  }
  return template(view);
}
