import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  PutSecretValueCommand,
  type PutSecretValueCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSecretStore,
  type SecretSource,
  SecretSourceError,
  type SecretsManagerLike,
} from '../../../functions/adapters/secrets/secret-source';
import {
  addKey,
  generateKeyringKey,
  stringifyKeyringDocument,
} from '../../../functions/platform/crypto/keyring';

const KEYRING_JSON = stringifyKeyringDocument({ keys: [{ id: 'k1', material: 'x'.repeat(40) }] });

/** Speaks GetSecretValue/PutSecretValue against an in-memory map, and can be told to fail or to hold. */
class FakeSecretsManager implements SecretsManagerLike {
  readonly values = new Map<string, string>();
  readonly calls: string[] = [];
  failNext: Error | undefined;
  gate: Promise<void> | undefined;

  send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput>;
  send(command: PutSecretValueCommand): Promise<PutSecretValueCommandOutput>;
  async send(
    command: GetSecretValueCommand | PutSecretValueCommand,
  ): Promise<GetSecretValueCommandOutput | PutSecretValueCommandOutput> {
    const id = command.input.SecretId as string;
    this.calls.push(`${command.constructor.name}:${id}`);
    await this.gate;
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    if (command instanceof PutSecretValueCommand) {
      this.values.set(id, command.input.SecretString as string);
      return { $metadata: {}, Name: id };
    }
    const value = this.values.get(id);
    if (value === undefined)
      throw Object.assign(new Error('Secrets Manager can’t find the specified secret.'), {
        name: 'ResourceNotFoundException',
      });
    return { $metadata: {}, Name: id, SecretString: value };
  }
}

let dir: string;
let fake: FakeSecretsManager;
let clientsMade: number;
const sm: SecretSource = { kind: 'secrets-manager', secretId: 'smart-advisor/keyring' };

function store() {
  return createSecretStore({
    secretsManager: () => {
      clientsMade++;
      return fake;
    },
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'secret-source-'));
  fake = new FakeSecretsManager();
  clientsMade = 0;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('secret store: Secrets Manager', () => {
  it('reads SecretString once and serves later reads from memory', async () => {
    fake.values.set(sm.secretId, 'the-secret');
    const secrets = store();
    expect(await secrets.read(sm)).toBe('the-secret');
    fake.values.set(sm.secretId, 'changed');
    expect(await secrets.read(sm)).toBe('the-secret');
    expect(fake.calls).toEqual(['GetSecretValueCommand:smart-advisor/keyring']);
  });

  it('shares one in-flight load between concurrent callers', async () => {
    fake.values.set(sm.secretId, 'the-secret');
    let open = () => {};
    fake.gate = new Promise((resolve) => {
      open = resolve;
    });
    const secrets = store();
    const reads = Promise.all([secrets.read(sm), secrets.read(sm), secrets.read(sm)]);
    open();
    expect(await reads).toEqual(['the-secret', 'the-secret', 'the-secret']);
    expect(fake.calls).toHaveLength(1);
  });

  it('does not cache a failed load', async () => {
    fake.values.set(sm.secretId, 'the-secret');
    fake.failNext = new Error('throttled');
    const secrets = store();
    await expect(secrets.read(sm)).rejects.toThrow(SecretSourceError);
    await expect(secrets.read(sm)).resolves.toBe('the-secret');
    expect(fake.calls).toHaveLength(2);
  });

  it('names the secret id, keeps the cause, and rejects a secret without SecretString', async () => {
    const secrets = store();
    const error = await secrets.read(sm).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretSourceError);
    expect((error as Error).message).toContain('smart-advisor/keyring');
    expect((error as Error).cause).toMatchObject({ name: 'ResourceNotFoundException' });

    const binary: SecretsManagerLike = {
      send: (async () => ({
        $metadata: {},
        SecretBinary: new Uint8Array([1]),
      })) as SecretsManagerLike['send'],
    };
    await expect(createSecretStore({ secretsManager: () => binary }).read(sm)).rejects.toThrow(
      /no SecretString/,
    );
  });

  it('creates the client once, lazily', async () => {
    fake.values.set(sm.secretId, 'a');
    fake.values.set('other', 'b');
    const secrets = store();
    expect(clientsMade).toBe(0);
    await secrets.read(sm);
    await secrets.read({ kind: 'secrets-manager', secretId: 'other' });
    await secrets.write(sm, 'c');
    expect(clientsMade).toBe(1);
  });

  it('writes with PutSecretValue and invalidates the cached value and keyring', async () => {
    fake.values.set(sm.secretId, KEYRING_JSON);
    const secrets = store();
    const before = await secrets.loadKeyring(sm);
    expect(before.primaryKeyId).toBe('k1');

    const rotated = stringifyKeyringDocument(
      addKey({ keys: [{ id: 'k1', material: 'x'.repeat(40) }] }, generateKeyringKey('k2')),
    );
    await secrets.write(sm, rotated);
    expect(fake.calls).toContain('PutSecretValueCommand:smart-advisor/keyring');
    expect(await secrets.read(sm)).toBe(rotated);
    const after = await secrets.loadKeyring(sm);
    expect(after.primaryKeyId).toBe('k2');
    expect(after.decryptString(before.encrypt('old', 'aad'), 'aad')).toBe('old');
  });

  it('reports a failed write without the value', async () => {
    fake.failNext = new Error('AccessDenied');
    const error = await store()
      .write(sm, 'super-secret-value')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretSourceError);
    expect((error as Error).message).not.toContain('super-secret-value');
  });
});

