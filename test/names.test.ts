import { describe, expect, it } from 'vitest';
import { eventDataTypeName, isValidIdentifier, words } from '../generator/names.ts';

describe('names', () => {
  it.each([
    ['Microsoft.Communication.SMSReceived', 'AcsSmsReceivedEventData'],
    ['Microsoft.Communication.SMSDeliveryReportReceived', 'AcsSmsDeliveryReportReceivedEventData'],
    ['Microsoft.Communication.ChatThreadCreatedWithUser', 'AcsChatThreadCreatedWithUserEventData'],
    ['Microsoft.Communication.UserDisconnected', 'AcsUserDisconnectedEventData'],
    ['Microsoft.Storage.BlobCreated', 'StorageBlobCreatedEventData'],
    ['Microsoft.KeyVault.SecretNearExpiry', 'KeyVaultSecretNearExpiryEventData'],
    ['Contoso.Orders.OrderPlaced', 'ContosoOrdersOrderPlacedEventData'],
    ['OrderPlaced', 'OrderPlacedEventData'],
    ['9lives.Cat.Jumped', '_9livesCatJumpedEventData'],
  ])('%s → %s', (eventType, want) => {
    expect(eventDataTypeName(eventType)).toBe(want);
  });

  it('splits acronyms and camel case', () => {
    expect(words('SMSDeliveryReportReceived')).toEqual(['SMS', 'Delivery', 'Report', 'Received']);
    expect(words('memberAdded')).toEqual(['member', 'Added']);
  });

  it.each([
    ['Foo', true],
    ['class', false],
    ['a-b', false],
    ['__proto__', true],
    ['1a', false],
  ])('isValidIdentifier(%s) is %s', (name, want) => {
    expect(isValidIdentifier(name)).toBe(want);
  });
});
