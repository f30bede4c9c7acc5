// Handler for `Microsoft.Communication.RecordingFileStatusUpdated` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsRecordingFileStatusUpdated: Handler<'Microsoft.Communication.RecordingFileStatusUpdated'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
