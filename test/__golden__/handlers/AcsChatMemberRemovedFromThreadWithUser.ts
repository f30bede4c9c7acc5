// Handler for `Microsoft.Communication.ChatMemberRemovedFromThreadWithUser` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsChatMemberRemovedFromThreadWithUser: Handler<'Microsoft.Communication.ChatMemberRemovedFromThreadWithUser'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
