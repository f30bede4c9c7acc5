/**
 * Handlebars rendering of `templates/`. Templates are compiled with `strict: true`
 * (a missing field throws) and `noEscape: true` (code is not HTML); values reach
 * code only through the quoting helpers below.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { blockComment, lineComment, markdownCell, stringLiteral } from './quote.ts';

const TEMPLATES = new URL('../../templates/', import.meta.url);

const hbs = Handlebars.create();
/** A JSON / TypeScript string or value literal. */
hbs.registerHelper('json', (value: unknown) => JSON.stringify(value));
/** A single-quoted JavaScript string literal (the style of the generated code). */
hbs.registerHelper('str', (value: unknown) => stringLiteral(String(value)));
/** Text safe inside a `/** … *\/` comment, one ` * ` prefix per line. */
hbs.registerHelper('comment', (text: unknown, indent: unknown) =>
  blockComment(String(text))
    .split(/\r\n|[\r\n\u2028\u2029]/)
    .map((line) => `${typeof indent === 'string' ? indent : ''} * ${line}`.trimEnd())
    .join('\n'),
);
/** Text safe inside a `/* … *\/` comment on one line (no line break, cannot close the comment). */
hbs.registerHelper('inline', (text: unknown) => lineComment(blockComment(String(text))));
/** Text safe on a `//` comment line. */
hbs.registerHelper('line', (text: unknown) => lineComment(String(text)));
/** Text safe inside a markdown table cell. */
hbs.registerHelper('cell', (text: unknown) => markdownCell(String(text)));

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
