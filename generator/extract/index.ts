/**
 * Stage 1, extract: documentation files → samples, descriptions, diagnostics.
 *
 * Reads Microsoft Learn style pages (markdown, YAML front matter, ```json samples in
 * Event Grid and CloudEvents tabs, event-type tables) and plain JSON sample files.
 * Every block is parsed on its own, so one broken sample never hides the others.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { DocFile, Envelope, EnvelopeAttributes, Extraction, ListedEvent, PropertyTable, Provenance, Sample } from '../ir.ts';
import { classify, envelopeDefects, isEventType } from './envelope.ts';
import { type JsonResult, LineIndex, parseTolerant } from './json.ts';
import { regions, toJsonText } from './literal.ts';
import { type CodeBlock, DEFAULT_LOCALE, parseMarkdown } from './markdown.ts';
import { codeModels } from './models.ts';
import { readTables, type TableInput } from './tables.ts';

/** A page read from disk as JSON samples rather than markdown. */
const JSON_FILE = /\.json$/i;

export function extract(docs: readonly DocFile[]): { extraction: Extraction; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const samples = new Map<string, Sample>();
  const tableInputs: TableInput[] = [];
  const models: PropertyTable[] = [];
  let rawSampleCount = 0;

  const ordered = [...docs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const doc of ordered) {
    const parsed = JSON_FILE.test(doc.path)
      ? { locale: DEFAULT_LOCALE, codeBlocks: [{ kind: 'json', lang: 'json', text: doc.text, line: 1, column: 1 }], tables: [] }
      : parseMarkdown(doc.text);
    const date = 'date' in parsed ? parsed.date : undefined;
    const page: Page = { file: doc.path, locale: parsed.locale, ...(date === undefined ? {} : { date }) };
    const sampled = new Set<string>();
    const keys = new Set<string>();
    if ('frontMatterError' in parsed && parsed.frontMatterError) {
      const { line, message } = parsed.frontMatterError;
      diagnostics.push(diagnostic('W_FRONT_MATTER', `front matter is not valid YAML: ${message}`, { file: doc.path, line }));
    }
    for (const block of parsed.codeBlocks as CodeBlock[]) {
      if (block.kind === 'code') models.push(...codeModels(block, page.file, page.locale, page.date));
      for (const found of samplesOf(page, block, diagnostics)) {
        rawSampleCount++;
        sampled.add(found.eventType);
        keysOf(found.data, keys);
        const key = `${found.eventType}\u0000${JSON.stringify(found.data)}`;
        const existing = samples.get(key);
        if (existing) existing.sources.push(found.source);
        else
          samples.set(key, {
            eventType: found.eventType,
            data: found.data,
            sources: [found.source],
            attributes: found.attributes,
          });
      }
    }
    tableInputs.push({
      ...page,
      tables: parsed.tables,
      prose: 'prose' in parsed ? parsed.prose : [],
      sampled: [...sampled],
      keys,
    });
  }

  const eventTypes = [...new Set([...samples.values()].map((s) => s.eventType))].sort();
  const tables = readTables(tableInputs, eventTypes);
  diagnostics.push(...tables.diagnostics);
  if (tables.listedOnly.length > 0) {
    const first = tables.listedOnly[0] as ListedEvent;
    diagnostics.push(
      diagnostic(
        'I_LISTED_WITHOUT_SAMPLE',
        `${tables.listedOnly.length} event types are listed in event-type tables without a JSON sample (first: ${first.eventType})`,
        first.source,
      ),
    );
  }
  return {
    extraction: {
      samples: [...samples.values()],
      rawSampleCount,
      descriptions: tables.descriptions,
      propertyTables: [...tables.propertyTables, ...models],
      listedOnly: tables.listedOnly,
      docsRead: docs.length,
    },
    diagnostics,
  };
}

/** The most keys a page's samples lend to table recognition (hostile pages have millions). */
const MAX_KEYS = 20_000;

/** Adds the keys of `data` at any depth, and their `a.b` paths from the data, lower case, to `into`. */
function keysOf(data: unknown, into: Set<string>): void {
  const stack: [unknown, string][] = [[data, '']];
  while (stack.length > 0 && into.size < MAX_KEYS) {
    const [value, path] = stack.pop() as [unknown, string];
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 50)) stack.push([item, path]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        const lower = key.trim().toLowerCase();
        const full = path === '' ? lower : `${path}.${lower}`;
        into.add(lower);
        into.add(full);
        if (full.length < 1000) stack.push([child, full]);
      }
    }
  }
}

