import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import { type Principal, RoleSchema } from '../../core/identity/principal';
import { ConfigError, UnauthorizedError } from '../errors';
import { issuesFromZod, summariseIssues } from '../validation-issues';
import { KeyIdSchema } from './keyring-document';

/** The token-signing secret as Secrets Manager (CDK-generated) or the local host's file holds it. */
export const SigningKeyDocumentSchema = z.object({
  kid: KeyIdSchema,
  secret: z.string().min(32, 'must be a secret string of at least 32 characters'),
});
export type SigningKeyDocument = z.infer<typeof SigningKeyDocumentSchema>;

export function parseSigningKeyDocument(json: string): SigningKeyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError('Signing key document is not valid JSON.', [
      { path: '(document)', message: 'is not JSON' },
    ]);
  }
  const result = SigningKeyDocumentSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = issuesFromZod(result.error, { root: '(document)' });
  throw new ConfigError(`Invalid signing key document — ${summariseIssues(issues)}`, issues);
}

const ClaimsSchema = z.object({
  sub: z.string().min(1),
  tid: z.string().min(1),
  role: RoleSchema,
  jti: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** What a verified access token says, plus when it was issued (checked against the user's revocation time). */
export interface VerifiedAccess extends Principal {
  issuedAt: number;
  tokenId: string;
}

export interface AccessTokenOptions {
  key: SigningKeyDocument;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  /** Epoch milliseconds. */
  now: () => number;
}

const ALGORITHM = 'HS256';

/**
 * Access tokens: compact JWTs, HS256 with the signing key from Secrets Manager (or the local host's file),
 * claims `sub`, `tid`, `role`, `iss`, `aud`, `exp`, `iat`, `jti`. Verification accepts only HS256 under our
 * key id (so `alg: none` and algorithm confusion fail), checks issuer, audience and expiry against the
 * injected clock, and validates the claims' shape. Every failure is the same `UnauthorizedError`.
 */
export function createAccessTokens(options: AccessTokenOptions) {
  const secret = new TextEncoder().encode(options.key.secret);

  return {
    ttlSeconds: options.ttlSeconds,

    async sign(principal: Principal, tokenId: string): Promise<string> {
      const iat = Math.floor(options.now() / 1000);
      return new SignJWT({ tid: principal.tenantId, role: principal.role })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid: options.key.kid })
        .setSubject(principal.userId)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + options.ttlSeconds)
        .setJti(tokenId)
        .sign(secret);
    },

    async verify(token: string): Promise<VerifiedAccess> {
      try {
        const { payload, protectedHeader } = await jwtVerify(token, secret, {
          algorithms: [ALGORITHM],
          issuer: options.issuer,
          audience: options.audience,
          currentDate: new Date(options.now()),
          requiredClaims: ['sub', 'iat', 'exp', 'jti'],
        });
        if (protectedHeader.kid !== options.key.kid) throw new UnauthorizedError('Unknown signing key.');
        const claims = ClaimsSchema.parse(payload);
        return {
          userId: claims.sub,
          tenantId: claims.tid,
          role: claims.role,
          issuedAt: claims.iat,
          tokenId: claims.jti,
        };
      } catch (error) {
        if (
          error instanceof joseErrors.JOSEError ||
          error instanceof z.ZodError ||
          error instanceof UnauthorizedError
        ) {
          throw new UnauthorizedError('The access token is invalid or expired.', error);
        }
        throw error;
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
