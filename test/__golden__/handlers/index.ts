// Your handlers, one per event type, wired into one object: `createRouter(handlers)`.
// Created by `eventgen generate` once; this file is yours to edit: eventgen never overwrites it.
// When the docs bring a new event type, eventgen writes its skeleton beside this file and tsc reports
// it missing below (`satisfies Required<Handlers>`): wire it, or drop `Required` to leave types out.
import type { Handlers } from '../generated/src/router.js';
import { onAcsChatMemberAddedToThreadWithUser } from './AcsChatMemberAddedToThreadWithUser.js';
import { onAcsChatMemberRemovedFromThreadWithUser } from './AcsChatMemberRemovedFromThreadWithUser.js';
import { onAcsChatMessageDeleted } from './AcsChatMessageDeleted.js';
import { onAcsChatMessageEdited } from './AcsChatMessageEdited.js';
import { onAcsChatMessageReceived } from './AcsChatMessageReceived.js';
import { onAcsChatThreadCreatedWithUser } from './AcsChatThreadCreatedWithUser.js';
import { onAcsChatThreadPropertiesUpdatedPerUser } from './AcsChatThreadPropertiesUpdatedPerUser.js';
import { onAcsChatThreadWithUserDeleted } from './AcsChatThreadWithUserDeleted.js';
import { onAcsRecordingFileStatusUpdated } from './AcsRecordingFileStatusUpdated.js';
import { onAcsSmsDeliveryReportReceived } from './AcsSmsDeliveryReportReceived.js';
import { onAcsSmsReceived } from './AcsSmsReceived.js';
import { onAcsUserDisconnected } from './AcsUserDisconnected.js';

// Computed keys: an event type named "__proto__" is a key too.
export const handlers = {
  ['Microsoft.Communication.ChatMemberAddedToThreadWithUser']: onAcsChatMemberAddedToThreadWithUser,
  ['Microsoft.Communication.ChatMemberRemovedFromThreadWithUser']: onAcsChatMemberRemovedFromThreadWithUser,
  ['Microsoft.Communication.ChatMessageDeleted']: onAcsChatMessageDeleted,
  ['Microsoft.Communication.ChatMessageEdited']: onAcsChatMessageEdited,
  ['Microsoft.Communication.ChatMessageReceived']: onAcsChatMessageReceived,
  ['Microsoft.Communication.ChatThreadCreatedWithUser']: onAcsChatThreadCreatedWithUser,
  ['Microsoft.Communication.ChatThreadPropertiesUpdatedPerUser']: onAcsChatThreadPropertiesUpdatedPerUser,
  ['Microsoft.Communication.ChatThreadWithUserDeleted']: onAcsChatThreadWithUserDeleted,
  ['Microsoft.Communication.RecordingFileStatusUpdated']: onAcsRecordingFileStatusUpdated,
  ['Microsoft.Communication.SMSDeliveryReportReceived']: onAcsSmsDeliveryReportReceived,
  ['Microsoft.Communication.SMSReceived']: onAcsSmsReceived,
  ['Microsoft.Communication.UserDisconnected']: onAcsUserDisconnected,
} satisfies Required<Handlers>;
