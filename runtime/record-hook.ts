/**
 * The webhook's recorder hook (`record` in WebhookOptions): once the answer to a request is decided, each
 * event of it is handed to the recorder with what became of it. The call is made on a later turn of the event
 * loop (a timer), so neither the recorder's time nor its failure can delay or change an answer; a recorder
 * that throws or rejects is logged once, at error level, and then kept quiet. Web standards only: the recorder
 * that writes files (`recordTo`) is the package's `record` entry, which this module never imports.
 */
import type { DispatchReport, Logger } from './router-core.js';

/** What became of an event: it passed validation, it failed it, or its type is not in the schemas. */
export type RecordedOutcome = 'valid' | 'invalid' | 'unknown';

export interface RecordInfo {
  readonly outcome: RecordedOutcome;
  /** The envelope the event has by its attributes (`specversion`: CloudEvents, `eventType`: Event Grid), if any. */
  readonly envelope: 'eventgrid' | 'cloudevents' | undefined;
  /** When the answer to the request was decided (ISO 8601, UTC). */
  readonly receivedAt: string;
}

/** Called for each event of an answered request (a subscription-validation handshake is not an event). */
export type Recorder = (event: unknown, info: RecordInfo) => void | Promise<void>;

/** What each event of a batch became, by its index; undefined for an event that did not run (time ran out). */
function outcomesOf(count: number, report: DispatchReport): (RecordedOutcome | undefined)[] {
  const out: (RecordedOutcome | undefined)[] = new Array(count);
  for (const disposition of report.events) {
    const status = disposition.status;
    // An aborted event is answered 500 with its request: Event Grid delivers it again.
    out[disposition.index] =
      status === 'invalid'
        ? 'invalid'
        : status === 'unknown'
          ? 'unknown'
          : status === 'aborted'
            ? undefined
            : 'valid';
  }
  if (report.outcome === 'rejected') {
    // A rejected report lists only the events that stopped the batch; the others were valid, or of an unknown type.
    for (const index of report.unknown ?? []) out[index] = 'unknown';
    for (let i = 0; i < count; i++) out[i] ??= 'valid';
  }
  return out;
}

function envelopeOf(event: unknown): RecordInfo['envelope'] {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return undefined;
  if (Object.hasOwn(event, 'specversion')) return 'cloudevents';
  return Object.hasOwn(event, 'eventType') ? 'eventgrid' : undefined;
}

/** Writes the first failure of the recorder; a failing logger must not matter either. */
function noteOnce(state: { failed: boolean }, log: Logger, error: unknown): void {
  if (state.failed) return;
  state.failed = true;
  try {
    log.error(
      'eventgen: the recorder failed (deliveries are answered all the same; later failures are not logged)',
      error,
    );
  } catch {
    // nothing left to report it to
  }
}

/** The hook the webhook core calls once an answer is decided: `events` of the request, its dispatch `report`. */
export type RecordHook = (events: readonly unknown[], report: DispatchReport, log: Logger) => void;

export function recordHook(record: Recorder): RecordHook {
  const state = { failed: false };
  return (events, report, log) => {
    const receivedAt = Date.now();
    setTimeout(() => {
      try {
        const outcomes = outcomesOf(events.length, report);
        const at = new Date(receivedAt).toISOString();
        for (let i = 0; i < events.length; i++) {
          const outcome = outcomes[i];
          if (outcome === undefined) continue;
          const event = events[i];
          try {
            const done = record(event, { outcome, envelope: envelopeOf(event), receivedAt: at });
            if (done !== undefined && typeof (done as Partial<PromiseLike<void>>).then === 'function')
              Promise.resolve(done).catch((error: unknown) => noteOnce(state, log, error));
          } catch (error) {
            noteOnce(state, log, error);
          }
        }
      } catch (error) {
        noteOnce(state, log, error);
      }
    }, 0);
  };
}
