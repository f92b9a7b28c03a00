import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/platform/config/config';
import { ConfigError } from '../../../functions/platform/errors';
import { TEST_ENV } from '../../support/test-env';

const failure = (env: Record<string, string | undefined>) => {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('parseConfig', () => {
  it('parses a complete environment into typed settings', () => {
    const cfg = parseConfig(TEST_ENV);
    expect(cfg).toMatchObject({
      region: 'us-east-1',
      tableName: 'smartad-test',
      buckets: { uploads: 'smartad-uploads', archive: 'smartad-archive' },
      keyring: { kind: 'file', path: '/nonexistent/keyring.json' },
      corsAllowedOrigins: ['https://app.example.com'],
      maxBodyBytes: 1024 * 1024,
    });
  });

  it.each(['AWS_REGION', 'TABLE_NAME', 'UPLOADS_BUCKET', 'ARCHIVE_BUCKET'])('names a missing %s', (name) => {
    const error = failure({ ...TEST_ENV, [name]: undefined });
    expect(error.message).toContain(name);
    expect(error.issues.map((i) => i.path)).toContain(name);
  });

  it('reads every CRM_<NAME>_BASE_URL as the API base of the CRM integration <name>, none by default', () => {
    expect(parseConfig(TEST_ENV).crm.baseUrls).toEqual({});
    const cfg = parseConfig({
      ...TEST_ENV,
      CRM_WEALTHBOX_BASE_URL: 'http://127.0.0.1:4010/',
      CRM_ORION2_BASE_URL: 'https://sandbox.example.com/api',
    });
    expect(cfg.crm.baseUrls).toEqual({
      wealthbox: 'http://127.0.0.1:4010',
      orion2: 'https://sandbox.example.com/api',
    });
  });

  it('names a CRM base URL that is not https (or loopback http), with the other bad variables', () => {
    const error = failure({
      ...TEST_ENV,
      CRM_REDTAIL_BASE_URL: 'http://crm.example.com',
      TABLE_NAME: undefined,
    });
    expect(error.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['CRM_REDTAIL_BASE_URL', 'TABLE_NAME']),
    );
    expect(error.message).toContain('must be https');
  });

  it('treats an empty value as missing', () => {
    expect(failure({ ...TEST_ENV, TABLE_NAME: '' }).message).toContain('TABLE_NAME');
  });

  it('has no default for secrets: neither source given fails, naming both options', () => {
    const error = failure({ ...TEST_ENV, KEYRING_FILE: undefined });
    expect(error.message).toMatch(/KEYRING_SECRET_ID.*KEYRING_FILE/);
  });

  it('refuses two sources for one secret', () => {
    expect(failure({ ...TEST_ENV, SIGNING_KEY_SECRET_ID: 'arn:aws:secretsmanager:x' }).message).toContain(
      'SIGNING_KEY_SECRET_ID',
    );
  });

  it.each([
    ['AWS_REGION', 'mars'],
    ['DYNAMODB_ENDPOINT', 'not a url'],
    ['HTTP_MAX_BODY_BYTES', '-5'],
    ['HTTP_MAX_BODY_BYTES', String(11 * 1024 * 1024)],
    ['LOG_LEVEL', 'loud'],
    ['CORS_ALLOWED_ORIGINS', 'https://ok.example.com,https://bad.example.com/path'],
  ])('names a malformed %s (%s)', (name, value) => {
    const error = failure({ ...TEST_ENV, [name]: value });
    expect(error.issues.some((i) => i.path.startsWith(name))).toBe(true);
  });

  it('accepts an empty CORS allow-list', () => {
    expect(parseConfig({ ...TEST_ENV, CORS_ALLOWED_ORIGINS: '' }).corsAllowedOrigins).toEqual([]);
  });
});

describe('standard rate limits', () => {
  it('default far above a busy user (600 a minute each, 6000 a minute per firm)', () => {
    const cfg = parseConfig(TEST_ENV);
    expect(cfg.rateLimits.standard).toEqual({ limit: 600, windowSeconds: 60 });
    expect(cfg.rateLimits.standardFirm).toEqual({ limit: 6000, windowSeconds: 60 });
  });

  it('are configured as count/seconds', () => {
    const cfg = parseConfig({ ...TEST_ENV, RATE_LIMIT_STANDARD: '3/10', RATE_LIMIT_STANDARD_FIRM: '7/20' });
    expect(cfg.rateLimits.standard).toEqual({ limit: 3, windowSeconds: 10 });
    expect(cfg.rateLimits.standardFirm).toEqual({ limit: 7, windowSeconds: 20 });
  });

  it.each([
    ['RATE_LIMIT_STANDARD', 'lots'],
    ['RATE_LIMIT_STANDARD', '0/60'],
    ['RATE_LIMIT_STANDARD_FIRM', '100/0'],
    ['RATE_LIMIT_STANDARD_FIRM', '100/a'],
  ])('refuse %s=%s, naming the variable', (name, value) => {
    const error = failure({ ...TEST_ENV, [name]: value });
    expect(error.issues.map((i) => i.path)).toEqual([name]);
    expect(error.message).toContain(name);
  });
});
