import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/platform/config/config';
import { ConfigError } from '../../../functions/platform/errors';
import { TEST_ENV } from '../../support/test-env';

const issuesOf = (env: Record<string, string | undefined>) => {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => i.path);
  }
  throw new Error('expected a ConfigError');
};

describe('meeting platform settings', () => {
  it('default to the vendors’ public endpoints and a renewal well inside Graph’s subscription limit', () => {
    expect(parseConfig(TEST_ENV).meetingPlatforms).toEqual({
      webhookBaseUrl: TEST_ENV.WEBHOOK_BASE_URL,
      graph: {
        loginBaseUrl: 'https://login.microsoftonline.com',
        graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      },
      teamsSubscriptions: { lifetimeMinutes: 4200, renewWithinMinutes: 720 },
      google: {
        tokenUrl: 'https://oauth2.googleapis.com/token',
        meetBaseUrl: 'https://meet.googleapis.com',
        driveBaseUrl: 'https://www.googleapis.com',
      },
      meetPushOidc: undefined,
    });
  });

  it('accept http base URLs on loopback only (local fakes)', () => {
    const local = parseConfig({ ...TEST_ENV, GRAPH_BASE_URL: 'http://127.0.0.1:4555/v1.0/' });
    expect(local.meetingPlatforms.graph.graphBaseUrl).toBe('http://127.0.0.1:4555/v1.0');
    expect(issuesOf({ ...TEST_ENV, GRAPH_BASE_URL: 'http://graph.example.com/v1.0' })).toEqual([
      'GRAPH_BASE_URL',
    ]);
    expect(issuesOf({ ...TEST_ENV, GOOGLE_TOKEN_URL: 'ftp://127.0.0.1/token' })).toEqual([
      'GOOGLE_TOKEN_URL',
    ]);
  });

  it('refuse a Graph subscription lifetime over 4230 minutes and a renewal window longer than it', () => {
    expect(issuesOf({ ...TEST_ENV, TEAMS_SUBSCRIPTION_LIFETIME_MINUTES: '5000' })).toEqual([
      'TEAMS_SUBSCRIPTION_LIFETIME_MINUTES',
    ]);
    expect(
      issuesOf({
        ...TEST_ENV,
        TEAMS_SUBSCRIPTION_LIFETIME_MINUTES: '600',
        TEAMS_RENEW_WITHIN_MINUTES: '600',
      }),
    ).toEqual(['TEAMS_RENEW_WITHIN_MINUTES']);
  });

  it('check Meet push OIDC tokens against Google’s published keys, cached an hour by default', () => {
    const oidc = {
      MEET_PUSH_OIDC_AUDIENCE: 'https://api.example.com/webhooks/meet',
      MEET_PUSH_OIDC_EMAIL: 'push@p.iam.gserviceaccount.com',
    };
    expect(parseConfig({ ...TEST_ENV, ...oidc }).meetingPlatforms.meetPushOidc).toEqual({
      audience: oidc.MEET_PUSH_OIDC_AUDIENCE,
      email: oidc.MEET_PUSH_OIDC_EMAIL,
      keys: { kind: 'remote', url: 'https://www.googleapis.com/oauth2/v3/certs', cacheMaxAgeSeconds: 3600 },
    });
    const local = parseConfig({
      ...TEST_ENV,
      ...oidc,
      MEET_PUSH_OIDC_JWKS_URL: 'http://127.0.0.1:9/certs',
      MEET_PUSH_OIDC_JWKS_MAX_AGE_SECONDS: '300',
    });
    expect(local.meetingPlatforms.meetPushOidc?.keys).toEqual({
      kind: 'remote',
      url: 'http://127.0.0.1:9/certs',
      cacheMaxAgeSeconds: 300,
    });
    expect(issuesOf({ ...TEST_ENV, ...oidc, MEET_PUSH_OIDC_JWKS_URL: 'http://keys.example/certs' })).toEqual([
      'MEET_PUSH_OIDC_JWKS_URL',
    ]);
    expect(issuesOf({ ...TEST_ENV, ...oidc, MEET_PUSH_OIDC_JWKS_MAX_AGE_SECONDS: '5' })).toEqual([
      'MEET_PUSH_OIDC_JWKS_MAX_AGE_SECONDS',
    ]);
    expect(issuesOf({ ...TEST_ENV, MEET_PUSH_OIDC_EMAIL: 'push@p.iam.gserviceaccount.com' })).toEqual([
      'MEET_PUSH_OIDC_AUDIENCE',
    ]);
  });

  it('take fixed Meet push OIDC keys (tests, air-gapped installs) as a parsed JWKS, never with a keys URL', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const jwks = JSON.stringify({ keys: [{ ...jwk, kid: 'k1', alg: 'RS256' }] });
    const oidc = {
      MEET_PUSH_OIDC_AUDIENCE: 'https://api.example.com/webhooks/meet',
      MEET_PUSH_OIDC_EMAIL: 'push@p.iam.gserviceaccount.com',
      MEET_PUSH_OIDC_JWKS: jwks,
    };
    expect(parseConfig({ ...TEST_ENV, ...oidc }).meetingPlatforms.meetPushOidc).toMatchObject({
      audience: oidc.MEET_PUSH_OIDC_AUDIENCE,
      email: oidc.MEET_PUSH_OIDC_EMAIL,
      keys: { kind: 'configured', jwks: { keys: [{ kid: 'k1', kty: 'RSA' }] } },
    });
    expect(issuesOf({ ...TEST_ENV, ...oidc, MEET_PUSH_OIDC_JWKS_URL: 'https://keys.example/certs' })).toEqual(
      ['MEET_PUSH_OIDC_JWKS'],
    );
    expect(issuesOf({ ...TEST_ENV, MEET_PUSH_OIDC_AUDIENCE: 'x' })).toEqual(['MEET_PUSH_OIDC_AUDIENCE']);
    expect(issuesOf({ ...TEST_ENV, ...oidc, MEET_PUSH_OIDC_JWKS: '{not json' })).toEqual([
      'MEET_PUSH_OIDC_JWKS',
    ]);
    expect(issuesOf({ ...TEST_ENV, ...oidc, MEET_PUSH_OIDC_JWKS: '{"keys":[]}' })).toEqual([
      'MEET_PUSH_OIDC_JWKS.keys',
    ]);
  });
});
