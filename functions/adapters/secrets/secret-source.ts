import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  PutSecretValueCommand,
  type PutSecretValueCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import type { SecretSourceConfig } from '../../platform/config/config';
import { createKeyring, type Keyring, parseKeyringDocument } from '../../platform/crypto/keyring';
import { AppError } from '../../platform/errors';
import { secretsManagerClient } from '../aws-clients';
import type { KeyUnavailableSignal } from '../keyring/key-unavailable-signal';

/** Where a secret lives: `Config['keyring']` or `Config['signingKey']`. */
export type SecretSource = SecretSourceConfig;

/** The two Secrets Manager calls this adapter makes; `SecretsManagerClient` satisfies it, tests pass a fake. */
export interface SecretsManagerLike {
  send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput>;
  send(command: PutSecretValueCommand): Promise<PutSecretValueCommandOutput>;
}

/** A secret could not be read or written. The message names the source, never the value. */
export class SecretSourceError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('secret_unavailable', message, { cause });
  }
}

/** Reads, caches and writes secrets; one per process in production (`defaultSecretStore`). */
export interface SecretStore {
  /** The secret string, loaded once per source and then served from memory. */
  read(source: SecretSource): Promise<string>;
  /** Replaces the secret (atomically for files) and forgets the cached value and keyring for `source`. */
  write(source: SecretSource, value: string): Promise<void>;
  /** The keyring held by `source`, parsed and key-derived once. */
  loadKeyring(source: SecretSource): Promise<Keyring>;
  /** Forgets `source` (or everything): the next read goes to the source again. */
  invalidate(source?: SecretSource): void;
}

export interface SecretStoreOptions {
  /** Called at most once, on the first Secrets Manager access; the default builds a client from config. */
  secretsManager?: () => SecretsManagerLike;
}

/**
 * A secret store with its own cache. Concurrent callers share one in-flight load; a failed load is not
 * cached, so the next caller retries.
 */
export function createSecretStore(options: SecretStoreOptions = {}): SecretStore {
  const makeClient = options.secretsManager ?? defaultSecretsManagerClient;
  let client: SecretsManagerLike | undefined;
  const secrets = new Map<string, Promise<string>>();
  const keyrings = new Map<string, Promise<Keyring>>();
  const secretsManager = () => {
    client ??= makeClient();
    return client;
  };

  const read = (source: SecretSource): Promise<string> =>
    memoize(secrets, cacheKey(source), () =>
      source.kind === 'file' ? readSecretFile(source.path) : getSecret(secretsManager(), source.secretId),
    );

  return {
    read,
    async write(source, value) {
      try {
        if (source.kind === 'file') await writeFileAtomically(source.path, value);
        else
          await secretsManager().send(
            new PutSecretValueCommand({ SecretId: source.secretId, SecretString: value }),
          );
      } catch (error) {
        throw new SecretSourceError(`Cannot write secret to ${describeSecretSource(source)}.`, error);
      } finally {
        // Even a failed write may have landed (e.g. a timeout after PutSecretValue succeeded).
        secrets.delete(cacheKey(source));
        keyrings.delete(cacheKey(source));
      }
    },
    loadKeyring: (source) =>
      memoize(keyrings, cacheKey(source), async () =>
        createKeyring(parseKeyringDocument(await read(source))),
      ),
    invalidate(source) {
      if (source === undefined) {
        secrets.clear();
        keyrings.clear();
        return;
      }
      secrets.delete(cacheKey(source));
      keyrings.delete(cacheKey(source));
    },
  };
}

let defaultStore: SecretStore | undefined;

/** The process-wide store (one Secrets Manager client and one cache per cold start). */
export function defaultSecretStore(): SecretStore {
  defaultStore ??= createSecretStore();
  return defaultStore;
}

/** For tests and the local host: replace the process-wide store (`undefined` restores the default). */
export function setDefaultSecretStoreForTests(store: SecretStore | undefined): void {
  defaultStore = store;
}

