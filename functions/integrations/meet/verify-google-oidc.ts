import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import * as z from 'zod';

/** Google's signing keys as JWKS (`https://www.googleapis.com/oauth2/v3/certs`); only RSA keys are used. */
export const JwksSchema = z.object({
  keys: z
    .array(
      z.looseObject({
        kty: z.string(),
        kid: z.string().min(1),
        n: z.string().optional(),
        e: z.string().optional(),
        alg: z.string().optional(),
      }),
    )
    .min(1),
});
export type Jwks = z.infer<typeof JwksSchema>;

export interface GoogleOidcExpectations {
  jwks: Jwks;
  /** The push subscription's configured audience (defaults to the endpoint URL at Google). */
  audience: string;
  /** The service account the push subscription authenticates as. */
  email: string;
}

const GOOGLE_ISSUERS = new Set(['accounts.google.com', 'https://accounts.google.com']);
/** Clock skew tolerated on `exp` / `iat`, in seconds. */
const SKEW_SECONDS = 60;

const HeaderSchema = z.object({ alg: z.literal('RS256'), kid: z.string().min(1) });
const ClaimsSchema = z.looseObject({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  email: z.string(),
  email_verified: z.union([z.boolean(), z.literal('true')]),
  exp: z.number(),
  iat: z.number(),
});

export type OidcVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Verifies the `Authorization: Bearer` token Pub/Sub sends with an OIDC-configured push subscription: an RS256
 * signature by a key in `jwks` (by `kid`), issuer accounts.google.com, the configured audience and service
 * account email, `email_verified`, and time bounds against `nowMs`. The reason is for the log, never the caller.
 */
export function verifyGoogleOidc(
  authorization: string | undefined,
  expected: GoogleOidcExpectations,
  nowMs: number,
): OidcVerdict {
  const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization ?? '')?.[1];
  if (token === undefined) return { ok: false, reason: 'no bearer token' };
  const [headerPart, claimsPart, signaturePart] = token.split('.') as [string, string, string];
  const header = HeaderSchema.safeParse(decodeJson(headerPart));
  if (!header.success) return { ok: false, reason: 'header is not RS256 with a kid' };
  const key = publicKeyOf(expected.jwks, header.data.kid);
  if (key === undefined) return { ok: false, reason: 'unknown signing key' };
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${headerPart}.${claimsPart}`),
    key,
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!signed) return { ok: false, reason: 'bad signature' };
  const claims = ClaimsSchema.safeParse(decodeJson(claimsPart));
  if (!claims.success) return { ok: false, reason: 'claims missing' };
  const { iss, aud, email, email_verified, exp, iat } = claims.data;
  const nowSeconds = nowMs / 1000;
  if (!GOOGLE_ISSUERS.has(iss)) return { ok: false, reason: 'wrong issuer' };
  if (!(Array.isArray(aud) ? aud : [aud]).includes(expected.audience))
    return { ok: false, reason: 'wrong audience' };
  if (email !== expected.email) return { ok: false, reason: 'wrong email' };
  if (email_verified !== true && email_verified !== 'true')
    return { ok: false, reason: 'email not verified' };
  if (exp + SKEW_SECONDS < nowSeconds) return { ok: false, reason: 'expired' };
  if (iat - SKEW_SECONDS > nowSeconds) return { ok: false, reason: 'issued in the future' };
  return { ok: true };
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function publicKeyOf(jwks: Jwks, kid: string): KeyObject | undefined {
  const jwk = jwks.keys.find((key) => key.kid === kid && key.kty === 'RSA');
  if (jwk?.n === undefined || jwk.e === undefined) return undefined;
  try {
    return createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  } catch {
    return undefined;
  }
}
