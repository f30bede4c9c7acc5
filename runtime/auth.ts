/**
 * Microsoft Entra ID authentication of webhook deliveries. Event Grid, when the subscription sets
 * `azureActiveDirectoryTenantId` and `azureActiveDirectoryApplicationIdOrUri`, sends
 * `Authorization: Bearer <token>` with every request; the token is checked here with jose: its
 * signature against the tenant's signing keys, its issuer, its audience and its lifetime.
 * https://learn.microsoft.com/azure/event-grid/secure-webhook-delivery
 *
 * jose is loaded on the first request that needs it, so a webhook without `auth` never loads it.
 *
 * The tenant's key set is fetched with a time limit, kept, and refreshed in the background once it is old: a key set
 * fetched before keeps serving while a refresh fails. When no key set can be had (the endpoint down, slow, answering an
 * error or something that is not a key set), a request is refused as unavailable, not as unauthenticated: the webhook
 * answers 503, which Event Grid retries, where a 401 would drop the delivery.
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
   * `createRemoteJWKSet` returns (what it throws, other than a token's fault, makes the request unavailable: 503).
   * Default: fetched (and kept) from {@link jwksUrl}.
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
  /** The time limit of one fetch of the key set (its answer and body), in milliseconds. Default 5000. */
  jwksTimeoutMs?: number;
  /**
   * How old a fetched key set may grow before it is refreshed, in milliseconds; the refresh runs in the background and
   * the set keeps serving meanwhile, and while refreshes fail. Default 600 000 (10 minutes).
   */
  jwksMaxAgeMs?: number;
  /**
   * The shortest time between two fetches after a failed one, or to look for a key the set does not have (the tenant
   * rolled its keys): requests in between are answered with what is at hand, so an outage of the endpoint or tokens
   * naming unknown keys never make a fetch per request. Default 10 000.
   */
  jwksRetryMs?: number;
}

export interface AuthOptions {
  entra: EntraOptions;
}

/** A line about the key set, to log once: an outage begins (warn) or ends (info). */
export interface AuthNotice {
  level: 'warn' | 'info';
  message: string;
}

/**
 * The outcome of checking a request's credentials; `reason` is for the log, never for the sender. `unavailable`: the
 * token could not be checked (no signing keys at hand), which is not the sender's fault: answer 503. `notice`: a line to
 * log, given once with the first outcome after the key set's state changed.
 */
export type AuthResult =
  | { ok: true; claims: Record<string, unknown>; notice?: AuthNotice }
  | { ok: false; reason: string; unavailable?: true; notice?: AuthNotice };

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

/** No signing keys at hand to check a token with: the request is unavailable (503), not refused. */
class KeysUnavailable extends Error {}

/** What a key function throws because of the token itself (its key is unknown, its algorithm refused), not its keys. */
const TOKEN_FAULTS = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWS_INVALID',
  'ERR_JWT_INVALID',
]);

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/** What was thrown, as text for the log (code first when it has one). */
function reasonOf(error: unknown): string {
  try {
    const code = codeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return typeof code === 'string' ? `${code}: ${message}${cause}` : `${message}${cause}`;
  } catch {
    return 'unknown error';
  }
}

type Jose = typeof import('jose');
type GetKey = (
  header: Parameters<JWTVerifyGetKey>[0],
  token: Parameters<JWTVerifyGetKey>[1],
) => Promise<unknown>;

/** Whether a key set a fetch returned can be used: an object whose `keys` is a non-empty array. */
function isKeySet(value: unknown): value is JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  return Array.isArray(keys) && keys.length > 0;
}

/**
 * The tenant's key set from its JWKS URL: fetched with a time limit (concurrent requests share one fetch), kept, and
 * refreshed in the background once older than `maxAgeMs`; the set fetched last keeps serving while a refresh fails.
 * After a failure, no fetch for `retryMs`.
 */
