import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAccessTokens, parseSigningKeyDocument } from '../../../functions/platform/crypto/access-token';
import { ConfigError, UnauthorizedError } from '../../../functions/platform/errors';

const key = { kid: 's1', secret: 'x'.repeat(40) };
let clock = Date.UTC(2026, 10, 23, 12, 0, 0);
const options = {
  key,
  issuer: 'smart-advisor-os',
  audience: 'smart-advisor-os-api',
  ttlSeconds: 900,
  now: () => clock,
};
const tokens = createAccessTokens(options);
const alice = { userId: 'u-1', tenantId: 'firm-a', role: 'advisor' as const };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (header: object, payload: object, secret = key.secret) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'u-1',
  tid: 'firm-a',
  role: 'advisor',
  iss: options.issuer,
  aud: options.audience,
  iat: Math.floor(clock / 1000),
  exp: Math.floor(clock / 1000) + 900,
  jti: 'j-1',
  ...overrides,
});

describe('access tokens', () => {
  it('signs and verifies the claims the issue names', async () => {
    const token = await tokens.sign(alice, 'jti-1');
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 's1' });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'role', 'sub', 'tid']);
    expect(payload.exp - payload.iat).toBe(900);
    await expect(tokens.verify(token)).resolves.toMatchObject({ ...alice, tokenId: 'jti-1' });
  });

  it.each<[string, () => string, string]>([
    [
      'alg none',
      () => `${b64({ alg: 'none', typ: 'JWT', kid: 's1' })}.${b64(claims())}.`,
      'not a compact JWS',
    ],
    ['a wrong signature', () => sign({ alg: 'HS256', kid: 's1' }, claims(), 'y'.repeat(40)), 'bad signature'],
    [
      'an altered payload',
      () => {
        const [h, , s] = sign({ alg: 'HS256', kid: 's1' }, claims()).split('.');
        return `${h}.${b64(claims({ role: 'admin' }))}.${s}`;
      },
      'bad signature',
    ],
    [
      'an expired token',
      () => sign({ alg: 'HS256', kid: 's1' }, claims({ exp: Math.floor(clock / 1000) - 1 })),
      'expired',
    ],
    [
      'a wrong audience',
      () => sign({ alg: 'HS256', kid: 's1' }, claims({ aud: 'someone-else' })),
      'wrong audience',
    ],
    ['a wrong issuer', () => sign({ alg: 'HS256', kid: 's1' }, claims({ iss: 'evil' })), 'wrong issuer'],
    ['another key id', () => sign({ alg: 'HS256', kid: 's2' }, claims()), 'unexpected header'],
    [
      'HS512 under our key',
      () => {
        const input = `${b64({ alg: 'HS512', kid: 's1' })}.${b64(claims())}`;
        return `${input}.${createHmac('sha512', key.secret).update(input).digest('base64url')}`;
      },
      'bad signature',
    ],
    [
      'an unknown role',
      () => sign({ alg: 'HS256', kid: 's1' }, claims({ role: 'root' })),
      'claims do not match',
    ],
    [
      'a missing tenant',
      () => sign({ alg: 'HS256', kid: 's1' }, claims({ tid: undefined })),
      'claims do not match',
    ],
    ['garbage', () => 'not.a.jwt', 'bad signature'],
    [
      'an iat far in the future',
      () => sign({ alg: 'HS256', kid: 's1' }, claims({ iat: Math.floor(clock / 1000) + 3600 })),
      'issued in the future',
    ],
    [
      'an nbf in the future',
      () => sign({ alg: 'HS256', kid: 's1' }, claims({ nbf: Math.floor(clock / 1000) + 60 })),
      'not yet valid',
    ],
    ['a crit header', () => sign({ alg: 'HS256', kid: 's1', crit: ['exp'] }, claims()), 'unexpected header'],
    [
      'a jku header',
      () => sign({ alg: 'HS256', kid: 's1', jku: 'https://evil.example/keys' }, claims()),
      'unexpected header',
    ],
    ['four segments', () => `${sign({ alg: 'HS256', kid: 's1' }, claims())}.extra`, 'not a compact JWS'],
    ['a padded signature', () => `${sign({ alg: 'HS256', kid: 's1' }, claims())}=`, 'not base64url'],
    [
      'an empty signature',
      () => `${sign({ alg: 'HS256', kid: 's1' }, claims()).split('.').slice(0, 2).join('.')}.`,
      'not a compact JWS',
    ],
    [
      'a payload that is not JSON',
      () => {
        const input = `${b64({ alg: 'HS256', kid: 's1' })}.${Buffer.from('not json').toString('base64url')}`;
        return `${input}.${createHmac('sha256', key.secret).update(input).digest('base64url')}`;
      },
      'segment is not JSON',
    ],
    ['a huge token', () => 'a'.repeat(5000), 'token too long'],
    ['a token of exactly the length limit, in one piece', () => 'a'.repeat(4096), 'not a compact JWS'],
    [
      'a header that is not base64url',
      () => `h*.${sign({ alg: 'HS256', kid: 's1' }, claims()).split('.').slice(1).join('.')}`,
      'not base64url',
    ],
    [
      'a payload that is not base64url',
      () => {
        const [h, , s] = sign({ alg: 'HS256', kid: 's1' }, claims()).split('.');
        return `${h}.p*.${s}`;
      },
      'not base64url',
    ],
  ])('rejects %s with UnauthorizedError, logging why', async (_name, make, reason) => {
    const error = await tokens.verify(make()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).message).toBe('The access token is invalid or expired.');
    expect(((error as UnauthorizedError).cause as Error).message).toBe(reason);
  });

  it('accepts a token whose nbf has passed, and one whose iat is within the minute of skew', async () => {
    const now = Math.floor(clock / 1000);
    await expect(
      tokens.verify(sign({ alg: 'HS256', kid: 's1' }, claims({ nbf: now }))),
    ).resolves.toMatchObject(alice);
    await expect(
      tokens.verify(sign({ alg: 'HS256', kid: 's1' }, claims({ nbf: now - 60, iat: now + 60 }))),
    ).resolves.toMatchObject(alice);
  });

  it('accepts an audience list that contains ours', async () => {
    await expect(
      tokens.verify(
        sign({ alg: 'HS256', typ: 'JWT', kid: 's1' }, claims({ aud: ['other', options.audience] })),
      ),
    ).resolves.toMatchObject(alice);
  });

  it('expires after its TTL on the injected clock', async () => {
    const token = await tokens.sign(alice, 'jti-2');
    clock += 899_000;
    await expect(tokens.verify(token)).resolves.toBeDefined();
    clock += 2_000;
    await expect(tokens.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('accepts a token up to the last second before exp and rejects it at exactly exp (RFC 7519 §4.1.4)', async () => {
    const issuedAt = Date.UTC(2031, 0, 1, 9, 0, 0);
    let now = issuedAt;
    const timed = createAccessTokens({ ...options, now: () => now });
    const token = await timed.sign(alice, 'jti-exp');
    const exp = issuedAt / 1000 + 900;
    now = (exp - 1) * 1000;
    await expect(timed.verify(token)).resolves.toMatchObject(alice);
    now = exp * 1000 - 1;
    await expect(timed.verify(token)).resolves.toMatchObject(alice);
    now = exp * 1000;
    const error = await timed.verify(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).cause).toEqual(new Error('expired'));
  });
});

