/**
 * `recordTo(dir)`: a recorder for the webhook's `record` option that appends the events it is given to NDJSON
 * files under `dir`, for `eventgen generate --observed` to read as evidence of what the service really sends.
 * Node only (node:fs); the webhook itself never imports this module.
 *
 * - One line per event: `{"receivedAt","outcome","envelope","redacted","event"}`.
 * - One file per day (UTC), `events-YYYY-MM-DD.ndjson`, continued in `events-YYYY-MM-DD.1.ndjson`, `.2`, …
 *   past `maxFileBytes`; past `maxBytes` in all, the oldest of these files are deleted (no other file is).
 * - Redacted by default (see {@link redact}): no string of the event reaches the disk, only stand-ins that keep
 *   what inference reads (the JSON type, and the format: date-time, date, uuid, uri, e-mail, phone number,
 *   numeric). The folder is created readable by its owner only, and so is each file.
 */
import { appendFile, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedOutcome, Recorder, RecordInfo } from './record-hook.js';

export type { RecordedOutcome, Recorder, RecordInfo } from './record-hook.js';

export interface RecordOptions {
  /** Replace every string (and every key that is data) by a stand-in. Default true. */
  redact?: boolean;
  /** Which outcomes to record. Default `['invalid', 'unknown']`: what the schemas do not already describe. */
  outcomes?: readonly RecordedOutcome[];
  /** The share of events recorded, from 0 to 1, drawn at random per event. Default 1 (all). */
  sampleRate?: number;
  /** The most bytes all the recorded files may hold together; the oldest files go first. Default 100 MiB. */
  maxBytes?: number;
  /** A file holding this many bytes is continued in the next file of the day. Default 10 MiB, at most `maxBytes`. */
  maxFileBytes?: number;
  /** Events waiting to be written beyond this are dropped rather than held in memory. Default 1000. */
  maxPending?: number;
}

const MiB = 1024 * 1024;
const FILE = /^events-(\d{4}-\d{2}-\d{2})(?:\.(\d{1,6}))?\.ndjson$/;
/** Values nested deeper are recorded as null: a recorded line is always writable and readable back. */
const MAX_DEPTH = 64;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[{(]?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[})]?$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+\d[\d ().-]{5,}\d$|^\d{3}[ .-]?\d{3}[ .-]?\d{4}$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\/\S/i;
const URI = /^[a-z][a-z0-9+.-]*:\S+$/i;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** What `eventType` (Event Grid) and `type` (CloudEvents) hold: a dotted name, kept so the event can be told apart. */
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+$/;
/** Envelope versions and media types: kept, as they carry nothing but the envelope's form. */
const VERSION = /^\d{1,4}(?:\.\d{1,4}){0,3}$/;
const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/i;

/** The stand-in of a string value: the same JSON type and format, never any of the original text. */
export function standIn(text: string): string {
  if (text === '') return '';
  if (DATE_TIME.test(text)) return '2000-01-01T00:00:00Z';
  if (DATE.test(text)) return '2000-01-01';
  if (UUID.test(text)) return '00000000-0000-4000-8000-000000000000';
  if (URL_LIKE.test(text)) return 'https://redacted.invalid/';
  if (URI.test(text)) return 'urn:redacted';
  if (EMAIL.test(text)) return 'redacted@example.invalid';
  if (PHONE.test(text)) return '+10000000000';
  if (NUMERIC.test(text)) return /[.eE]/.test(text) ? '0.0' : '0';
  return 'redacted';
}

/** The stand-in of a key that is data (a GUID, a phone number, an e-mail address, a URL), numbered within its object; undefined for a field name. */
function keyStandIn(key: string, n: number): string | undefined {
  const digits = String(n);
  if (UUID.test(key)) return `00000000-0000-4000-8000-${digits.padStart(12, '0')}`;
  if (EMAIL.test(key)) return `redacted${digits}@example.invalid`;
  if (PHONE.test(key)) return `+1${digits.padStart(10, '0')}`;
  if (URL_LIKE.test(key)) return `https://redacted.invalid/${digits}`;
  return undefined;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  // A key such as `__proto__` stays an own property.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return standIn(value);
  if (typeof value !== 'object' || value === null)
    return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const key of Object.keys(value)) {
    const stand = keyStandIn(key, n);
    if (stand !== undefined) n++;
    define(out, stand ?? key, redactValue((value as Record<string, unknown>)[key], depth + 1));
  }
  return out;
}

/**
 * An event with every string replaced by its {@link standIn} and every key that is data by a numbered stand-in;
 * numbers, booleans and nulls are kept. Kept as they are, because they only name the event's form: the event type
 * (`eventType`, `type`: a dotted name), and the envelope's `specversion`, `dataVersion`, `metadataVersion` (version
 * numbers) and `datacontenttype` (a media type), each only when it has that form.
 */
