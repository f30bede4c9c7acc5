/**
 * The body of a node:http request read whole through the request's own events, at most a limit of bytes, by
 * listeners that are module functions (a request makes no closures); what is past the limit is left to be lingered on.
 */
import type { IncomingMessage } from 'node:http';
import { BodyTooLarge } from './webhook-core.js';

/** What a body is read for: the request being served, told of the whole body or of why it could not be read. */
export interface BodyTarget {
  body(bytes: Uint8Array): void;
  unread(error: unknown): void;
}

/** A body being read: what the request's listeners (module functions, so a request makes no closures) fill in. */
interface Reading {
  readonly target: BodyTarget;
  readonly limit: number;
  readonly chunks: Buffer[];
  size: number;
}

/**
 * Where a request being read keeps its Reading; undefined once the body is read, too large or failed. The listeners
 * stay on the request (removing four listeners costs more than the request's own body checks) and do nothing then.
 */
const READING = Symbol('eventgen.reading');

export type Read = IncomingMessage & { [READING]?: Reading | undefined };

/** The Reading of `request`, now over; undefined when it was over already. */
function stopReading(request: Read): Reading | undefined {
  const reading = request[READING];
  request[READING] = undefined;
  return reading;
}

function onData(this: Read, chunk: Buffer): void {
  const reading = this[READING];
  if (reading === undefined) return; // the rest of a body past the limit, being lingered on
  reading.size += chunk.byteLength;
  if (reading.size <= reading.limit) reading.chunks.push(chunk);
  else {
    stopReading(this);
    this.pause(); // the rest is lingered on once the answer is written
    reading.target.unread(new BodyTooLarge());
  }
}

function onEnd(this: Read): void {
  const reading = stopReading(this);
  if (reading === undefined) return;
  const { chunks, size } = reading;
  reading.target.body(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
}

function onError(this: Read, error: Error): void {
  stopReading(this)?.target.unread(error);
}

function onClose(this: Read): void {
  stopReading(this)?.target.unread(prematureClose());
}

/**
 * Reads the whole body of `request` for `target`, at most `limit` bytes: past it, tells the target BodyTooLarge,
 * stops reading and leaves the rest to be lingered on. A body that cannot be read is told as the request's async
 * iterator would tell it: the error the request ends with, or "Premature close" when it closes before its end.
 */
export function readRequest(request: Read, limit: number, target: BodyTarget): void {
  if (request.destroyed) {
    target.unread(request.errored ?? prematureClose());
    return;
  }
  request[READING] = { target, limit, chunks: [], size: 0 };
  request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
}

/** The error a stream's async iterator gives when the stream closes before its end. */
export function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
