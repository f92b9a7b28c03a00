import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  GetSecretValueCommand,
  GetSecretValueCommandOutput,
  PutSecretValueCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSecretStore,
  type SecretSource,
  type SecretStore,
  setDefaultSecretStoreForTests,
} from '../../../functions/adapters/secrets/secret-source';
import { vendorKeyProvider } from '../../../functions/adapters/secrets/vendor-keys';
import { providerChoice } from '../../../functions/composition/transcription-runtime';
import { anthropicMessages } from '../../../functions/integrations/anthropic/anthropic-messages';
import { configuredExtractor } from '../../../functions/integrations/configured-extractor';
import { parseConfig } from '../../../functions/platform/config/config';
import { ConfigError } from '../../../functions/platform/errors';
import { TEST_ENV } from '../../support/test-env';

const SECRET_ID = 'smartad/vendor-keys';
const source: SecretSource = { kind: 'secrets-manager', secretId: SECRET_ID };
const ANTHROPIC = 'sk-ant-from-the-secret-0123456789';
const ASSEMBLYAI = 'assemblyai-from-the-secret-abcdef';
const WEBHOOK = 'w'.repeat(64);

/** GetSecretValue against one stored string; counts the calls. */
function fakeSecretsManager(value: string | undefined) {
  const fake = {
    value,
    calls: 0,
    async send(
      command: GetSecretValueCommand,
    ): Promise<GetSecretValueCommandOutput & PutSecretValueCommandOutput> {
      fake.calls++;
      if (command.input.SecretId !== SECRET_ID || fake.value === undefined) {
        throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
      }
      return { $metadata: {}, SecretString: fake.value };
    },
  };
  return fake;
}

function storeOver(fake: ReturnType<typeof fakeSecretsManager>): () => SecretStore {
  const store = createSecretStore({ secretsManager: () => fake });
  return () => store;
}

const document = (fields: Record<string, unknown>) => JSON.stringify(fields);

describe('vendorKeyProvider', () => {
  it('serves the plain variable when it is set and never reads the document', async () => {
    const fake = fakeSecretsManager(document({ anthropic_api_key: ANTHROPIC }));
    const key = vendorKeyProvider(
      'anthropic_api_key',
      { env: 'sk-ant-from-the-env', document: source },
      storeOver(fake),
    );
    await expect(key?.()).resolves.toBe('sk-ant-from-the-env');
    expect(fake.calls).toBe(0);
  });

  it('is undefined with neither the variable nor a document: the caller stays offline', () => {
    expect(vendorKeyProvider('anthropic_api_key', { env: undefined, document: undefined })).toBeUndefined();
    expect(vendorKeyProvider('deepgram_api_key', { env: '', document: undefined })).toBeUndefined();
  });

  it('reads nothing until asked, then reads the secret once for every key and caller', async () => {
    const fake = fakeSecretsManager(
      document({
        anthropic_api_key: ANTHROPIC,
        assemblyai_api_key: ASSEMBLYAI,
        transcription_webhook_secret: WEBHOOK,
      }),
    );
    const store = storeOver(fake);
    const anthropic = vendorKeyProvider('anthropic_api_key', { env: undefined, document: source }, store);
    const assemblyai = vendorKeyProvider('assemblyai_api_key', { env: undefined, document: source }, store);
    expect(fake.calls).toBe(0);
    const first = await Promise.all([anthropic?.(), anthropic?.(), assemblyai?.()]);
    expect(first).toEqual([ANTHROPIC, ANTHROPIC, ASSEMBLYAI]);
    await expect(anthropic?.()).resolves.toBe(ANTHROPIC);
    expect(fake.calls).toBe(1);
  });

  it('reads a file source (VENDOR_KEYS_FILE) the same way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vendor-keys-'));
    try {
      const path = join(dir, 'vendor-keys.json');
      await writeFile(path, document({ deepgram_api_key: 'dg-key' }));
      const key = vendorKeyProvider(
        'deepgram_api_key',
        { env: undefined, document: { kind: 'file', path } },
        () => createSecretStore(),
      );
      await expect(key?.()).resolves.toBe('dg-key');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the missing key and the secret, never the values that are there', async () => {
    const fake = fakeSecretsManager(
      document({ anthropic_api_key: ANTHROPIC, transcription_webhook_secret: WEBHOOK }),
    );
    const key = vendorKeyProvider('deepgram_api_key', { env: undefined, document: source }, storeOver(fake));
    const error = await key?.().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('deepgram_api_key');
    expect(message).toContain(SECRET_ID);
    expect(message).toContain('DEEPGRAM_API_KEY');
    expect(JSON.stringify(error)).not.toContain(ANTHROPIC);
    expect(message).not.toContain(ANTHROPIC);
    expect(message).not.toContain(WEBHOOK);
  });

  it('refuses a document that is not JSON without quoting it', async () => {
    const fake = fakeSecretsManager(`anthropic_api_key=${ANTHROPIC}`);
    const key = vendorKeyProvider('anthropic_api_key', { env: undefined, document: source }, storeOver(fake));
    const error = (await key?.().catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/not a JSON document/);
    expect(error.message).toContain(SECRET_ID);
    expect(error.message).not.toContain(ANTHROPIC);
  });

  it.each([
    ['a JSON array', '[]'],
    ['a key of the wrong type', document({ assemblyai_api_key: 12345 })],
    [
      'a webhook secret too short to sign with',
      document({ transcription_webhook_secret: 'short-secret-value' }),
    ],
  ])('refuses %s, naming the field and not the value', async (_name, text) => {
    const fake = fakeSecretsManager(text);
    const key = vendorKeyProvider(
      'transcription_webhook_secret',
      { env: undefined, document: source },
      storeOver(fake),
    );
    const error = (await key?.().catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/vendor keys in Secrets Manager secret smartad\/vendor-keys are invalid/);
    expect(error.message).not.toContain('short-secret-value');
    expect(error.message).not.toContain('12345');
  });

  it('does not cache a failed read: the next call tries again', async () => {
    const fake = fakeSecretsManager(undefined);
    const key = vendorKeyProvider(
      'assemblyai_api_key',
      { env: undefined, document: source },
      storeOver(fake),
    );
    await expect(key?.()).rejects.toThrow(/Cannot read Secrets Manager secret smartad\/vendor-keys/);
    fake.value = document({ assemblyai_api_key: ASSEMBLYAI });
    await expect(key?.()).resolves.toBe(ASSEMBLYAI);
    expect(fake.calls).toBe(2);
  });
});

