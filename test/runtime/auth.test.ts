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
import { type EntraOptions, entraEndpoints } from '../../runtime/auth.ts';
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

describe('the key endpoint down, failing, slow or answering nonsense', () => {
  type Mode = 'ok' | 'error 500' | 'HTML' | 'a key set without keys' | 'no answer';
  let mode: Mode = 'ok';
  let hits = 0;
  let flaky: Server;
  let flakyUrl = '';
  let downUrl = '';
  beforeAll(async () => {
    flaky = createServer((_, response) => {
      hits++;
      if (mode === 'ok') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      else if (mode === 'error 500') response.writeHead(500).end('upstream failure');
      else if (mode === 'HTML') response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
      else if (mode === 'a key set without keys') response.writeHead(200).end('{"keys":[]}');
      // 'no answer': the request is left hanging
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/keys`;
    // A port nothing listens on: connection refused.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    downUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/keys`;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
  });
  afterAll(() => {
    flaky.closeAllConnections();
    return new Promise<void>((resolve) => flaky.close(() => resolve()));
  });

  const entra = (url: string, extra: Partial<EntraOptions> = {}) => ({
    entra: { tenantId: TENANT, audience: AUDIENCE, jwksUrl: url, jwksTimeoutMs: 300, ...extra },
  });
  const warnings = (lines: { level: string; message: string }[]) => lines.filter((l) => l.message.includes('signing keys'));
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it.each([
    ['down (connection refused)', undefined],
    ['answering 500', 'error 500'],
    ['answering HTML', 'HTML'],
    ['answering a key set without keys', 'a key set without keys'],
    ['slow (no answer within jwksTimeoutMs)', 'no answer'],
  ] as const)(
    'answers 503 (Event Grid retries) to valid tokens while the endpoint is %s, warns once, fetches once per jwksRetryMs',
    async (_, broken) => {
      mode = broken ?? 'ok';
      const { post, seen, lines } = webhook(entra(broken === undefined ? downUrl : flakyUrl, { jwksRetryMs: 60_000 }));
      const before = hits;
      const started = performance.now();
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await post(`Bearer ${await token()}`);
        statuses.push(response.status);
        if (i === 0)
          expect(await response.json()).toEqual({
            error: 'the signing keys to check the token with are unavailable; retry later',
          });
      }
      expect(statuses).toEqual([503, 503, 503]);
      expect(performance.now() - started).toBeLessThan(3000); // the fetch's time limit holds
      expect(seen).toEqual([]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'warn',
        message: expect.stringMatching(/^eventgen: the signing keys cannot be fetched from .*503/),
      });
      expect(hits - before).toBe(broken === undefined ? 0 : 1);
    },
  );

  it('keeps serving the keys fetched before while a refresh fails, warns once, and says when it recovers', async () => {
    mode = 'ok';
    const { post, seen, lines } = webhook(entra(flakyUrl, { jwksMaxAgeMs: 1, jwksRetryMs: 50 }));
    const statuses: number[] = [];
    /** Posts valid tokens (each refreshes the stale set in the background, when allowed) until `level` is logged. */
    const until = async (level: string) => {
      for (let i = 0; i < 100 && !warnings(lines).some((l) => l.level === level); i++) {
        statuses.push((await post(`Bearer ${await token()}`)).status);
        await pause(10);
      }
    };
    statuses.push((await post(`Bearer ${await token()}`)).status);
    mode = 'error 500';
    await until('warn');
    expect(warnings(lines)).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(/cannot be fetched from .*answered HTTP 500.*the keys fetched at .* keep serving/),
      },
    ]);
    mode = 'ok';
    await until('info');
    expect(warnings(lines).map((l) => l.level)).toEqual(['warn', 'info']);
    expect(new Set(statuses)).toEqual(new Set([200])); // every request served, all along
    expect(seen).toHaveLength(statuses.length);
  });

  it('recovers from an outage with no keys at all once the endpoint answers again', async () => {
    mode = 'error 500';
    const { post, lines } = webhook(entra(flakyUrl, { jwksRetryMs: 1000 }));
    const valid = `Bearer ${await token()}`;
    expect((await post(valid)).status).toBe(503);
    mode = 'ok';
    expect((await post(valid)).status).toBe(503); // within jwksRetryMs: no new fetch
    await pause(1050);
    expect((await post(valid)).status).toBe(200);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info']);
    // A token signed by a key the set does not have is still refused (401), never "unavailable".
    expect((await post(`Bearer ${await token({ key: otherKey })}`)).status).toBe(401);
  });

  it('answers 503 to a token whose key is not in the set when the set cannot be refreshed (the tenant may have rolled its keys)', async () => {
    mode = 'ok';
    const { post } = webhook(entra(flakyUrl, { jwksRetryMs: 20 }));
    expect((await post(`Bearer ${await token()}`)).status).toBe(200);
    mode = 'error 500';
    await pause(30);
    const rolled = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'rolled-key' })
      .setIssuer(V2_ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('1h')
      .sign(otherKey);
    expect((await post(`Bearer ${rolled}`)).status).toBe(503);
    expect((await post(`Bearer ${await token()}`)).status).toBe(200); // the known key keeps serving
  });

  it("answers 503 when the application's own key function fails, 401 when the token is at fault", async () => {
    const failing = {
      entra: { tenantId: TENANT, audience: AUDIENCE, keys: async () => Promise.reject(new TypeError('fetch failed')) },
    };
    const { post, lines } = webhook(failing);
    expect((await post(`Bearer ${await token()}`)).status).toBe(503);
    expect((await post(`Bearer ${await token()}`)).status).toBe(503);
    expect(lines).toMatchObject([{ level: 'warn', message: expect.stringContaining('fetch failed') }]);
    const noKey = Object.assign(new Error('no applicable key'), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    const strict = webhook({ entra: { tenantId: TENANT, audience: AUDIENCE, keys: async () => Promise.reject(noKey) } });
    expect((await strict.post(`Bearer ${await token()}`)).status).toBe(401);
  });

  it('refuses a jwksTimeoutMs, jwksMaxAgeMs or jwksRetryMs that is not a positive whole number', () => {
    const router = createRouter({}, { log: quiet });
    for (const option of ['jwksTimeoutMs', 'jwksMaxAgeMs', 'jwksRetryMs'])
      expect(() => createFetchHandler(router, { auth: entra(flakyUrl, { [option]: 0 }) })).toThrow(new RegExp(option));
  });
});
