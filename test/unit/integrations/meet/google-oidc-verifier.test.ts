import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Jwks } from '../../../../functions/contracts/jwks';
import {
  createGoogleOidcVerifier,
  type MeetPushOidc,
} from '../../../../functions/integrations/meet/google-oidc-verifier';

const AUDIENCE = 'https://api.example.com/webhooks/meet';
const EMAIL = 'push@p.iam.gserviceaccount.com';
const NOW = 1_767_225_600_000;

const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const k1 = keyPair();
const k2 = keyPair();
const other = keyPair();
const jwkOf = (publicKey: KeyObject, kid: string) => {
  const jwk = publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', kid, n: jwk.n, e: jwk.e, alg: 'RS256', use: 'sig' };
};
const claims = (nowMs: number) => ({
  iss: 'https://accounts.google.com',
  aud: AUDIENCE,
  email: EMAIL,
  email_verified: true,
  iat: nowMs / 1000 - 10,
  exp: nowMs / 1000 + 3590,
  sub: '1234',
});
const jwt = (
  body: Record<string, unknown> = claims(NOW),
  key: KeyObject = k1.privateKey,
  header: Record<string, unknown> = {},
) => {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${part({ alg: 'RS256', kid: 'k1', typ: 'JWT', ...header })}.${part(body)}`;
  return `Bearer ${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
};

describe('Google OIDC verifier with configured keys (tests, air-gapped installs)', () => {
  const oidc: MeetPushOidc = {
    audience: AUDIENCE,
    email: EMAIL,
    keys: { kind: 'configured', jwks: { keys: [jwkOf(k1.publicKey, 'k1')] } as Jwks },
  };
  const verifier = createGoogleOidcVerifier(oidc, () => NOW);
  const base = claims(NOW);

  it('accepts a token Google would send', async () => {
    expect(await verifier.verify(jwt())).toEqual({ ok: true });
    expect(await verifier.verify(jwt({ ...base, iss: 'accounts.google.com' }))).toEqual({ ok: true });
  });

  it.each([
    ['no token', undefined, 'no bearer token'],
    ['a non-bearer header', 'Basic dXNlcjpwYXNz', 'no bearer token'],
    ['another key', jwt(base, other.privateKey), 'bad signature'],
    ['an unknown kid', jwt(base, k1.privateKey, { kid: 'k2' }), 'unknown signing key'],
    ['alg none', jwt(base, k1.privateKey, { alg: 'none' }), 'header is not RS256'],
    ['another issuer', jwt({ ...base, iss: 'https://evil.example' }), 'wrong issuer'],
    ['another audience', jwt({ ...base, aud: 'https://other.example' }), 'wrong audience'],
    ['another account', jwt({ ...base, email: 'x@evil.iam.gserviceaccount.com' }), 'wrong email'],
    ['an unverified email', jwt({ ...base, email_verified: false }), 'email not verified'],
    ['an expired token (a replay)', jwt({ ...base, exp: NOW / 1000 - 120 }), 'expired'],
    ['a future token', jwt({ ...base, iat: NOW / 1000 + 600 }), 'issued in the future'],
    ['a token without email', jwt({ ...base, email: undefined }), 'claims missing'],
  ])('refuses %s', async (_, header, reason) => {
    expect(await verifier.verify(header)).toEqual({ ok: false, reason });
  });

  it('refuses a tampered payload under a valid signature', async () => {
    const [h, , s] = jwt().slice('Bearer '.length).split('.');
    const forged = Buffer.from(JSON.stringify({ ...base, email: 'x@y.z' })).toString('base64url');
    expect(await verifier.verify(`Bearer ${h}.${forged}.${s}`)).toEqual({
      ok: false,
      reason: 'bad signature',
    });
  });
});

/** Google's certs endpoint, served locally: nothing in a test reaches the internet. */
describe('Google OIDC verifier with fetched keys', () => {
  let served: Jwks = { keys: [jwkOf(k1.publicKey, 'k1')] };
  let fetches = 0;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url !== '/oauth2/v3/certs') {
        res.writeHead(404).end();
        return;
      }
      fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/v3/certs`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    vi.useRealTimers();
    served = { keys: [jwkOf(k1.publicKey, 'k1')] };
    fetches = 0;
  });

  /** jose's key cache reads `Date.now()`: the test moves that clock instead of sleeping. */
  const clock = () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    return {
      now: () => Date.now(),
      advance: (ms: number) => vi.setSystemTime(Date.now() + ms),
    };
  };
  const remote = (jwksUrl: string): MeetPushOidc => ({
    audience: AUDIENCE,
    email: EMAIL,
    keys: { kind: 'remote', url: jwksUrl, cacheMaxAgeSeconds: 600 },
  });

  it('fetches the keys once and keeps them for their lifetime, then fetches again', async () => {
    const time = clock();
    const verifier = createGoogleOidcVerifier(remote(url), time.now);
    expect(await verifier.verify(jwt(claims(time.now())))).toEqual({ ok: true });
    expect(await verifier.verify(jwt(claims(time.now())))).toEqual({ ok: true });
    expect(fetches).toBe(1);
    time.advance(599_000);
    expect(await verifier.verify(jwt(claims(time.now())))).toEqual({ ok: true });
    expect(fetches).toBe(1);
    time.advance(2_000);
    expect(await verifier.verify(jwt(claims(time.now())))).toEqual({ ok: true });
    expect(fetches).toBe(2);
  });

  it('picks up a rotated key on its first token, without waiting for the cache to expire', async () => {
    const time = clock();
    const verifier = createGoogleOidcVerifier(remote(url), time.now);
    expect(await verifier.verify(jwt(claims(time.now())))).toEqual({ ok: true });
    served = { keys: [jwkOf(k1.publicKey, 'k1'), jwkOf(k2.publicKey, 'k2')] };
    time.advance(31_000);
    const rotated = jwt(claims(time.now()), k2.privateKey, { kid: 'k2' });
    expect(await verifier.verify(rotated)).toEqual({ ok: true });
    expect(fetches).toBe(2);
  });

  it('drops a key Google withdrew once the cache expires', async () => {
    const time = clock();
    const verifier = createGoogleOidcVerifier(remote(url), time.now);
    expect(await verifier.verify(jwt(claims(time.now())))).toEqual({ ok: true });
    served = { keys: [jwkOf(k2.publicKey, 'k2')] };
    time.advance(601_000);
    expect(await verifier.verify(jwt(claims(time.now())))).toEqual({
      ok: false,
      reason: 'unknown signing key',
    });
  });

  it('throws (so the push is redelivered) when the keys cannot be fetched, instead of refusing the token', async () => {
    const verifier = createGoogleOidcVerifier(remote(url.replace('/oauth2/v3/certs', '/gone')), () => NOW);
    await expect(verifier.verify(jwt())).rejects.toThrow();
  });
});
