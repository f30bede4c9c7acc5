// Handler for `Microsoft.Communication.ChatThreadCreatedWithUser` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsChatThreadCreatedWithUser: Handler<'Microsoft.Communication.ChatThreadCreatedWithUser'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
