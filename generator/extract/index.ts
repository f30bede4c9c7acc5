/**
 * Stage 1, extract: documentation files → samples, descriptions, diagnostics.
 *
 * Reads Microsoft Learn style pages (markdown, YAML front matter, ```json samples in
 * Event Grid and CloudEvents tabs, event-type tables) and plain JSON sample files.
 * Every block is parsed on its own, so one broken sample never hides the others.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type {
  DocFile,
  Envelope,
  EnvelopeAttributes,
  Extraction,
  Location,
  PropertyTable,
  Provenance,
  Sample,
  TextCache,
} from '../ir.ts';
import { readThroughCache } from './cached.ts';
import { type Classified, classify, envelopeDefects, isEventType } from './envelope.ts';
import { type JsonResult, LineIndex, parseTolerant } from './json.ts';
import { regions, toJsonText } from './literal.ts';
import { type CodeBlock, DEFAULT_LOCALE, type ParsedDoc, parseMarkdown } from './markdown.ts';
import { codeModels } from './models.ts';
import { readTables, type TableInput } from './tables.ts';

/** A page read from disk as JSON samples rather than markdown. */
const JSON_FILE = /\.json$/i;

/** Reads every page (through `cache`, when given: a page whose path and text are unchanged is not read again). */
export function extract(docs: readonly DocFile[], cache?: TextCache): { extraction: Extraction; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const samples = new Map<string, Sample>();
  const tableInputs: TableInput[] = [];
  const models: PropertyTable[] = [];
  let rawSampleCount = 0;
  const ordered = [...docs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const doc of ordered) {
    const read = readThroughCache(doc, cache, diagnostics, readPage);
    for (const found of read.samples) addSample(samples, found);
    rawSampleCount += read.samples.length;
    models.push(...read.models);
    tableInputs.push(read.tables);
  }
  const eventTypes = [...new Set([...samples.values()].map((s) => s.eventType))].sort();
  const tables = readTables(tableInputs, eventTypes);
  diagnostics.push(...tables.diagnostics);
  const first = tables.listedOnly[0];
  if (first !== undefined) {
    const message = `${tables.listedOnly.length} event types are listed in event-type tables without a JSON sample (first: ${first.eventType})`;
    diagnostics.push(diagnostic('I_LISTED_WITHOUT_SAMPLE', message, first.source));
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

/** What one page gives: its event samples, its code models, and what its tables and prose are read with. */
interface PageRead {
  readonly samples: FoundSample[];
  readonly models: PropertyTable[];
  readonly tables: TableInput;
}

/** Reads one page: a markdown page's every code block, or a JSON file as one JSON block. */
function readPage(doc: DocFile, diagnostics: Diagnostic[]): PageRead {
  const parsed = parsePage(doc);
  const page: Page = { file: doc.path, locale: parsed.locale, ...(parsed.date === undefined ? {} : { date: parsed.date }) };
  if (parsed.frontMatterError) {
    const { line, message } = parsed.frontMatterError;
    diagnostics.push(diagnostic('W_FRONT_MATTER', `front matter is not valid YAML: ${message}`, { file: doc.path, line }));
  }
  const samples: FoundSample[] = [];
  const models: PropertyTable[] = [];
  for (const block of parsed.codeBlocks) {
    if (block.kind === 'code') models.push(...codeModels(block, page.file, page.locale, page.date));
    for (const found of samplesOf(page, block, diagnostics)) samples.push(found);
  }
  const keys = new Set<string>();
  for (const found of samples) keysOf(found.data, keys);
  const sampled = [...new Set(samples.map((found) => found.eventType))];
  return { samples, models, tables: { ...page, tables: parsed.tables, prose: parsed.prose, sampled, keys } };
}

function parsePage(doc: DocFile): ParsedDoc {
  if (!JSON_FILE.test(doc.path)) return parseMarkdown(doc.text);
  const block: CodeBlock = { kind: 'json', lang: 'json', text: doc.text, line: 1, column: 1 };
  return { locale: DEFAULT_LOCALE, codeBlocks: [block], tables: [], prose: [] };
}

/** Counts a sample once per event type and data, keeping every place it was documented. */
function addSample(samples: Map<string, Sample>, found: FoundSample): void {
  const key = `${found.eventType}\u0000${JSON.stringify(found.data)}`;
  const existing = samples.get(key);
  if (existing) existing.sources.push(found.source);
  else samples.set(key, { eventType: found.eventType, data: found.data, sources: [found.source], attributes: found.attributes });
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
        const full = addKey(into, path, key);
        if (full.length < 1000) stack.push([child, full]);
      }
    }
  }
}

