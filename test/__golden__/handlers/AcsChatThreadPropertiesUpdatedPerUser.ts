// Handler for `Microsoft.Communication.ChatThreadPropertiesUpdatedPerUser` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsChatThreadPropertiesUpdatedPerUser: Handler<'Microsoft.Communication.ChatThreadPropertiesUpdatedPerUser'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
