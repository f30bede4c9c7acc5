/**
 * Quoting for the hand-rendered sources beside quicktype's output: every string that
 * comes from a schema (event types come from the docs) is printed through one of these
 * helpers, never pasted. Each escapes everything outside printable ASCII, so the result
 * is plain ASCII whatever the input (no line separators, bidi controls or `*\/` tricks).
 */

const PRINTABLE = /^[\x20-\x7e]$/;

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

/** The code points of `text`, with a lone surrogate as itself (JSON text can carry one). */
function* codePoints(text: string): Generator<number> {
  for (const char of text) yield char.codePointAt(0) ?? 0;
}

const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;

/**
 * Languages whose strings are UTF-8 or Unicode scalars (Go, Rust, Swift) cannot hold a lone
 * surrogate; their JSON decoders turn one into U+FFFD, so the literal does too.
 */
const scalar = (code: number) => (isSurrogate(code) ? 0xfffd : code);

/** C# regular string literal; UTF-16 units as `\uXXXX`. */
export function csharpString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (PRINTABLE.test(char)) out += char;
    else out += `\\u${hex(text.charCodeAt(i), 4)}`;
  }
  return `"${out}"`;
}

/**
 * Java string literal. Java turns `\uXXXX` into its character before it even lexes
 * (JLS 3.3), so `\u0022` would close the string: control characters are written as octal
 * escapes and only characters above ASCII as `\uXXXX`.
 */
export function javaString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const code = text.charCodeAt(i);
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (PRINTABLE.test(char)) out += char;
    else if (code < 0x80) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += `\\u${hex(code, 4)}`;
  }
  return `"${out}"`;
}

/** Kotlin string literal: `$` starts a template, so it is escaped too. */
export function kotlinString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '"' || char === '\\' || char === '$') out += `\\${char}`;
    else if (PRINTABLE.test(char)) out += char;
    else out += `\\u${hex(text.charCodeAt(i), 4)}`;
  }
  return `"${out}"`;
}

/** A double-quoted literal: `"` and `\\` escaped, printable ASCII kept, every other code point through `escapeCode`. */
function quoted(text: string, escapeCode: (code: number) => string, loneSurrogates: 'keep' | 'replace'): string {
  let out = '';
  for (const raw of codePoints(text)) {
    const code = loneSurrogates === 'keep' ? raw : scalar(raw);
    const char = String.fromCodePoint(code);
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (PRINTABLE.test(char)) out += char;
    else out += escapeCode(code);
  }
  return `"${out}"`;
}

/** `\uXXXX`, or `\UXXXXXXXX` beyond the Basic Multilingual Plane (Python, Go, TOML). */
const shortOrLong = (code: number) => (code > 0xffff ? `\\U${hex(code, 8)}` : `\\u${hex(code, 4)}`);

/** Python str literal; a lone surrogate stays one (Python strings may hold it). */
export const pythonString = (text: string): string => quoted(text, shortOrLong, 'keep');

/** Go interpreted string literal. */
export const goString = (text: string): string => quoted(text, shortOrLong, 'replace');

/** Rust and Swift string literals share `\u{…}` escapes. */
const bracedUnicodeString = (text: string): string => quoted(text, (code) => `\\u{${hex(code, 4)}}`, 'replace');

export const rustString = bracedUnicodeString;
export const swiftString = bracedUnicodeString;

/** TOML basic string (Cargo.toml, pyproject.toml). */
export const tomlString = (text: string): string => quoted(text, shortOrLong, 'replace');

/** XML character data or attribute value (pom.xml, .csproj); characters XML 1.0 forbids are dropped. */
export function xmlText(text: string): string {
  let out = '';
  for (const code of codePoints(text)) {
    if (code === 0x26) out += '&amp;';
    else if (code === 0x3c) out += '&lt;';
    else if (code === 0x3e) out += '&gt;';
    else if (code === 0x22) out += '&quot;';
    else if (code === 0x27) out += '&apos;';
    else if (PRINTABLE.test(String.fromCodePoint(code))) out += String.fromCodePoint(code);
    else if ((code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) && !isSurrogate(code) && code < 0xfffe)
      out += `&#x${hex(code, 1)};`;
  }
  return out;
}

/**
 * Identifiers the hand-rendered code prints (type names, package segments) are checked,
 * not escaped: a name that is not a plain ASCII identifier is a bug upstream, so it throws.
 */
export function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${JSON.stringify(name)}`);
  return name;
}