/**
 * The deepest data a sample may hold: the whole pipeline and the TypeScript compiler that builds the
 * generated package are proven on it (test/cli.test.ts); deeper data would give a package that does not compile.
 */
export const MAX_DATA_DEPTH = 320;

/** Nesting depth of a JSON value (objects and arrays), without recursion; stops counting past `limit`. */
export function depthOf(value: unknown, limit = MAX_DATA_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > max) max = d + 1;
    if (max > limit) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

interface Page {
  readonly file: string;
  readonly locale: string;
  readonly date?: string;
}

interface FoundSample {
  eventType: string;
  data: unknown;
  source: Provenance;
  attributes: EnvelopeAttributes;
}

type Parsed = Extract<JsonResult, { ok: true }>;

/**
 * The event samples of one code block. A JSON fence is one JSON value (repaired where real docs
 * break it; a JavaScript object literal is read too, with a warning); a value that cannot be read
 * is an error. Any other block (```js, an unlabelled fence, an indented block) is searched for
 * bracketed values that read as JSON or as JavaScript literals and hold events; the rest of it is
 * code or prose, skipped silently.
 */
function samplesOf(page: Page, block: CodeBlock, diagnostics: Diagnostic[]): FoundSample[] {
  if (block.kind === 'json') return samplesOfJson(page, block, diagnostics);
  const found: FoundSample[] = [];
  for (const { start, end } of regions(block.text)) {
    const text = block.text.slice(start, end);
    const before = block.text.slice(0, start);
    const lineOffset = before.split('\n').length - 1;
    const column = lineOffset === 0 ? block.column + start : start - before.lastIndexOf('\n');
    const region: CodeBlock = { ...block, text, line: block.line + lineOffset, column };
    const read = readLiteral(text);
    if (read === undefined) continue;
    const local: Diagnostic[] = [];
    const events = eventsOf(page, region, read.parsed, local, true);
    if (events.length === 0) continue;
    const at = locator(page, region);
    if (read.changes.length > 0) {
      diagnostics.push(
        diagnostic('W_JSON_REPAIRED', `JavaScript object literal read as JSON (${read.changes.join(', ')})`, at(0)),
      );
    }
    reportRepairs(read.parsed, at, diagnostics);
    diagnostics.push(...local);
    found.push(...events);
  }
  return found;
}

/** A value in a code block, as JSON or else as a JavaScript literal; undefined when it is neither. */
function readLiteral(text: string): { parsed: Parsed; changes: string[] } | undefined {
  try {
    const plain = parseTolerant(text);
    if (plain.ok) return { parsed: plain, changes: [] };
    const literal = toJsonText(text);
    const parsed = parseTolerant(literal.text);
    return parsed.ok ? { parsed, changes: literal.changes } : undefined;
  } catch {
    // The parser recurses: a pathologically deep block is not a sample.
    return undefined;
  }
}

/** Maps an offset in a block's text to its file, line and column. */
function locator(page: Page, block: CodeBlock): (offset: number) => { file: string; line: number; column: number } {
  const lines = new LineIndex(block.text);
  return (offset: number) => {
    const { line, column } = lines.at(offset);
    return { file: page.file, line: block.line + line - 1, column: line === 1 ? column + block.column - 1 : column };
  };
}

function reportRepairs(parsed: Parsed, at: ReturnType<typeof locator>, diagnostics: Diagnostic[]): void {
  for (const repair of parsed.repairs) {
    diagnostics.push(diagnostic('W_JSON_REPAIRED', `${repair.kind} in JSON sample`, at(repair.offset)));
  }
  for (const { key, offset } of parsed.duplicateKeys) {
    diagnostics.push(diagnostic('W_JSON_DUPLICATE_KEY', `key ${JSON.stringify(key)} appears twice in one object`, at(offset)));
  }
}

