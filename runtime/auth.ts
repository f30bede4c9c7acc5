/**
 * Microsoft Entra ID authentication of webhook deliveries. Event Grid, when the subscription sets
 * `azureActiveDirectoryTenantId` and `azureActiveDirectoryApplicationIdOrUri`, sends
 * `Authorization: Bearer <token>` with every request; the token is checked here with jose: its
 * signature against the tenant's signing keys, its issuer, its audience and its lifetime.
 * https://learn.microsoft.com/azure/event-grid/secure-webhook-delivery
 *
 * jose is loaded on the first request that needs it, so a webhook without `auth` never loads it.
 */
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';

export interface EntraOptions {
  /** The directory (tenant) id, or a verified domain of the tenant. */
  tenantId: string;
  /**
   * The audience the token must name (`aud`): the Application ID URI or the client id of the app
   * registration the subscription names. One, or several accepted.
   */
  audience: string | readonly string[];
  /**
   * The signing keys: a JSON Web Key Set (air-gapped use, tests), or a function as jose's
   * `createRemoteJWKSet` returns. Default: fetched (and cached) from {@link jwksUrl}.
   */
  keys?: JSONWebKeySet | JWTVerifyGetKey;
  /** Where the signing keys are fetched. Default `https://login.microsoftonline.com/{tenantId}/discovery/v2.0/keys`. */
  jwksUrl?: string;
  /**
   * Issuers accepted. Default the tenant's v2.0 and v1.0 issuers,
   * `https://login.microsoftonline.com/{tenantId}/v2.0` and `https://sts.windows.net/{tenantId}/`:
   * which one a token carries depends on the app registration's `accessTokenAcceptedVersion`.
   */
  issuers?: readonly string[];
  /** Clock skew tolerated when checking `exp` and `nbf`, in seconds. Default 300, as Microsoft's own middleware. */
  clockToleranceSeconds?: number;
}

export interface AuthOptions {
  entra: EntraOptions;
}

/** The outcome of checking a request's credentials; `reason` is for the log, never for the sender. */
export type AuthResult = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

/** Checks the `Authorization` header of a request. Never throws. */
export type Authenticator = (authorization: string | null) => Promise<AuthResult>;

/** The tenant's JWKS URL, its v2.0 and v1.0 issuers. */
export function entraEndpoints(tenantId: string): { jwksUrl: string; issuers: string[] } {
  const tenant = encodeURIComponent(tenantId);
  return {
    jwksUrl: `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`,
    issuers: [`https://login.microsoftonline.com/${tenant}/v2.0`, `https://sts.windows.net/${tenant}/`],
  };
}

/** An authenticator for Entra ID bearer tokens. */
export function entraAuthenticator(options: EntraOptions): Authenticator {
  if (typeof options.tenantId !== 'string' || options.tenantId.trim() === '')
    throw new TypeError('auth.entra.tenantId is required');
  const audiences = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  if (audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a === ''))
    throw new TypeError('auth.entra.audience is required');
  const endpoints = entraEndpoints(options.tenantId);
  let verify: Promise<(token: string) => Promise<Record<string, unknown>>> | undefined;

  const load = async () => {
    const jose = await import('jose');
    const keys =
      typeof options.keys === 'function'
        ? options.keys
        : options.keys !== undefined
          ? jose.createLocalJWKSet(options.keys)
          : jose.createRemoteJWKSet(new URL(options.jwksUrl ?? endpoints.jwksUrl));
    const verifyOptions = {
      issuer: [...(options.issuers ?? endpoints.issuers)],
      audience: audiences,
      clockTolerance: options.clockToleranceSeconds ?? 300,
      requiredClaims: ['exp'],
      // Entra signs access tokens with RS256; refusing every other algorithm rules out "none" and HMAC confusion.
      algorithms: ['RS256'],
    };
    return async (token: string) => (await jose.jwtVerify(token, keys, verifyOptions)).payload;
  };

  return async (authorization) => {
    const match = /^Bearer[ \t]+([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*)[ \t]*$/i.exec(
      authorization ?? '',
    );
    if (!match?.[1])
      return { ok: false, reason: authorization === null ? 'no Authorization header' : 'not a bearer JWT' };
    try {
      verify ??= load();
      return { ok: true, claims: await (await verify)(match[1]) };
    } catch (error) {
      if (verify !== undefined && !(await verify.then(() => true).catch(() => false))) verify = undefined;
      const code = (error as { code?: unknown } | null)?.code;
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, reason: typeof code === 'string' ? `${code}: ${message}` : message };
    }
  };
}