describe('vendorKeyProvider cache lifetime', () => {
  const clock = { ms: 1_780_000_000_000 };
  const sources = (maxAgeSeconds?: number) => ({
    env: undefined,
    document: source,
    now: () => clock.ms,
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
  });

  it('picks up a replaced key once the cache is 5 minutes old, without a deploy', async () => {
    const fake = fakeSecretsManager(document({ anthropic_api_key: ANTHROPIC }));
    const key = vendorKeyProvider('anthropic_api_key', sources(), storeOver(fake));
    await expect(key?.()).resolves.toBe(ANTHROPIC);
    const replaced = 'sk-ant-replaced-after-a-leak-0123456789';
    fake.value = document({ anthropic_api_key: replaced });
    clock.ms += 299_000;
    await expect(key?.()).resolves.toBe(ANTHROPIC);
    expect(fake.calls).toBe(1);
    clock.ms += 1_000;
    await expect(key?.()).resolves.toBe(replaced);
    expect(fake.calls).toBe(2);
    await expect(key?.()).resolves.toBe(replaced);
    expect(fake.calls).toBe(2);
  });

  it('takes the lifetime from VENDOR_KEYS_CACHE_SECONDS', async () => {
    expect(parseConfig({ ...TEST_ENV, VENDOR_KEYS_SECRET_ID: SECRET_ID }).vendorKeysCacheSeconds).toBe(300);
    expect(
      parseConfig({ ...TEST_ENV, VENDOR_KEYS_SECRET_ID: SECRET_ID, VENDOR_KEYS_CACHE_SECONDS: '30' })
        .vendorKeysCacheSeconds,
    ).toBe(30);
    const fake = fakeSecretsManager(document({ anthropic_api_key: ANTHROPIC }));
    const key = vendorKeyProvider('anthropic_api_key', sources(30), storeOver(fake));
    await key?.();
    clock.ms += 30_000;
    await key?.();
    expect(fake.calls).toBe(2);
  });

  it.each(['0', '3601', 'soon'])('refuses VENDOR_KEYS_CACHE_SECONDS=%s, naming it', (value) => {
    try {
      parseConfig({ ...TEST_ENV, VENDOR_KEYS_SECRET_ID: SECRET_ID, VENDOR_KEYS_CACHE_SECONDS: value });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['VENDOR_KEYS_CACHE_SECONDS']);
    }
  });

  it('keeps the keys it has when the source cannot be read again, and tries again at the next call', async () => {
    const fake = fakeSecretsManager(document({ anthropic_api_key: ANTHROPIC }));
    const key = vendorKeyProvider('anthropic_api_key', sources(), storeOver(fake));
    await key?.();
    fake.value = undefined;
    clock.ms += 301_000;
    await expect(key?.()).resolves.toBe(ANTHROPIC);
    fake.value = document({ anthropic_api_key: `${ANTHROPIC}-new` });
    await expect(key?.()).resolves.toBe(`${ANTHROPIC}-new`);
    expect(fake.calls).toBe(3);
  });

  it('fails when the replaced document is invalid, rather than serving the old key unnoticed', async () => {
    const fake = fakeSecretsManager(document({ anthropic_api_key: ANTHROPIC }));
    const key = vendorKeyProvider('anthropic_api_key', sources(), storeOver(fake));
    await key?.();
    fake.value = '{not json';
    clock.ms += 301_000;
    await expect(key?.()).rejects.toThrow(ConfigError);
  });
});

