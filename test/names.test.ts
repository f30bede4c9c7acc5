import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventDataTypeName,
  fileName,
  isStableTypeName,
  isValidIdentifier,
  jsttName,
  SDK_NAMES,
  typeName,
  words,
} from '../generator/names.ts';
import { sdkNames } from '../scripts/sdk-names.ts';

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
    ['9lives.Cat.Jumped', '_9LivesCatJumpedEventData'],
    // json-schema-to-typescript upper-cases a letter after digits: the name every file uses is the one it declares.
    ['Contoso.Orders.Sha256sum', 'ContosoOrdersSha256SumEventData'],
    ['Contoso.Orders.md5_hash', 'ContosoOrdersMd5HashEventData'],
  ])('%s → %s', (eventType, want) => {
    expect(eventDataTypeName(eventType)).toBe(want);
  });

  it.each([
    ['Microsoft.Communication.AdvancedMessageReceived', 'AcsMessageReceivedEventData'],
    ['Microsoft.Communication.ChatThreadParticipantAdded', 'AcsChatParticipantAddedToThreadEventData'],
    ['Microsoft.Communication.ChatParticipantAddedToThreadWithUser', 'AcsChatParticipantAddedToThreadWithUserEventData'],
    ['Microsoft.Devices.DeviceDeleted', 'IotHubDeviceDeletedEventData'],
    ['Microsoft.Resources.ResourceWriteSuccess', 'ResourceWriteSuccessEventData'],
  ])('the SDK name for %s is %s, irregular or not', (eventType, want) => {
    expect(eventDataTypeName(eventType)).toBe(want);
  });

  it('holds exactly the names of the installed @azure/eventgrid (stale after an upgrade: npm run names:refresh)', () => {
    expect(Object.fromEntries(SDK_NAMES)).toEqual(sdkNames().names);
    expect(SDK_NAMES.size).toBeGreaterThan(200);
    for (const [eventType, name] of SDK_NAMES) {
      expect(isValidIdentifier(name), eventType).toBe(true);
      expect(name.endsWith('EventData'), eventType).toBe(true);
      expect(isStableTypeName(name), eventType).toBe(true);
    }
  });

  // json-schema-to-typescript's own toSafeString, the oracle of jsttName (not part of its public API, so loaded by path).
  const require = createRequire(import.meta.url);
  const jstt = require('json-schema-to-typescript/dist/src/utils.js') as { toSafeString: (name: string) => string };

  it("jsttName is json-schema-to-typescript's toSafeString, and typeName gives names it keeps as they are", () => {
    const ascii = fc.string({ unit: fc.constantFrom(...'aZb9_$-. 0Xy1'), maxLength: 24 });
    fc.assert(
      fc.property(ascii, (name) => {
        expect(jsttName(name)).toBe(jstt.toSafeString(name));
        const declared = typeName(name);
        expect(isValidIdentifier(declared), declared).toBe(true);
        expect(jstt.toSafeString(declared)).toBe(declared);
        expect(typeName(declared)).toBe(declared);
      }),
      { numRuns: 2000 },
    );
  });

  it('splits names in time linear in their length, whatever they hold', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), (name) => {
        expect(words(name).join('')).toBe(name.replace(/[^A-Za-z0-9]/g, ''));
      }),
    );
    expect(words(`${'A'.repeat(100_000)}b`)).toHaveLength(2);
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

  it('file names: kept when they fit, else cut with a hash of the whole stem, stable and distinct', () => {
    expect(fileName('Contoso.Orders.Placed', '.schema.json')).toBe('Contoso.Orders.Placed.schema.json');
    const a = fileName(`Contoso.${'x'.repeat(300)}A`, '.schema.json');
    const b = fileName(`Contoso.${'x'.repeat(300)}B`, '.schema.json');
    expect(a).toMatch(/^Contoso\.x+-[0-9a-f]{12}\.schema\.json$/);
    expect(a.length).toBe(230);
    expect(a).not.toBe(b);
    expect(fileName(`Contoso.${'x'.repeat(300)}A`, '.schema.json')).toBe(a);
  });
});
