// Handler for `Microsoft.Communication.SMSDeliveryReportReceived` events.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
import type { Handler } from '../generated/src/router.js';

export const onAcsSmsDeliveryReportReceived: Handler<'Microsoft.Communication.SMSDeliveryReportReceived'> = async (event, context) => {
  context.log.info(`${event.eventType} ${event.id}`);
};
