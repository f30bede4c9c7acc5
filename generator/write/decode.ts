/**
 * Bytes of a doc → text. The encoding is chosen by the byte order mark, as the WHATWG
 * Encoding Standard's "decode" does (https://encoding.spec.whatwg.org/#decode): UTF-8 (the
 * mark is dropped, so front matter still starts the page), UTF-16LE or UTF-16BE; without
 * a mark, UTF-8. Bytes that are not valid in the encoding become U+FFFD and are reported
 * with their line, never dropped silently.
 */

export interface Decoded {
  readonly text: string;
  /** What was wrong with the bytes, and the 1-based line it starts on. */
  readonly problem?: { readonly line: number; readonly message: string };
}

export function decode(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes.subarray(2), 'utf-16be');
  return utf8(bytes);
}

function utf8(bytes: Uint8Array): Decoded {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  // NUL bytes first: UTF-16 without its mark is valid UTF-8 until its first non-ASCII character.
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return {
      text,
      problem: {
        line: lineAt(bytes, nul),
        message: 'the page holds NUL bytes: UTF-16 without a byte order mark, or not text at all? It was read as UTF-8',
      },
    };
  }
  const bad = invalidUtf8(bytes);
  if (bad < 0) return { text };
  const byte = (bytes[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return {
    text,
    problem: {
      line: lineAt(bytes, bad),
      message: `invalid UTF-8 (byte 0x${byte} at offset ${bad}); the page was read with U+FFFD in place of the bad bytes`,
    },
  };
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Decoded {
  // Byte-swapped into little-endian: TextDecoder's UTF-16BE needs a Node built with full ICU.
  const le = encoding === 'utf-16le' ? bytes : swapPairs(bytes);
  const text = new TextDecoder('utf-16le', { ignoreBOM: true }).decode(le);
  const bad = text.indexOf('\uFFFD');
  let valid = true;
  try {
    new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(le);
  } catch {
    valid = false;
  }
  if (valid) return { text };
  const at = bad >= 0 ? bad : text.length;
  const line = text.slice(0, at).split('\n').length;
  return {
    text,
    problem: {
      line,
      message: `invalid ${encoding.toUpperCase()} (an odd byte count or an unpaired surrogate); the page was read with U+FFFD in its place`,
    },
  };
}

function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1] ?? 0;
    out[i + 1] = bytes[i] ?? 0;
  }
  if (bytes.length % 2 === 1) out[bytes.length - 1] = bytes[bytes.length - 1] ?? 0;
  return out;
}

/** 1-based line of the byte at `offset` (LF counted; CRLF pages count the same). */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF), or -1. */
export function invalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length === undefined) return i;
    i += length;
  }
  return -1;
}

/** The lead bytes of multi-byte sequences (RFC 3629 section 4): how many continuation bytes follow, and the least code point the sequence may encode. */
const LEADS: readonly { readonly from: number; readonly to: number; readonly need: number; readonly min: number }[] = [
  { from: 0xc2, to: 0xdf, need: 1, min: 0x80 },
  { from: 0xe0, to: 0xef, need: 2, min: 0x800 },
  { from: 0xf0, to: 0xf4, need: 3, min: 0x10000 },
];

/** The length of the valid multi-byte sequence at `i`, or undefined when it is not one. */
function sequenceLength(bytes: Uint8Array, i: number): number | undefined {
  const b = bytes[i] ?? 0;
  const lead = LEADS.find(({ from, to }) => b >= from && b <= to);
  if (lead === undefined) return undefined;
  let code = b & (0x3f >> lead.need);
  for (let k = 1; k <= lead.need; k++) {
    const c = bytes[i + k];
    if (c === undefined || (c & 0xc0) !== 0x80) return undefined;
    code = (code << 6) | (c & 0x3f);
  }
  if (code < lead.min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return lead.need + 1;
}