describe('parseSigningKeyDocument', () => {
  it('accepts the CDK-generated and local shape', () => {
    expect(parseSigningKeyDocument(JSON.stringify(key))).toEqual(key);
  });

  it.each(['not json', '{}', JSON.stringify({ kid: 's1', secret: 'short' })])(
    'rejects %s without echoing the secret',
    (doc) => {
      expect(() => parseSigningKeyDocument(doc)).toThrow(ConfigError);
      try {
        parseSigningKeyDocument(doc);
      } catch (error) {
        expect((error as Error).message).not.toContain('short');
      }
    },
  );

  it('names what is wrong, field by field, for whoever set the secret up', () => {
    const thrown = (doc: string) => {
      try {
        parseSigningKeyDocument(doc);
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('accepted');
    };
    const notJson = thrown('not json');
    expect(notJson.message).toBe('Signing key document is not valid JSON.');
    expect(notJson.issues).toEqual([{ path: '(document)', message: 'is not JSON' }]);
    const short = thrown(JSON.stringify({ kid: 's1', secret: 'short' }));
    expect(short.message).toBe(
      'Invalid signing key document — secret: must be a secret string of at least 32 characters',
    );
    expect(thrown('"a string"').issues.map((i) => i.path)).toEqual(['(document)']);
  });
});
