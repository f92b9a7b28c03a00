import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Jwks } from '../../../../functions/contracts/jwks';
import { WebhookRejectedError } from '../../../../functions/core/platforms/errors';
import type { PlatformIntegration } from '../../../../functions/core/platforms/platform-integration';
import type { PlatformIntakeDeps } from '../../../../functions/core/platforms/ports';
import { webhookIntegrationLookup } from '../../../../functions/core/platforms/webhook-integration';
import { createGoogleOidcVerifier } from '../../../../functions/integrations/meet/google-oidc-verifier';
import { receiveMeetPush } from '../../../../functions/integrations/meet/receive-meet-push';

const TOKEN = 'a'.repeat(40);
const NOW = 1_770_000_000_000;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = publicKey.export({ format: 'jwk' });
const oidc = {
  keys: {
    kind: 'configured' as const,
    jwks: { keys: [{ kty: 'RSA', kid: 'k1', n: jwk.n, e: jwk.e }] } as Jwks,
  },
  audience: 'https://api.example.com/webhooks/meet',
  email: 'push@p.iam.gserviceaccount.com',
};
const integration: PlatformIntegration = {
  tenantId: 'firm-a',
  platform: 'meet',
  integrationId: 'int-1',
  credentials: {
    platform: 'meet',
    serviceAccount: {
      clientEmail: 'sa@p.iam.gserviceaccount.com',
      privateKey: '-----BEGIN PRIVATE KEY-----x',
    },
    pathToken: TOKEN,
    advisorMappings: [{ platformUser: 'renata@firm.example', advisorUserId: 'adv-1' }],
  },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'admin-1',
};
const found: string[] = [];
const deps = {
  integrations: webhookIntegrationLookup({
    routes: {
      find: async (_platform: string, key: string) => {
        found.push(key);
        return key === `token:${TOKEN}`
          ? { platform: 'meet' as const, tenantId: 'firm-a', integrationId: 'int-1' }
          : undefined;
      },
    },
    integrations: { get: async () => integration },
  }),
  // Never reached in these tests: every push here is refused or ignored before intake.
  intake: {} as PlatformIntakeDeps,
  clock: { now: () => NOW },
  oidc: createGoogleOidcVerifier(oidc, () => NOW),
};
const body = JSON.stringify({
  message: {
    attributes: { 'ce-type': 'google.workspace.meet.conference.v2.ended', 'ce-id': 'e1' },
    data: Buffer.from('{}').toString('base64'),
    messageId: 'm1',
  },
});
const bearer = (claims: Record<string, unknown> = {}) => {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${part({ alg: 'RS256', kid: 'k1' })}.${part({
    iss: 'accounts.google.com',
    aud: oidc.audience,
    email: oidc.email,
    email_verified: true,
    iat: NOW / 1000 - 5,
    exp: NOW / 1000 + 3595,
    ...claims,
  })}`;
  return `Bearer ${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
};
const reason = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof WebhookRejectedError ? error.reason : String(error)),
  );

describe('receiveMeetPush authentication', () => {
  it('accepts the firm’s path token with a valid OIDC bearer and ignores an unhandled event type', async () => {
    expect(await receiveMeetPush({ pathToken: TOKEN, authorization: bearer(), rawBody: body }, deps)).toEqual(
      {
        kind: 'ignored',
        tenantId: 'firm-a',
        eventType: 'google.workspace.meet.conference.v2.ended',
      },
    );
  });

  it('refuses a wrong token, a malformed one before any lookup, and a right token without a valid bearer', async () => {
    found.length = 0;
    expect(
      await reason(
        receiveMeetPush({ pathToken: 'b'.repeat(40), authorization: bearer(), rawBody: body }, deps),
      ),
    ).toBe('bad_token');
    expect(
      await reason(receiveMeetPush({ pathToken: '../x', authorization: bearer(), rawBody: body }, deps)),
    ).toBe('bad_token');
    expect(found).toEqual([`token:${'b'.repeat(40)}`]);
    for (const authorization of [
      undefined,
      bearer({ aud: 'https://other.example' }),
      bearer({ exp: NOW / 1000 - 600 }),
    ]) {
      expect(await reason(receiveMeetPush({ pathToken: TOKEN, authorization, rawBody: body }, deps))).toBe(
        'bad_token',
      );
    }
  });

  it('checks authentication before it reads the body', async () => {
    expect(
      await reason(
        receiveMeetPush({ pathToken: 'c'.repeat(40), authorization: undefined, rawBody: '{oops' }, deps),
      ),
    ).toBe('bad_token');
    expect(
      await reason(receiveMeetPush({ pathToken: TOKEN, authorization: bearer(), rawBody: '{oops' }, deps)),
    ).toMatch(/MalformedBodyError/);
  });
});
