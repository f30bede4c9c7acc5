// Handler for `Microsoft.Communication.ChatMessageReceived` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsChatMessageReceived: Handler<'Microsoft.Communication.ChatMessageReceived'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
