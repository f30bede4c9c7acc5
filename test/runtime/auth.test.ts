/**
 * Microsoft Entra ID authentication (runtime/auth.ts through the webhook): tokens signed in the test with
 * keys made in the test, the key set served by a local JWKS endpoint on 127.0.0.1 (or injected), and each
 * check: signature, issuer, audience, lifetime, algorithm.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEventGridEvent } from '../../generated/src/fixtures.ts';
import { entraEndpoints } from '../../runtime/auth.ts';
import { createFetchHandler, type WebhookOptions } from '../../runtime/webhook.ts';
import { createRouter, quiet, recorder } from './catalog.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const AUDIENCE = 'api://eventgen-webhook';
const { issuers } = entraEndpoints(TENANT);
const [V2_ISSUER, V1_ISSUER] = issuers as [string, string];

let signingKey: CryptoKey;
let otherKey: CryptoKey;
let jwk: JWK;
let jwks: Server;
let jwksUrl = '';
let jwksRequests = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  jwks = createServer((_, response) => {
    jwksRequests++;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/${TENANT}/discovery/v2.0/keys`;
});
afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

interface Claims {
  iss?: string;
  aud?: string;
  exp?: number | null;
  nbf?: number;
  key?: CryptoKey;
}

async function token(claims: Claims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ appid: '4962773b-9cdb-44cf-a8bf-237846a00ab7' })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })
    .setIssuer(claims.iss ?? V2_ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setNotBefore(claims.nbf ?? now - 60);
  if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? now + 3600);
  return jwt.sign(claims.key ?? signingKey);
}

function webhook(auth: WebhookOptions['auth'], extra: WebhookOptions = {}) {
  const seen: string[] = [];
  const logged = recorder();
  const router = createRouter({ 'Microsoft.Communication.SMSReceived': (e) => void seen.push(e.id) }, { log: logged.log });
  const handler = createFetchHandler(router, { ...extra, ...(auth ? { auth } : {}) });
  const post = (
    authorization?: string,
    body: BodyInit = JSON.stringify([makeEventGridEvent('Microsoft.Communication.SMSReceived')]),
  ) =>
    handler(
      new Request('https://contoso.example/api/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
        duplex: 'half',
      } as RequestInit),
    );
  return { post, seen, lines: logged.lines };
}

describe('Entra ID bearer tokens, keys from the tenant JWKS URL (a local server)', () => {
  const entra = () => ({ entra: { tenantId: TENANT, audience: AUDIENCE, jwksUrl } });

  it('accepts a token of the tenant for the audience, v2.0 or v1.0 issuer, and fetches the keys once', async () => {
    const { post, seen } = webhook(entra());
    const before = jwksRequests;
    expect((await post(`Bearer ${await token()}`)).status).toBe(200);
    expect((await post(`Bearer ${await token({ iss: V1_ISSUER })}`)).status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(jwksRequests - before).toBe(1);
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['another audience', async () => `Bearer ${await token({ aud: 'api://someone-else' })}`, 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    [
      'another tenant',
      async () => `Bearer ${await token({ iss: 'https://login.microsoftonline.com/other/v2.0' })}`,
      'ERR_JWT_CLAIM_VALIDATION_FAILED',
    ],
    ['an expired token (past the 5-minute skew)', async () => `Bearer ${await token({ exp: now() - 600 })}`, 'ERR_JWT_EXPIRED'],
    ['a token not valid yet', async () => `Bearer ${await token({ nbf: now() + 3600 })}`, 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    ['a token without exp', async () => `Bearer ${await token({ exp: null })}`, 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    [
      'a signature by another key',
      async () => `Bearer ${await token({ key: otherKey })}`,
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    ],
    [
      'an unsigned token (alg none)',
      async () =>
        `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: V2_ISSUER, aud: AUDIENCE, exp: now() + 60 })).toString('base64url')}.`,
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ],
    ['no token', async () => undefined, 'no Authorization header'],
    ['a Basic credential', async () => 'Basic dXNlcjpwYXNz', 'not a bearer JWT'],
  ])('answers 401 to %s, logs why, and sends no reason', async (_, authorization, reason) => {
    const { post, seen, lines } = webhook(entra());
    const response = await post(await authorization());
    expect([response.status, await response.json(), response.headers.get('www-authenticate')]).toEqual([
      401,
      { error: 'missing or invalid bearer token' },
      'Bearer',
    ]);
    expect(seen).toEqual([]);
    expect(lines).toMatchObject([{ level: 'warn', message: expect.stringContaining(reason) }]);
  });

  it('checks the token before reading the body', async () => {
    const { post } = webhook(entra());
    const body = new ReadableStream({
      pull() {
        throw new Error('the body must not be read');
      },
    });
    expect((await post(undefined, body)).status).toBe(401);
  });
});

describe('keys injected (air-gapped use): nothing is fetched', () => {
  it('accepts a token signed by an injected key set and refuses others', async () => {
    const before = jwksRequests;
    const { post } = webhook({ entra: { tenantId: TENANT, audience: [AUDIENCE, 'api://other'], keys: { keys: [jwk] } } });
    expect((await post(`Bearer ${await token()}`)).status).toBe(200);
    expect((await post(`Bearer ${await token({ aud: 'api://other' })}`)).status).toBe(200);
    expect((await post(`Bearer ${await token({ key: otherKey })}`)).status).toBe(401);
    expect(jwksRequests).toBe(before);
  });

  it('keeps the shared secret: both must pass when both are set', async () => {
    const { post } = webhook(
      { entra: { tenantId: TENANT, audience: AUDIENCE, keys: { keys: [jwk] } } },
      { secret: { value: 's', header: 'x-s' } },
    );
    expect((await post(`Bearer ${await token()}`)).status).toBe(401);
  });
});

it('uses the tenant JWKS URL and issuers of login.microsoftonline.com by default', () => {
  expect(entraEndpoints(TENANT)).toEqual({
    jwksUrl: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
    issuers: [`https://login.microsoftonline.com/${TENANT}/v2.0`, `https://sts.windows.net/${TENANT}/`],
  });
});

it('refuses a configuration without tenant or audience at once', () => {
  const router = createRouter({}, { log: quiet });
  expect(() => createFetchHandler(router, { auth: { entra: { tenantId: '', audience: AUDIENCE } } })).toThrow(/tenantId/);
  expect(() => createFetchHandler(router, { auth: { entra: { tenantId: TENANT, audience: [] } } })).toThrow(/audience/);
});
