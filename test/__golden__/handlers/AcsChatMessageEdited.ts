// Handler for `Microsoft.Communication.ChatMessageEdited` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsChatMessageEdited: Handler<'Microsoft.Communication.ChatMessageEdited'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