function samplesOfJson(page: Page, block: CodeBlock, diagnostics: Diagnostic[]): FoundSample[] {
  const at = locator(page, block);
  let parsed: JsonResult;
  try {
    parsed = parseTolerant(block.text);
  } catch (error) {
    // The parser recurses; a pathologically deep block must not crash the run.
    const reason = error instanceof RangeError ? 'it is nested too deeply to read' : String(error);
    diagnostics.push(diagnostic('E_JSON_SYNTAX', `JSON block cannot be parsed: ${reason}`, at(0)));
    return [];
  }
  if (!parsed.ok) {
    // A fragment such as `"filter": { … }` is valid once wrapped in braces: not an event, not an error.
    const fragment = parseTolerant(`{${block.text}}`);
    if (fragment.ok && classify(fragment.value).kind === 'other') {
      const keys = Object.keys(fragment.value as object).join(', ');
      diagnostics.push(diagnostic('I_NOT_AN_EVENT', `JSON fragment (${keys}) is not an event`, at(0)));
      return [];
    }
    // A JavaScript object literal in a JSON fence.
    const literal = readLiteral(block.text);
    if (literal !== undefined && literal.changes.length > 0) {
      diagnostics.push(
        diagnostic('W_JSON_REPAIRED', `JavaScript object literal read as JSON (${literal.changes.join(', ')})`, at(0)),
      );
      reportRepairs(literal.parsed, at, diagnostics);
      return eventsOf(page, block, literal.parsed, diagnostics, false);
    }
    diagnostics.push(diagnostic('E_JSON_SYNTAX', `invalid JSON: ${parsed.message}`, at(parsed.offset)));
    return [];
  }
  reportRepairs(parsed, at, diagnostics);
  return eventsOf(page, block, parsed, diagnostics, false);
}

/**
 * The events of a parsed block. `quiet`: the block is code that may hold other values, so what is
 * not an event with a type and data is skipped without a word.
 */
function eventsOf(page: Page, block: CodeBlock, parsed: Parsed, diagnostics: Diagnostic[], quiet: boolean): FoundSample[] {
  const { file, locale } = page;
  const at = locator(page, block);
  const bare = !Array.isArray(parsed.value);
  const elements = bare ? [parsed.value] : (parsed.value as unknown[]);
  const found: FoundSample[] = [];
  elements.forEach((element, i) => {
    const where = at(parsed.elementOffsets[i] ?? 0);
    const kind = classify(element);
    if (quiet && !isEventSample(kind)) return;
    if (kind.kind === 'other') {
      diagnostics.push(diagnostic('I_NOT_AN_EVENT', `JSON value is not an Event Grid or CloudEvents event`, where));
      return;
    }
    if (typeof kind.eventType !== 'string' || kind.eventType.trim() === '') {
      diagnostics.push(diagnostic('W_NO_EVENT_TYPE', `${label(kind.envelope)} event without an event type`, where));
      return;
    }
    if (!isEventType(kind.eventType)) {
      const shown = JSON.stringify(kind.eventType.length > 80 ? `${kind.eventType.slice(0, 80)}…` : kind.eventType);
      diagnostics.push(diagnostic('W_EVENT_TYPE_INVALID', `event type ${shown} is not a dotted name`, where));
      return;
    }
    const event = kind.event;
    if (bare && kind.envelope === 'eventgrid') {
      diagnostics.push(
        diagnostic(
          'W_ENVELOPE_SPEC',
          `${kind.eventType}: the sample is one object; Event Grid delivers an array of events`,
          where,
        ),
      );
    }
    for (const defect of [...kind.spelling, ...envelopeDefects(event, kind.envelope)]) {
      diagnostics.push(diagnostic('W_ENVELOPE_SPEC', `${kind.eventType}: ${defect}`, where));
    }
    if (!kind.hasData) {
      diagnostics.push(diagnostic('W_NO_DATA', `${kind.eventType} sample has no data`, where));
      return;
    }
    const depth = depthOf(event.data);
    if (depth > MAX_DATA_DEPTH) {
      diagnostics.push(
        diagnostic('E_TOO_DEEP', `${kind.eventType} sample data is nested more than ${MAX_DATA_DEPTH} levels deep`, where),
      );
      return;
    }
    found.push({
      eventType: kind.eventType,
      data: event.data,
      source: {
        file,
        line: where.line,
        locale,
        envelope: kind.envelope,
        ...(page.date === undefined ? {} : { date: page.date }),
      },
      attributes: attributesOf(event, kind.envelope),
    });
  });
  return found;
}

/** An event with a usable type and data: what a code block that is not JSON must hold to count. */
function isEventSample(kind: ReturnType<typeof classify>): boolean {
  return kind.kind === 'event' && typeof kind.eventType === 'string' && isEventType(kind.eventType) && kind.hasData;
}

function label(envelope: Envelope): string {
  return envelope === 'eventgrid' ? 'Event Grid' : 'CloudEvents';
}

function attributesOf(event: Record<string, unknown>, envelope: Envelope): EnvelopeAttributes {
  const text = (key: string) => (typeof event[key] === 'string' ? (event[key] as string) : undefined);
  const source = envelope === 'eventgrid' ? text('topic') : text('source');
  const subject = text('subject');
  const dataVersion = text('dataVersion');
  return {
    ...(subject === undefined ? {} : { subject }),
    ...(source === undefined ? {} : { source }),
    ...(dataVersion === undefined ? {} : { dataVersion }),
  };
}