class RemoteKeys {
  readonly #jose: Jose;
  readonly url: string;
  readonly #timeoutMs: number;
  readonly #maxAgeMs: number;
  readonly #retryMs: number;
  #local: GetKey | undefined;
  /** When the set in use was fetched (Date.now()). */
  fetchedAt = 0;
  /** When the last fetch was started. */
  #triedAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<void> | undefined;
  /** Why the last fetch failed; undefined once one succeeds. */
  failing: string | undefined;

  constructor(jose: Jose, url: string, timeoutMs: number, maxAgeMs: number, retryMs: number) {
    this.#jose = jose;
    this.url = url;
    this.#timeoutMs = timeoutMs;
    this.#maxAgeMs = maxAgeMs;
    this.#retryMs = retryMs;
  }

  /** Fetches the set (or joins the fetch under way); never rejects: a failure is kept in `failing`. */
  #refresh(): Promise<void> {
    this.#triedAt = Date.now();
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetch(): Promise<void> {
    try {
      const signal = AbortSignal.timeout(this.#timeoutMs);
      const response = await fetch(this.url, {
        signal,
        redirect: 'manual',
        headers: { accept: 'application/json, application/jwk-set+json' },
      });
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`answered HTTP ${response.status}, not 200`);
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch (error) {
        if (signal.aborted) throw error;
        throw new Error(`answered something that is not JSON: ${reasonOf(error)}`);
      }
      if (!isKeySet(json)) throw new Error('answered JSON that is not a key set with keys');
      this.#local = this.#jose.createLocalJWKSet(json);
      this.fetchedAt = Date.now();
      this.failing = undefined;
    } catch (error) {
      const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
      this.failing = timedOut ? `no answer within ${this.#timeoutMs} ms (jwksTimeoutMs)` : reasonOf(error);
    }
  }

