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

  it.each([
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT', kid: 's1' })}.${b64(claims())}.`],
    ['a wrong signature', () => sign({ alg: 'HS256', kid: 's1' }, claims(), 'y'.repeat(40))],
    [
      'an altered payload',
      () => {
        const [h, , s] = sign({ alg: 'HS256', kid: 's1' }, claims()).split('.');
        return `${h}.${b64(claims({ role: 'admin' }))}.${s}`;
      },
    ],
    [
      'an expired token',
      () => sign({ alg: 'HS256', kid: 's1' }, claims({ exp: Math.floor(clock / 1000) - 1 })),
    ],
    ['a wrong audience', () => sign({ alg: 'HS256', kid: 's1' }, claims({ aud: 'someone-else' }))],
    ['a wrong issuer', () => sign({ alg: 'HS256', kid: 's1' }, claims({ iss: 'evil' }))],
    ['another key id', () => sign({ alg: 'HS256', kid: 's2' }, claims())],
    [
      'HS512 under our key',
      () => {
        const input = `${b64({ alg: 'HS512', kid: 's1' })}.${b64(claims())}`;
        return `${input}.${createHmac('sha512', key.secret).update(input).digest('base64url')}`;
      },
    ],
    ['an unknown role', () => sign({ alg: 'HS256', kid: 's1' }, claims({ role: 'root' }))],
    ['a missing tenant', () => sign({ alg: 'HS256', kid: 's1' }, claims({ tid: undefined }))],
    ['garbage', () => 'not.a.jwt'],
    [
      'an iat far in the future',
      () => sign({ alg: 'HS256', kid: 's1' }, claims({ iat: Math.floor(clock / 1000) + 3600 })),
    ],
    [
      'an nbf in the future',
      () => sign({ alg: 'HS256', kid: 's1' }, claims({ nbf: Math.floor(clock / 1000) + 60 })),
    ],
    ['a crit header', () => sign({ alg: 'HS256', kid: 's1', crit: ['exp'] }, claims())],
    ['a jku header', () => sign({ alg: 'HS256', kid: 's1', jku: 'https://evil.example/keys' }, claims())],
    ['four segments', () => `${sign({ alg: 'HS256', kid: 's1' }, claims())}.extra`],
    ['a padded signature', () => `${sign({ alg: 'HS256', kid: 's1' }, claims())}=`],
    [
      'an empty signature',
      () => `${sign({ alg: 'HS256', kid: 's1' }, claims()).split('.').slice(0, 2).join('.')}.`,
    ],
    [
      'a payload that is not JSON',
      () => {
        const input = `${b64({ alg: 'HS256', kid: 's1' })}.${Buffer.from('not json').toString('base64url')}`;
        return `${input}.${createHmac('sha256', key.secret).update(input).digest('base64url')}`;
      },
    ],
    ['a huge token', () => 'a'.repeat(5000)],
  ])('rejects %s with UnauthorizedError', async (_name, make) => {
    await expect(tokens.verify(make())).rejects.toBeInstanceOf(UnauthorizedError);
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
});
