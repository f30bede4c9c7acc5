// Handler for `Microsoft.Communication.UserDisconnected` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsUserDisconnected: Handler<'Microsoft.Communication.UserDisconnected'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
