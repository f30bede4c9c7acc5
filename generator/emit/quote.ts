/**
 * The quoting helpers: the only way text from a doc or a schema file reaches generated code.
 * One per context, each total (any input gives safe output):
 *
 * - `stringLiteral`: a single-quoted TypeScript / JavaScript string literal;
 * - `blockComment`: text inside a `/* … *\/` or JSDoc comment (`*\/` cannot close it);
 * - `lineComment`: text on one `//` line (line terminators, U+2028 and U+2029 included, become spaces);
 * - `markdownCell`: text inside a markdown table cell (no `|`, no line break, no HTML);
 * - `htmlText`: text in HTML element content or a double- or single-quoted attribute value (the catalog page).
 *
 * JSON.stringify is the literal for JSON values (it escapes U+2028 / U+2029 since ES2019 only
 * as data; both are legal in string literals since ES2019, which TypeScript targets here).
 */

const LINE_TERMINATORS = /[\r\n\u2028\u2029]/g;

export function stringLiteral(value: string): string {
  return `'${value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}

export function blockComment(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

export function lineComment(text: string): string {
  return text.replace(LINE_TERMINATORS, ' ');
}

export function markdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*[\r\n\u2028\u2029]\s*/g, ' ')
    .replace(/</g, '&lt;');
}

/**
 * Text for HTML element content and quoted attribute values: `&`, `<`, `>`, `"` and `'` become character
 * references, so no text can open a tag, close an attribute or start a reference. Not for unquoted
 * attributes, URLs, `<script>` or `<style>` content (the catalog page puts none there).
 */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_REFERENCES[c] as string);
}

const HTML_REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
