import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Config } from '../../platform/config/config';
import type { OidcVerdict, PushTokenVerifier } from './push-token-verifier';

export type MeetPushOidc = NonNullable<Config['meetingPlatforms']['meetPushOidc']>;

const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];
/** Clock skew tolerated on `exp` / `iat`, in seconds. */
const SKEW_SECONDS = 60;
/** After one fetch, an unknown `kid` (Google has rotated) fetches again no sooner than this. */
const REFETCH_COOLDOWN_MS = 30_000;

/**
 * Google's signing keys: fetched from `url` and kept at most `cacheMaxAgeSeconds` (a `kid` not in the cached
 * set refetches sooner, so a rotation is picked up on its first token); or, for tests and air-gapped installs,
 * the JWKS configured in `MEET_PUSH_OIDC_JWKS`.
 */
export function googleSigningKeys(keys: MeetPushOidc['keys']): JWTVerifyGetKey {
  if (keys.kind === 'configured')
    return createLocalJWKSet(keys.jwks as Parameters<typeof createLocalJWKSet>[0]);
  return createRemoteJWKSet(new URL(keys.url), {
    cacheMaxAge: keys.cacheMaxAgeSeconds * 1000,
    cooldownDuration: REFETCH_COOLDOWN_MS,
  });
}

/**
 * Verifies the `Authorization: Bearer` token Pub/Sub sends with an OIDC-configured push subscription: an RS256
 * signature by one of Google's keys (by `kid`), issuer accounts.google.com, the configured audience and service
 * account email, `email_verified`, and time bounds against `now`. A token that fails any check is a verdict
 * (the reason is for the log, never the caller); keys that cannot be fetched are an error, so the push is
 * answered 500 and Pub/Sub redelivers it.
 */
export function createGoogleOidcVerifier(
  oidc: MeetPushOidc,
  now: () => number,
  keys: JWTVerifyGetKey = googleSigningKeys(oidc.keys),
): PushTokenVerifier {
  return {
    async verify(authorization): Promise<OidcVerdict> {
      const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(
        authorization ?? '',
      )?.[1];
      if (token === undefined) return { ok: false, reason: 'no bearer token' };
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(token, keys, {
          algorithms: ['RS256'],
          issuer: GOOGLE_ISSUERS,
          audience: oidc.audience,
          clockTolerance: SKEW_SECONDS,
          currentDate: new Date(now()),
          requiredClaims: ['exp', 'iat', 'email'],
        }));
      } catch (error) {
        const reason = refusal(error);
        if (reason === undefined) throw error;
        return { ok: false, reason };
      }
      if (typeof claims.iat === 'number' && claims.iat - SKEW_SECONDS > now() / 1000)
        return { ok: false, reason: 'issued in the future' };
      if (claims.email !== oidc.email) return { ok: false, reason: 'wrong email' };
      if (claims.email_verified !== true && claims.email_verified !== 'true')
        return { ok: false, reason: 'email not verified' };
      return { ok: true };
    },
  };
}

/** The reason a token is refused, or undefined when the failure is not the token's (keys unreachable). */
function refusal(error: unknown): string | undefined {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'wrong issuer';
    if (error.claim === 'aud') return 'wrong audience';
    if (error.claim === 'iat' || error.claim === 'nbf') return 'issued in the future';
    return 'claims missing';
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return 'header is not RS256';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed token';
  return undefined;
}
