// Handler for `Microsoft.Communication.ChatMemberAddedToThreadWithUser` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsChatMemberAddedToThreadWithUser: Handler<'Microsoft.Communication.ChatMemberAddedToThreadWithUser'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