/** Reads a secret string through the process-wide store. */
export function readSecret(source: SecretSource): Promise<string> {
  return defaultSecretStore().read(source);
}

/** Writes a secret through the process-wide store and invalidates its cache entry. */
export function writeSecret(source: SecretSource, value: string): Promise<void> {
  return defaultSecretStore().write(source, value);
}

/** The keyring held by `source`, cached per cold start. */
export function loadKeyring(source: SecretSource): Promise<Keyring> {
  return defaultSecretStore().loadKeyring(source);
}

function defaultSecretsManagerClient(): SecretsManagerLike {
  return secretsManagerClient();
}

/** Loads a keyring and, after a rotation made elsewhere, reloads it (the store retries once on an unknown key). */
export interface KeyringProvider {
  load(): Promise<Keyring>;
  reload(): Promise<Keyring>;
  /** Where a read of a ciphertext whose key is gone is reported; default: log line and metric on stdout. */
  keyUnavailable?: KeyUnavailableSignal;
}

/** How long a process encrypts with a keyring it loaded before reading it again, unless configured. */
export const DEFAULT_KEYRING_CACHE_SECONDS = 300;

/**
 * The process-wide keyring of `source`, reloadable. It is read again once it is `maxAgeSeconds` old, so a warm
 * function stops encrypting under a key within that long after a rotation put another key first; `rotate-keys`
 * and `retire-key` wait that long (`KEYRING_CACHE_SECONDS`) before they trust a scan. A re-read that fails
 * (Secrets Manager briefly unavailable) keeps the keyring already loaded for `load`; `reload`, asked for because
 * a ciphertext names a key this keyring lacks, fails instead, so the miss is not taken for a retired key.
 */
export function keyringProvider(
  source: SecretSource,
  maxAgeSeconds: number = DEFAULT_KEYRING_CACHE_SECONDS,
): KeyringProvider {
  let current: Keyring | undefined;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<Keyring> | undefined;
  const read = (): Promise<Keyring> => {
    reading ??= (async () => {
      try {
        defaultSecretStore().invalidate(source);
        current = await loadKeyring(source);
        loadedAt = Date.now();
        return current;
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  };
  return {
    load: async () => {
      if (current !== undefined && Date.now() - loadedAt < maxAgeSeconds * 1000) return current;
      const previous = current;
      try {
        return await read();
      } catch (error) {
        if (previous === undefined) throw error;
        return previous;
      }
    },
    reload: read,
  };
}

function memoize<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const pending = load();
  cache.set(key, pending);
  pending.catch(() => {
    // Only evict our own entry: a write may already have replaced it.
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}

function cacheKey(source: SecretSource): string {
  return source.kind === 'file' ? `file:${resolve(source.path)}` : `secrets-manager:${source.secretId}`;
}

/** `file <path>` or `Secrets Manager secret <id>`: how errors name a source (never its value). */
export function describeSecretSource(source: SecretSource): string {
  return source.kind === 'file' ? `file ${source.path}` : `Secrets Manager secret ${source.secretId}`;
}

async function readSecretFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new SecretSourceError(`Cannot read secret file ${path}.`, error);
  }
}

async function getSecret(client: SecretsManagerLike, secretId: string): Promise<string> {
  let output: GetSecretValueCommandOutput;
  try {
    output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  } catch (error) {
    throw new SecretSourceError(`Cannot read Secrets Manager secret ${secretId}.`, error);
  }
  if (typeof output.SecretString !== 'string') {
    throw new SecretSourceError(
      `Secrets Manager secret ${secretId} has no SecretString (binary secrets are not used).`,
    );
  }
  return output.SecretString;
}

/** Temp file in the same directory (same filesystem), fsync, then rename: readers see old or new, never half. */
async function writeFileAtomically(path: string, value: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(value, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // open's mode is filtered by the umask; be explicit.
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