  /** Whether a fetch may start now: none failed, or the last one started at least `retryMs` ago. */
  #mayFetch(now: number): boolean {
    return this.failing === undefined ? this.#pending === undefined : now - this.#triedAt >= this.#retryMs;
  }

  /** The key of a token, for jose's jwtVerify. */
  readonly getKey: GetKey = async (header, token) => {
    const now = Date.now();
    if (this.#local === undefined) {
      if (this.#pending !== undefined || this.#mayFetch(now)) await this.#refresh();
      if (this.#local === undefined) throw new KeysUnavailable(this.failing ?? 'no key set fetched yet');
    } else if (now - this.fetchedAt >= this.#maxAgeMs && this.#mayFetch(now)) {
      void this.#refresh(); // in the background: the set at hand serves meanwhile
    }
    const local = this.#local;
    try {
      return await local(header, token);
    } catch (error) {
      if (codeOf(error) !== 'ERR_JWKS_NO_MATCHING_KEY' || now - this.fetchedAt < this.#retryMs) throw error;
      // A key the set does not have: the tenant may have rolled its keys since the set was fetched.
      if (this.#pending === undefined && !this.#mayFetch(now))
        throw new KeysUnavailable(this.failing as string);
      await this.#refresh();
      if (this.failing !== undefined) throw new KeysUnavailable(this.failing);
      return (this.#local as GetKey)(header, token);
    }
  };
}

/** A whole number of milliseconds above 0, or the default; anything else is refused when the handler is made. */
function millis(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new TypeError(`auth.entra.${name} must be a whole number of milliseconds above 0`);
  return value;
}

/** An authenticator for Entra ID bearer tokens. */
export function entraAuthenticator(options: EntraOptions): Authenticator {
  if (typeof options.tenantId !== 'string' || options.tenantId.trim() === '')
    throw new TypeError('auth.entra.tenantId is required');
  const audiences = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  if (audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a === ''))
    throw new TypeError('auth.entra.audience is required');
  const timeoutMs = millis(options.jwksTimeoutMs, 'jwksTimeoutMs', 5000);
  const maxAgeMs = millis(options.jwksMaxAgeMs, 'jwksMaxAgeMs', 600_000);
  const retryMs = millis(options.jwksRetryMs, 'jwksRetryMs', 10_000);
  const endpoints = entraEndpoints(options.tenantId);
  let verify: Promise<(token: string) => Promise<Record<string, unknown>>> | undefined;
  let remote: RemoteKeys | undefined;
  /** Why keys are lacking, as last logged; undefined when they are not. */
  let reported: string | undefined;

  const load = async () => {
    const jose = await import('jose');
    let keys: GetKey;
    if (typeof options.keys === 'function') {
      const given = options.keys;
      // What a key function of the application throws, other than a token's fault, says its keys are lacking.
      keys = async (header, token) => {
        try {
          return await given(header, token);
        } catch (error) {
          const code = codeOf(error);
          throw typeof code === 'string' && TOKEN_FAULTS.has(code)
            ? error
            : new KeysUnavailable(reasonOf(error));
        }
      };
    } else if (options.keys !== undefined) keys = jose.createLocalJWKSet(options.keys);
    else {
      remote = new RemoteKeys(jose, options.jwksUrl ?? endpoints.jwksUrl, timeoutMs, maxAgeMs, retryMs);
      keys = remote.getKey;
    }
    const verifyOptions = {
      issuer: [...(options.issuers ?? endpoints.issuers)],
      audience: audiences,
      clockTolerance: options.clockToleranceSeconds ?? 300,
      requiredClaims: ['exp'],
      // Entra signs access tokens with RS256; refusing every other algorithm rules out "none" and HMAC confusion.
      algorithms: ['RS256'],
    };
    return async (token: string): Promise<Record<string, unknown>> => {
      const verified = await jose.jwtVerify(token, keys as JWTVerifyGetKey, verifyOptions);
      return verified.payload;
    };
  };

  /** The line to log with this outcome, when the key set's state changed since the last one logged. */
  function notice(unavailable: string | undefined): AuthNotice | undefined {
    const lacking = unavailable ?? remote?.failing;
    if (lacking !== undefined && reported === undefined) {
      reported = lacking;
      const where = remote ? ` from ${remote.url}` : '';
      const then =
        unavailable === undefined && remote
          ? `the keys fetched at ${new Date(remote.fetchedAt).toISOString()} keep serving`
          : 'requests with a bearer token are answered 503 (Event Grid retries them)';
      return {
        level: 'warn',
        message: `eventgen: the signing keys cannot be fetched${where} (${lacking}); ${then} until a fetch succeeds`,
      };
    }
    if (lacking === undefined && reported !== undefined) {
      reported = undefined;
      return {
        level: 'info',
        message: `eventgen: the signing keys are fetched again${remote ? ` from ${remote.url}` : ''}`,
      };
    }
    return undefined;
  }

  const outcome = (result: AuthResult, unavailable?: string): AuthResult => {
    const line = notice(unavailable);
    return line === undefined ? result : { ...result, notice: line };
  };

  return async (authorization) => {
    const match = /^Bearer[ \t]+([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*)[ \t]*$/i.exec(
      authorization ?? '',
    );
    if (!match?.[1])
      return { ok: false, reason: authorization === null ? 'no Authorization header' : 'not a bearer JWT' };
    try {
      verify ??= load();
      return outcome({ ok: true, claims: await (await verify)(match[1]) });
    } catch (error) {
      if (verify !== undefined && !(await verify.then(() => true).catch(() => false))) {
        // jose could not be loaded: the webhook cannot check tokens at all, which is not the sender's fault.
        verify = undefined;
        const reason = `jose cannot be loaded: ${reasonOf(error)}`;
        return outcome({ ok: false, reason, unavailable: true }, reason);
      }
      if (error instanceof KeysUnavailable)
        return outcome({ ok: false, reason: error.message, unavailable: true }, error.message);
      return outcome({ ok: false, reason: reasonOf(error) });
    }
  };
}
