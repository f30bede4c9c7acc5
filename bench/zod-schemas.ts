/**
 * Hand-written zod 4 schemas equivalent to schemas/ for the events P3 measures: the same
 * required fields, types and formats, unknown properties allowed (looseObject).
 */
import { z } from 'zod';

const dateTime = z.iso.datetime({ offset: true });

export const smsReceived = z.looseObject({
  MessageId: z.string(),
  From: z.string(),
  To: z.string(),
  Message: z.string(),
  ReceivedTimestamp: dateTime,
});

export const chatThreadCreatedWithUser = z.looseObject({
  createdBy: z.string(),
  properties: z.looseObject({ topic: z.string() }),
  members: z.array(z.looseObject({ displayName: z.string(), memberId: z.string() })),
  createTime: dateTime,
  version: z.number().int(),
  recipientId: z.string(),
  transactionId: z.string(),
  threadId: z.string(),
});

export const smsReceivedEventGridEvent = z.looseObject({
  id: z.string().min(1),
  topic: z.string().min(1).optional(),
  subject: z.string().min(1),
  eventType: z.literal('Microsoft.Communication.SMSReceived'),
  eventTime: dateTime,
  data: smsReceived,
  dataVersion: z.string(),
  metadataVersion: z.literal('1').optional(),
});
