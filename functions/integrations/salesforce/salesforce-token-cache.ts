import { createHash } from 'node:crypto';

/** What the client-credentials token endpoint gave us: a bearer token and the org's API host. */
export interface SalesforceSession {
  accessToken: string;
  instanceUrl: string;
}

/** Enough for every connection a warm Lambda serves; the oldest entry goes first beyond it. */
const MAX_ENTRIES = 500;
const sessions = new Map<string, Promise<SalesforceSession>>();

/**
 * The cache key for one set of credentials at one token endpoint. The secret is part of it (hashed, never kept
 * in the clear as a key): a reconnect with a wrong secret must not be "verified" by a token the right one got.
 */
export function salesforceSessionKey(tokenOrigin: string, clientId: string, clientSecret: string): string {
  return createHash('sha256').update(`${tokenOrigin}\n${clientId}\n${clientSecret}`).digest('base64url');
}

/**
 * The cached session for `key`, or a new one from `fetchSession`. Module memory, so a warm Lambda reuses the
 * token across invocations; concurrent callers share one token request; a failed request is not cached.
 * Salesforce client-credentials tokens come without a refresh token or an expiry: they are used until a 401
 * `INVALID_SESSION_ID`, when the caller `forget`s them and asks again.
 */
export function salesforceSession(
  key: string,
  fetchSession: () => Promise<SalesforceSession>,
): Promise<SalesforceSession> {
  const cached = sessions.get(key);
  if (cached) return cached;
  const pending = fetchSession();
  sessions.set(key, pending);
  if (sessions.size > MAX_ENTRIES) {
    const oldest = sessions.keys().next().value;
    if (oldest !== undefined) sessions.delete(oldest);
  }
  pending.catch(() => {
    if (sessions.get(key) === pending) sessions.delete(key);
  });
  return pending;
}

/** Drops `session` from the cache unless another caller has already replaced it with a newer one. */
export async function forgetSalesforceSession(key: string, session: SalesforceSession): Promise<void> {
  const cached = sessions.get(key);
  if (cached && (await cached.catch(() => undefined)) === session) {
    if (sessions.get(key) === cached) sessions.delete(key);
  }
}

/** Empties the cache (tests; a key rotation that should force new tokens). */
export function clearSalesforceSessions(): void {
  sessions.clear();
}
