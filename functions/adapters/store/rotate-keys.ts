import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  addKey,
  createKeyring,
  generateKeyringKey,
  type Keyring,
  nextKeyId,
  parseKeyringDocument,
  stringifyKeyringDocument,
} from '../../platform/crypto/keyring';
import { defaultSecretStore, type SecretSource, type SecretStore } from '../secrets/secret-source';
import { type ReencryptCounts, reencryptTable, tableCheckpoint } from './reencrypt-table';

export interface RotateKeysOptions {
  /** Where the keyring lives (`config().keyring`). */
  source: SecretSource;
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  /** Continue re-encrypting under the current primary key instead of adding a new one. */
  resume: boolean;
  /** Id for the new key; default: the next `k<n>` after the highest in the keyring. */
  newKeyId?: () => string;
  log: (message: string) => void;
  /** Default: the process-wide secret store. */
  secrets?: SecretStore;
  pageSize?: number;
}

export interface RotateKeysResult extends ReencryptCounts {
  /** The key everything is now encrypted under. */
  primaryKeyId: string;
  /** Set when this run added the key. */
  addedKeyId?: string;
}

/**
 * `smartad rotate-keys`: put a new field-encryption key in front of the keyring and re-encrypt the table.
 *
 * Without `resume`:
 * 1. read the keyring afresh from `source` (never a cached copy),
 * 2. generate a key (`newKeyId()` or the next `k<n>`) and put it first, keeping every old key for decryption,
 * 3. write the keyring back (`writeSecret`: an atomic file replace, or a new Secrets Manager version) — from
 *    here on, every process that loads the keyring encrypts under the new key,
 * 4. re-encrypt every field under an older key (`reencryptTable`), saving a checkpoint in the table
 *    (`SYSTEM#maintenance` / `ROTATION#<new key id>`) after each page.
 *
 * With `resume`: skip 1–3 and run step 4 under the keyring's current primary key, from its saved checkpoint
 * if there is one (an interrupted run), otherwise over the whole table. Running `--resume` once more after
 * the functions have picked up the new keyring sweeps fields that warm instances still wrote under the old key.
 *
 * Old keys are never removed here: once a full pass reports nothing re-encrypted, an operator may drop them.
 */
export async function rotateKeys(options: RotateKeysOptions): Promise<RotateKeysResult> {
  const { source, client, tableName, log } = options;
  const secrets = options.secrets ?? defaultSecretStore();
  secrets.invalidate(source);

  let keyring: Keyring;
  let addedKeyId: string | undefined;
  if (options.resume) {
    keyring = await secrets.loadKeyring(source);
    log(`Resuming re-encryption under key ${keyring.primaryKeyId} (keyring: ${keyring.keyIds.join(', ')}).`);
  } else {
    const current = parseKeyringDocument(await secrets.read(source));
    const key = generateKeyringKey(options.newKeyId?.() ?? nextKeyId(current));
    const rotated = addKey(current, key);
    await secrets.write(source, stringifyKeyringDocument(rotated));
    keyring = createKeyring(rotated);
    addedKeyId = key.id;
    log(`Added key ${key.id}; it now encrypts (keyring: ${keyring.keyIds.join(', ')}).`);
  }

  const checkpoint = tableCheckpoint(client, tableName, keyring.primaryKeyId);
  if (options.resume) {
    const saved = await checkpoint.load();
    log(saved ? 'Continuing from the saved checkpoint.' : 'No saved checkpoint: scanning the whole table.');
  }
  const counts = await reencryptTable({
    client,
    tableName,
    keyring,
    checkpoint,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    onProgress: (p) =>
      log(
        `Page ${p.pages}: ${p.scanned} scanned, ${p.reencrypted} re-encrypted, ` +
          `${p.alreadyCurrent} already current, ${p.conflicts} conflicts${p.done ? ' — done.' : ''}`,
      ),
  });
  return { ...counts, primaryKeyId: keyring.primaryKeyId, ...(addedKeyId ? { addedKeyId } : {}) };
}