describe('secret store: file', () => {
  it('reads a file once per process until invalidated', async () => {
    const path = join(dir, 'signing-key.json');
    await writeFile(path, 'v1');
    const secrets = store();
    const source: SecretSource = { kind: 'file', path };
    expect(await secrets.read(source)).toBe('v1');
    await writeFile(path, 'v2');
    expect(await secrets.read(source)).toBe('v1');
    secrets.invalidate(source);
    expect(await secrets.read(source)).toBe('v2');
    expect(clientsMade).toBe(0);
  });

  it('reports a missing file by path and does not cache the failure', async () => {
    const path = join(dir, 'missing.json');
    const secrets = store();
    await expect(secrets.read({ kind: 'file', path })).rejects.toThrow(`Cannot read secret file ${path}`);
    await writeFile(path, 'now here');
    expect(await secrets.read({ kind: 'file', path })).toBe('now here');
  });

  it('writes atomically with mode 0600, leaves no temp file, and invalidates the cache', async () => {
    const path = join(dir, 'keyring.json');
    await writeFile(path, KEYRING_JSON, { mode: 0o644 });
    const source: SecretSource = { kind: 'file', path };
    const secrets = store();
    expect((await secrets.loadKeyring(source)).primaryKeyId).toBe('k1');

    const rotated = stringifyKeyringDocument(
      addKey({ keys: [{ id: 'k1', material: 'x'.repeat(40) }] }, generateKeyringKey('k2')),
    );
    await secrets.write(source, rotated);
    expect(await readFile(path, 'utf8')).toBe(rotated);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['keyring.json']);
    expect((await secrets.loadKeyring(source)).primaryKeyId).toBe('k2');
  });

  it('caches the keyring object and rejects a malformed keyring without caching it', async () => {
    const path = join(dir, 'keyring.json');
    await writeFile(path, '{"keys": []}');
    const source: SecretSource = { kind: 'file', path };
    const secrets = store();
    await expect(secrets.loadKeyring(source)).rejects.toThrow(/at least one key/);
    await writeFile(path, KEYRING_JSON);
    secrets.invalidate(source);
    const keyring = await secrets.loadKeyring(source);
    expect(await secrets.loadKeyring(source)).toBe(keyring);
  });

  it('fails a write into a missing directory with the path and leaves nothing behind', async () => {
    const path = join(dir, 'nope', 'keyring.json');
    await expect(store().write({ kind: 'file', path }, 'value')).rejects.toThrow(`file ${path}`);
    expect(await readdir(dir)).toEqual([]);
  });
});