export function redact(event: unknown): unknown {
  const out = redactValue(event, 0);
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return out;
  const source = event as Record<string, unknown>;
  const kept = out as Record<string, unknown>;
  const keep = (key: string, form: RegExp) => {
    const value = Object.hasOwn(source, key) ? source[key] : undefined;
    if (typeof value === 'string' && form.test(value)) define(kept, key, value);
  };
  keep('eventType', EVENT_TYPE);
  keep('type', EVENT_TYPE);
  keep('specversion', VERSION);
  keep('dataVersion', VERSION);
  keep('metadataVersion', VERSION);
  keep('datacontenttype', MEDIA_TYPE);
  return kept;
}

function checkNumber(
  name: string,
  value: number | undefined,
  min: number,
  max = Number.POSITIVE_INFINITY,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max)
    throw new RangeError(`recordTo: ${name} must be a number from ${min} to ${max}, got ${String(value)}`);
}

interface Recorded {
  readonly name: string;
  readonly day: string;
  readonly index: number;
  size: number;
}

function byAge(a: Recorded, b: Recorded): number {
  return a.day < b.day ? -1 : a.day > b.day ? 1 : a.index - b.index;
}

/**
 * A recorder writing NDJSON files under `dir` (created when missing). Its promise settles when the event is
 * written (or dropped); it rejects when the disk does, and the webhook logs that once and answers as always.
 */
export function recordTo(dir: string, options: RecordOptions = {}): Recorder {
  const redacting = options.redact ?? true;
  const outcomes = new Set<RecordedOutcome>(options.outcomes ?? ['invalid', 'unknown']);
  for (const outcome of outcomes)
    if (outcome !== 'valid' && outcome !== 'invalid' && outcome !== 'unknown')
      throw new RangeError(`recordTo: unknown outcome ${JSON.stringify(outcome)} (valid, invalid, unknown)`);
  checkNumber('sampleRate', options.sampleRate, 0, 1);
  checkNumber('maxBytes', options.maxBytes, 1);
  checkNumber('maxFileBytes', options.maxFileBytes, 1);
  checkNumber('maxPending', options.maxPending, 0);
  const sampleRate = options.sampleRate ?? 1;
  const maxBytes = options.maxBytes ?? 100 * MiB;
  const maxFileBytes = Math.min(options.maxFileBytes ?? 10 * MiB, maxBytes);
  const maxPending = options.maxPending ?? 1000;

  /** The files of `dir` this recorder writes, oldest first; undefined until read (again, after a failure). */
  let files: Recorded[] | undefined;
  let pending = 0;
  let tail: Promise<void> = Promise.resolve();

  async function scan(): Promise<Recorded[]> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const found: Recorded[] = [];
    for (const name of await readdir(dir)) {
      const match = FILE.exec(name);
      if (!match) continue;
      const info = await stat(join(dir, name));
      if (info.isFile())
        found.push({ name, day: match[1] as string, index: Number(match[2] ?? 0), size: info.size });
    }
    return found.sort(byAge);
  }

  async function write(line: string, day: string): Promise<void> {
    const bytes = Buffer.byteLength(line);
    if (bytes > maxFileBytes) return; // a single event larger than a file may be is not recorded
    files ??= await scan();
    let current = files.filter((f) => f.day === day).at(-1);
    if (current === undefined || current.size + bytes > maxFileBytes) {
      const index = current === undefined ? 0 : current.index + 1;
      current = { name: `events-${day}${index === 0 ? '' : `.${index}`}.ndjson`, day, index, size: 0 };
      files.push(current);
      files.sort(byAge);
    }
    let total = files.reduce((sum, f) => sum + f.size, 0);
    while (total + bytes > maxBytes) {
      const oldest = files.find((f) => f !== current);
      if (oldest === undefined) return; // only the file being written is left, and it is full
      await unlink(join(dir, oldest.name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      files.splice(files.indexOf(oldest), 1);
      total -= oldest.size;
    }
    await appendFile(join(dir, current.name), line, { mode: 0o600 });
    current.size += bytes;
  }

  return (event: unknown, info: RecordInfo): Promise<void> => {
    if (!outcomes.has(info.outcome)) return Promise.resolve();
    if (sampleRate < 1 && Math.random() >= sampleRate) return Promise.resolve();
    if (pending >= maxPending) return Promise.resolve();
    let line: string;
    try {
      const recorded = redacting ? redact(event) : event;
      line = `${JSON.stringify({
        receivedAt: info.receivedAt,
        outcome: info.outcome,
        envelope: info.envelope ?? null,
        redacted: redacting,
        event: recorded,
      })}\n`;
    } catch {
      return Promise.resolve(); // nested too deep to write as it is (recorded without redaction)
    }
    const day = /^\d{4}-\d{2}-\d{2}/.test(info.receivedAt) ? info.receivedAt.slice(0, 10) : '0000-00-00';
    pending++;
    const done = tail.then(() => write(line, day));
    tail = done.then(
      () => {
        pending--;
      },
      () => {
        pending--;
        files = undefined; // read the folder again next time: the failure may have left it otherwise
      },
    );
    return done;
  };
}
