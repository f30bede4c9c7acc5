// Handler for `Microsoft.Communication.SMSReceived` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsSmsReceived: Handler<'Microsoft.Communication.SMSReceived'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