describe('config', () => {
  it('reads VENDOR_KEYS_SECRET_ID or VENDOR_KEYS_FILE, and neither is required', () => {
    expect(parseConfig(TEST_ENV).vendorKeys).toBeUndefined();
    expect(parseConfig({ ...TEST_ENV, VENDOR_KEYS_SECRET_ID: SECRET_ID }).vendorKeys).toEqual(source);
    expect(parseConfig({ ...TEST_ENV, VENDOR_KEYS_FILE: '/h/vendor-keys.json' }).vendorKeys).toEqual({
      kind: 'file',
      path: '/h/vendor-keys.json',
    });
  });

  it('refuses both sources at once', () => {
    expect(() =>
      parseConfig({ ...TEST_ENV, VENDOR_KEYS_SECRET_ID: SECRET_ID, VENDOR_KEYS_FILE: '/h/vendor-keys.json' }),
    ).toThrow(/VENDOR_KEYS_SECRET_ID.*at most one/);
  });

  it('lets the document hold the webhook secret when a transcription key is a plain variable', () => {
    expect(() => parseConfig({ ...TEST_ENV, ASSEMBLYAI_API_KEY: 'k' })).toThrow(
      /TRANSCRIPTION_WEBHOOK_SECRET/,
    );
    expect(() =>
      parseConfig({ ...TEST_ENV, ASSEMBLYAI_API_KEY: 'k', VENDOR_KEYS_SECRET_ID: SECRET_ID }),
    ).not.toThrow();
  });

  it('checks the Deepgram callback port when the key may come from the document', () => {
    expect(() =>
      parseConfig({
        ...TEST_ENV,
        TRANSCRIPTION_PROVIDER: 'deepgram',
        WEBHOOK_BASE_URL: 'https://api.example.com:9443',
        VENDOR_KEYS_SECRET_ID: SECRET_ID,
      }),
    ).toThrow(/WEBHOOK_BASE_URL/);
  });
});

describe('consumers choose without reading the secret', () => {
  let fake: ReturnType<typeof fakeSecretsManager>;

  beforeEach(() => {
    fake = fakeSecretsManager(document({ transcription_webhook_secret: WEBHOOK }));
    setDefaultSecretStoreForTests(createSecretStore({ secretsManager: () => fake }));
  });

  afterEach(() => {
    setDefaultSecretStoreForTests(undefined);
  });

  it('picks Claude for extraction with a document, offline without one, reading nothing either way', () => {
    const anthropic = {
      apiKey: undefined,
      model: 'claude-sonnet-4-6',
      baseUrl: undefined,
      tokenBudget: 400_000,
    };
    expect(configuredExtractor({ anthropic, vendorKeys: source }).kind).toBe('claude');
    expect(configuredExtractor({ anthropic, vendorKeys: undefined }).kind).toBe('offline');
    expect(fake.calls).toBe(0);
  });

  it('fails the first Claude call with a ConfigError naming the key, before any request is sent', async () => {
    const client = anthropicMessages(
      {
        anthropic: { apiKey: undefined, model: 'm', baseUrl: 'http://127.0.0.1:9', tokenBudget: 400_000 },
        vendorKeys: source,
      },
      { timeoutMs: 1000, maxRetries: 0 },
    );
    expect(fake.calls).toBe(0);
    const error = await client?.messages
      .create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('anthropic_api_key');
    expect((error as Error).message).not.toContain(WEBHOOK);
  });

  it('chooses the transcription provider from TRANSCRIPTION_PROVIDER and fetches its key at the first call', async () => {
    const cfg = parseConfig({ ...TEST_ENV, VENDOR_KEYS_SECRET_ID: SECRET_ID });
    const choice = providerChoice(cfg);
    expect(choice).toMatchObject({ provider: { name: 'assemblyai' } });
    expect(fake.calls).toBe(0);
    if (!('provider' in choice)) throw new Error('no provider');
    const error = await choice.provider.job('job-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('assemblyai_api_key');
    expect(fake.calls).toBe(1);
  });

  it('still names the missing variable when there is neither a key nor a document', () => {
    expect(providerChoice(parseConfig(TEST_ENV))).toMatchObject({
      unavailable: expect.objectContaining({ message: expect.stringContaining('ASSEMBLYAI_API_KEY') }),
    });
  });
});
