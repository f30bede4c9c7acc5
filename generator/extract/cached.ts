/**
 * What one page gives (its samples, models, table input and diagnostics), kept in the run cache (ir.ts
 * TextCache) under a hash of the page's path and text: a re-run reads again only the pages that changed.
 * Reading a page depends on nothing else (the cache files its entries under eventgen's own code hash).
 * A result is stored only when its JSON reads back as a value deeply and strictly equal to it (no
 * `undefined`, `-0`, class or prototype lost on the way), so a hit is what reading the page gives.
 */

import { isDeepStrictEqual } from 'node:util';
import type { Diagnostic } from '../diagnostics.ts';
import { sha256 } from '../hash.ts';
import type { DocFile, TextCache } from '../ir.ts';

/** A page's reading as the cache stores it: its table input's `keys` (a Set) as a list. */
interface Stored<T> {
  readonly read: T;
  readonly keys?: string[];
  readonly diagnostics: Diagnostic[];
}

function pageKey(doc: DocFile): string {
  return sha256(JSON.stringify(['extract page', doc.path, doc.text]));
}

function revive<T extends { tables: { keys?: ReadonlySet<string> } }>(stored: Stored<T>): T {
  if (stored.keys === undefined) return stored.read;
  return { ...stored.read, tables: { ...stored.read.tables, keys: new Set(stored.keys) } };
}

/**
 * `read(doc)` (a page's reading, which pushes its diagnostics onto the list it is given) through `cache`:
 * a hit gives the stored reading and pushes the stored diagnostics, in their order.
 */
export function readThroughCache<T extends { tables: { keys?: ReadonlySet<string> } }>(
  doc: DocFile,
  cache: TextCache | undefined,
  diagnostics: Diagnostic[],
  read: (doc: DocFile, diagnostics: Diagnostic[]) => T,
): T {
  if (cache === undefined) return read(doc, diagnostics);
  const key = pageKey(doc);
  const hit = fromText<T>(cache.get(key));
  if (hit !== undefined) {
    diagnostics.push(...hit.diagnostics);
    return revive(hit);
  }
  const own: Diagnostic[] = [];
  const value = read(doc, own);
  diagnostics.push(...own);
  const { keys, ...tables } = value.tables;
  const stored: Stored<T> = {
    read: keys === undefined ? value : ({ ...value, tables } as T),
    ...(keys === undefined ? {} : { keys: [...keys] }),
    diagnostics: own,
  };
  const text = JSON.stringify(stored);
  const back = fromText<T>(text);
  if (back !== undefined && isDeepStrictEqual(revive(back), value) && isDeepStrictEqual(back.diagnostics, own)) {
    cache.set(key, text);
  }
  return value;
}

const isObject = (value: unknown): value is Record<string, unknown> & { tables?: unknown } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stored reading, or undefined for a text that is not one (of another shape, or not JSON). */
function fromText<T>(text: string | undefined): Stored<T> | undefined {
  if (text === undefined) return undefined;
  try {
    const stored = JSON.parse(text) as Stored<T>;
    return isObject(stored) && Array.isArray(stored.diagnostics) && isObject(stored.read) && isObject(stored.read.tables)
      ? stored
      : undefined;
  } catch {
    return undefined;
  }
}
