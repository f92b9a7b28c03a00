import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { type Principal, RoleSchema } from '../../contracts/principal';
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

const HeaderSchema = z.strictObject({
  alg: z.literal('HS256'),
  typ: z.literal('JWT').optional(),
  kid: z.string(),
});

const ClaimsSchema = z.object({
  sub: z.string().min(1),
  tid: z.string().min(1),
  role: RoleSchema,
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  jti: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  nbf: z.number().int().optional(),
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

const MAX_TOKEN_LENGTH = 4096;
/** Tolerated clock skew for `iat` in the future (another function's clock a little ahead). */
const ISSUED_AT_SKEW_SECONDS = 60;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

const encodeSegment = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

/**
 * Access tokens: compact JWTs, HS256 with the signing key from Secrets Manager (or the local host's file),
 * claims `sub`, `tid`, `role`, `iss`, `aud`, `exp`, `iat`, `jti`.
 *
 * Verification is written out rather than delegated to a general JOSE library because it runs on every
 * authenticated request: a library's WebCrypto path costs ~200 µs here, this ~15 µs, and the rules are few and
 * all tested. It accepts exactly one header shape (HS256 under our key id: `alg: none`, other algorithms and
 * `crit` fail), compares the MAC in constant time before parsing any claim, then checks issuer, audience,
 * expiry, not-before and a future `iat` against the injected clock, and the claims' shape. Every failure is
 * the same `UnauthorizedError`; the reason goes to the log as its cause.
 */
export function createAccessTokens(options: AccessTokenOptions) {
  // A KeyObject made once, not per call.
  const key = createSecretKey(Buffer.from(options.key.secret, 'utf8'));
  const mac = (input: string) => createHmac('sha256', key).update(input, 'ascii').digest();
  const header = encodeSegment({ alg: 'HS256', typ: 'JWT', kid: options.key.kid });
  const reject = (reason: string): never => {
    throw new UnauthorizedError('The access token is invalid or expired.', new Error(reason));
  };

  return {
    ttlSeconds: options.ttlSeconds,

    async sign(principal: Principal, tokenId: string): Promise<string> {
      const iat = Math.floor(options.now() / 1000);
      const payload = encodeSegment({
        sub: principal.userId,
        tid: principal.tenantId,
        role: principal.role,
        iss: options.issuer,
        aud: options.audience,
        iat,
        exp: iat + options.ttlSeconds,
        jti: tokenId,
      });
      const input = `${header}.${payload}`;
      return `${input}.${mac(input).toString('base64url')}`;
    },

    async verify(token: string): Promise<VerifiedAccess> {
      if (token.length > MAX_TOKEN_LENGTH) return reject('token too long');
      const parts = token.split('.');
      const [headerPart, payloadPart, signaturePart] = parts;
      if (parts.length !== 3 || !headerPart || !payloadPart || !signaturePart)
        return reject('not a compact JWS');
      if (!SEGMENT.test(headerPart) || !SEGMENT.test(payloadPart) || !SEGMENT.test(signaturePart)) {
        return reject('not base64url');
      }
      const signature = Buffer.from(signaturePart, 'base64url');
      const expected = mac(`${headerPart}.${payloadPart}`);
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected))
        return reject('bad signature');

      let headerValue: unknown;
      let payloadValue: unknown;
      try {
        headerValue = decodeSegment(headerPart);
        payloadValue = decodeSegment(payloadPart);
      } catch {
        return reject('segment is not JSON');
      }
      const parsedHeader = HeaderSchema.safeParse(headerValue);
      if (!parsedHeader.success || parsedHeader.data.kid !== options.key.kid)
        return reject('unexpected header');
      const parsed = ClaimsSchema.safeParse(payloadValue);
      if (!parsed.success) return reject('claims do not match');
      const claims = parsed.data;
      const now = Math.floor(options.now() / 1000);
      if (claims.iss !== options.issuer) return reject('wrong issuer');
      const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!audiences.includes(options.audience)) return reject('wrong audience');
      if (now >= claims.exp) return reject('expired');
      if (claims.nbf !== undefined && now < claims.nbf) return reject('not yet valid');
      if (claims.iat > now + ISSUED_AT_SKEW_SECONDS) return reject('issued in the future');
      return {
        userId: claims.sub,
        tenantId: claims.tid,
        role: claims.role,
        issuedAt: claims.iat,
        tokenId: claims.jti,
      };
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
