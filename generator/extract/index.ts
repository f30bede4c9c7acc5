/**
 * Stage 1, extract: documentation files → samples, descriptions, diagnostics.
 *
 * Reads Microsoft Learn style pages (markdown, YAML front matter, ```json samples in
 * Event Grid and CloudEvents tabs, event-type tables) and plain JSON sample files.
 * Every block is parsed on its own, so one broken sample never hides the others.
 */
import { type Diagnostic, diagnostic } from '../diagnostics.ts';
import type { DocFile, Envelope, EnvelopeAttributes, Extraction, Provenance, Sample } from '../ir.ts';
import { classify, envelopeDefects } from './envelope.ts';
import { LineIndex, parseTolerant } from './json.ts';
import { type CodeBlock, DEFAULT_LOCALE, parseMarkdown } from './markdown.ts';
import { describeEvents, type TableInput } from './tables.ts';

export function extract(docs: readonly DocFile[]): { extraction: Extraction; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const samples = new Map<string, Sample>();
  const tableInputs: TableInput[] = [];
  let rawSampleCount = 0;

  const ordered = [...docs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const doc of ordered) {
    const isJson = /\.json$/i.test(doc.path);
    const parsed = isJson
      ? { locale: DEFAULT_LOCALE, jsonBlocks: [{ text: doc.text, line: 1, column: 1 }], tables: [] }
      : parseMarkdown(doc.text);
    tableInputs.push({ file: doc.path, locale: parsed.locale, tables: parsed.tables });
    if ('frontMatterError' in parsed && parsed.frontMatterError) {
      const { line, message } = parsed.frontMatterError;
      diagnostics.push(diagnostic('W_FRONT_MATTER', `front matter is not valid YAML: ${message}`, { file: doc.path, line }));
    }
    for (const block of parsed.jsonBlocks) {
      for (const found of samplesOf(doc.path, parsed.locale, block, diagnostics)) {
        rawSampleCount++;
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
  }

  const eventTypes = [...new Set([...samples.values()].map((s) => s.eventType))].sort();
  const described = describeEvents(tableInputs, eventTypes);
  diagnostics.push(...described.diagnostics);
  return {
    extraction: {
      samples: [...samples.values()],
      rawSampleCount,
      descriptions: described.descriptions,
      docsRead: docs.length,
    },
    diagnostics,
  };
}

interface FoundSample {
  eventType: string;
  data: unknown;
  source: Provenance;
  attributes: EnvelopeAttributes;
}

function samplesOf(file: string, locale: string, block: CodeBlock, diagnostics: Diagnostic[]): FoundSample[] {
  const lines = new LineIndex(block.text);
  const at = (offset: number) => {
    const { line, column } = lines.at(offset);
    return { file, line: block.line + line - 1, column: column + block.column - 1 };
  };
  let parsed: ReturnType<typeof parseTolerant>;
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
    diagnostics.push(diagnostic('E_JSON_SYNTAX', `invalid JSON: ${parsed.message}`, at(parsed.offset)));
    return [];
  }
  for (const repair of parsed.repairs) {
    diagnostics.push(diagnostic('W_JSON_REPAIRED', `${repair.kind} in JSON sample`, at(repair.offset)));
  }
  const elements = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  const found: FoundSample[] = [];
  elements.forEach((element, i) => {
    const where = at(parsed.elementOffsets[i] ?? 0);
    const kind = classify(element);
    if (kind.kind === 'other') {
      diagnostics.push(diagnostic('I_NOT_AN_EVENT', `JSON value is not an Event Grid or CloudEvents event`, where));
      return;
    }
    if (typeof kind.eventType !== 'string' || kind.eventType.trim() === '') {
      diagnostics.push(diagnostic('W_NO_EVENT_TYPE', `${label(kind.envelope)} event without an event type`, where));
      return;
    }
    const event = element as Record<string, unknown>;
    for (const defect of envelopeDefects(event, kind.envelope)) {
      diagnostics.push(diagnostic('W_ENVELOPE_SPEC', `${kind.eventType}: ${defect}`, where));
    }
    if (!kind.hasData) {
      diagnostics.push(diagnostic('W_NO_DATA', `${kind.eventType} sample has no data`, where));
      return;
    }
    found.push({
      eventType: kind.eventType,
      data: event.data,
      source: { file, line: where.line, locale, envelope: kind.envelope },
      attributes: attributesOf(event, kind.envelope),
    });
  });
  return found;
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
