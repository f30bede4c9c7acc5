/**
 * Hand-written zod 4 schemas with the rules of schemas/ and the envelope schema for the events P3 measures
 * (the same rules as bench/floor.ts): no data field required (the docs state none), unknown properties
 * allowed (looseObject), the envelope's date-time checked by the validators' own function (generator/formats.mjs)
 * so that every contestant checks the same format, every issue reported (zod's default).
 */
import { z } from 'zod';
import { isDateTime } from '../generator/formats.mjs';

const dateTime = z.string().refine(isDateTime, { message: 'must match format "date-time"' });

export const smsReceived = z.looseObject({
  MessageId: z.string().optional(),
  From: z.string().optional(),
  To: z.string().optional(),
  Message: z.string().optional(),
  ReceivedTimestamp: z.string().optional(),
});

export const chatThreadCreatedWithUser = z.looseObject({
  createdBy: z.string().optional(),
  properties: z.looseObject({ topic: z.string().optional() }).optional(),
  members: z.array(z.looseObject({ displayName: z.string().optional(), memberId: z.string().optional() })).optional(),
  createTime: z.string().optional(),
  version: z.number().optional(),
  recipientId: z.string().optional(),
  transactionId: z.string().optional(),
  threadId: z.string().optional(),
});

/** Any value but undefined: `data` is required, whatever it holds. */
const present = z.custom<unknown>((value) => value !== undefined, { message: 'is required' });

/** The Event Grid envelope (not its data), in the "any" form. */
export const eventGridEnvelope = z.looseObject({
  id: z.string().min(1),
  topic: z.string().min(1).optional(),
  subject: z.string().min(1),
  eventType: z.string().min(1),
  eventTime: dateTime,
  data: present,
  dataVersion: z.string(),
  metadataVersion: z.literal('1').optional(),
});

const DATA: Readonly<Record<string, z.ZodType>> = {
  'Microsoft.Communication.SMSReceived': smsReceived,
  'Microsoft.Communication.ChatThreadCreatedWithUser': chatThreadCreatedWithUser,
};

/** A whole Event Grid event as validateEvent checks it: the envelope, then (when it is valid) the data of its type. */
export function eventGridEvent(value: unknown): boolean {
  if (!eventGridEnvelope.safeParse(value).success) return false;
  const { eventType, data } = value as { eventType: string; data: unknown };
  const schema = Object.hasOwn(DATA, eventType) ? DATA[eventType] : undefined;
  return schema?.safeParse(data).success === true;
}
