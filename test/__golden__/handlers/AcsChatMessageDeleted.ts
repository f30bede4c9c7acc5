// Handler for `Microsoft.Communication.ChatMessageDeleted` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsChatMessageDeleted: Handler<'Microsoft.Communication.ChatMessageDeleted'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