/** Adds a key, lower case, and its path from the data to `into`; returns the path. */
function addKey(into: Set<string>, path: string, key: string): string {
  const lower = key.trim().toLowerCase();
  const full = path === '' ? lower : `${path}.${lower}`;
  into.add(lower);
  into.add(full);
  return full;
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
  const at = locator(page, block);
  const bare = !Array.isArray(parsed.value);
  const elements = bare ? [parsed.value] : (parsed.value as unknown[]);
  const found: FoundSample[] = [];
  elements.forEach((element, i) => {
    const kind = classify(element);
    if (quiet && !isEventSample(kind)) return;
    const sample = sampleOf(page, kind, { at: at(parsed.elementOffsets[i] ?? 0), bare }, diagnostics);
    if (sample !== undefined) found.push(sample);
  });
  return found;
}

/** Where an element of a block stands: its file, line and column, and whether it is the block's whole value rather than an array's element. */
interface Element {
  readonly at: Location & { readonly column: number };
  readonly bare: boolean;
}

/**
 * The sample an element gives, or undefined (and why) when it is not an event with a dotted event
 * type and data no deeper than `MAX_DATA_DEPTH`. Breaches of the envelope's spec are warnings: the
 * data is still used.
 */
function sampleOf(page: Page, kind: Classified, element: Element, diagnostics: Diagnostic[]): FoundSample | undefined {
  const where = element.at;
  if (kind.kind === 'other') {
    diagnostics.push(diagnostic('I_NOT_AN_EVENT', `JSON value is not an Event Grid or CloudEvents event`, where));
    return undefined;
  }
  const eventType = eventTypeOf(kind, where, diagnostics);
  if (eventType === undefined) return undefined;
  diagnostics.push(...envelopeWarnings(kind, eventType, element));
  const { event, envelope } = kind;
  if (!kind.hasData) {
    diagnostics.push(diagnostic('W_NO_DATA', `${eventType} sample has no data`, where));
    return undefined;
  }
  if (depthOf(event.data) > MAX_DATA_DEPTH) {
    const message = `${eventType} sample data is nested more than ${MAX_DATA_DEPTH} levels deep`;
    diagnostics.push(diagnostic('E_TOO_DEEP', message, where));
    return undefined;
  }
  const source = {
    file: page.file,
    line: where.line,
    locale: page.locale,
    envelope,
    ...(page.date === undefined ? {} : { date: page.date }),
  };
  return { eventType, data: event.data, source, attributes: attributesOf(event, envelope) };
}

type EventKind = Extract<Classified, { kind: 'event' }>;

/** The event's type when it is a dotted name; else undefined, reported. */
function eventTypeOf(kind: EventKind, where: Location, diagnostics: Diagnostic[]): string | undefined {
  const { eventType } = kind;
  if (typeof eventType !== 'string' || eventType.trim() === '') {
    diagnostics.push(diagnostic('W_NO_EVENT_TYPE', `${label(kind.envelope)} event without an event type`, where));
    return undefined;
  }
  if (!isEventType(eventType)) {
    const shown = JSON.stringify(eventType.length > 80 ? `${eventType.slice(0, 80)}…` : eventType);
    diagnostics.push(diagnostic('W_EVENT_TYPE_INVALID', `event type ${shown} is not a dotted name`, where));
    return undefined;
  }
  return eventType;
}

/** How a sample breaches its envelope's spec: one Event Grid event outside an array, attribute spellings, missing attributes. */
function envelopeWarnings(kind: EventKind, eventType: string, { at, bare }: Element): Diagnostic[] {
  const defects = [...kind.spelling, ...envelopeDefects(kind.event, kind.envelope)];
  const alone =
    bare && kind.envelope === 'eventgrid'
      ? [diagnostic('W_ENVELOPE_SPEC', `${eventType}: the sample is one object; Event Grid delivers an array of events`, at)]
      : [];
  return [...alone, ...defects.map((defect) => diagnostic('W_ENVELOPE_SPEC', `${eventType}: ${defect}`, at))];
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
