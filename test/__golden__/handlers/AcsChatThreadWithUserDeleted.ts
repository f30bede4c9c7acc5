// Handler for `Microsoft.Communication.ChatThreadWithUserDeleted` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsChatThreadWithUserDeleted: Handler<'Microsoft.Communication.ChatThreadWithUserDeleted'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
