/**
 * Handlebars rendering of `templates/`. Templates are compiled with `strict: true`
 * (a missing field throws) and `noEscape: true` (code is not HTML); values reach
 * code only through the quoting helpers below.
 *
 * The build (scripts/build.mjs) precompiles every template into `dist/templates.json` with
 * the same options, each with the SHA-256 of its source: the built CLI renders those with
 * Handlebars' runtime alone (no parser or code generator to load and run), and compiles a
 * template only when its file no longer matches (edited since the build) or when running
 * from source, so what is rendered is always what the template says.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { sha256 } from '../hash.ts';
import { blockComment, htmlText, lineComment, markdownCell, stringLiteral } from './quote.ts';

const TEMPLATES = new URL('../../templates/', import.meta.url);
/** Written by the build beside the compiled modules (dist/templates.json); absent when running from source. */
const PRECOMPILED = new URL('../templates.json', import.meta.url);
/** The options of every template, here and in the build's precompilation. */
export const COMPILE_OPTIONS = { strict: true, noEscape: true } as const;

const require = createRequire(import.meta.url);

function withHelpers(env: typeof Handlebars): typeof Handlebars {
  const hbs = env.create();
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
  /** Text safe in HTML element content or a quoted attribute (the catalog page). */
  hbs.registerHelper('html', (text: unknown) => htmlText(String(text)));
  return hbs;
}

interface Precompiled {
  readonly sha256: string;
  /** Handlebars.precompile's output: the source of a template specification. */
  readonly spec: string;
}

let precompiled: Record<string, Precompiled> | null | undefined;
function precompiledTemplates(): Record<string, Precompiled> | null {
  if (precompiled === undefined) {
    try {
      precompiled = JSON.parse(readFileSync(PRECOMPILED, 'utf8')) as Record<string, Precompiled>;
    } catch {
      precompiled = null;
    }
  }
  return precompiled;
}

let runtime: typeof Handlebars | undefined;
let compiler: typeof Handlebars | undefined;

/** hash.ts's SHA-256, as emit's cache keys use it (typescript.ts). */

const cache = new Map<string, Handlebars.TemplateDelegate>();

export function render(name: string, view: object): string {
  let template = cache.get(name);
  if (template === undefined) {
    const source = readFileSync(new URL(name, TEMPLATES), 'utf8');
    const built = precompiledTemplates()?.[name];
    if (built !== undefined && built.sha256 === sha256(source)) {
      runtime ??= withHelpers(require('handlebars/runtime') as typeof Handlebars);
      // The specification is code Handlebars generated from this very template (its hash matches).
      template = runtime.template(new Function(`return ${built.spec};`)() as Parameters<typeof Handlebars.template>[0]);
    } else {
      compiler ??= withHelpers(require('handlebars') as typeof Handlebars);
      template = compiler.compile(source, COMPILE_OPTIONS);
    }
    cache.set(name, template);
  }
  return template(view);
}
