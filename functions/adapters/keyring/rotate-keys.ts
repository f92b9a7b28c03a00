import {
  addKey,
  createKeyring,
  generateKeyringKey,
  type Keyring,
  nextKeyId,
  parseKeyringDocument,
  stringifyKeyringDocument,
} from '../../platform/crypto/keyring';
import { defaultSecretStore } from '../secrets/secret-source';
import { hasCheckpoint, type KeyMaintenanceTargets, passOverStores, storeLines } from './key-store-pass';
import { type PassFindings, totalCounts } from './rotation-counts';

export interface RotateKeysOptions extends KeyMaintenanceTargets {
  /** Continue re-encrypting under the current primary key instead of adding a new one. */
  resume: boolean;
  /** Id for the new key; default: the next `k<n>` after the highest in the keyring. */
  newKeyId?: () => string;
}

export interface RotateKeysResult {
  /** The key new ciphertext is made with. */
  primaryKeyId: string;
  /** Set when this run added the key. */
  addedKeyId?: string;
  /** Each pass's findings, in order; the last one decides `everythingCurrent`. */
  passes: PassFindings[];
  /** True only when a full pass that began after every function had the new keyring left nothing behind. */
  everythingCurrent: boolean;
}

/**
 * `smartad rotate-keys`: put a new key in front of the keyring and re-encrypt every ciphertext the inventory
 * lists — table fields and S3 objects — under it.
 *
 * Without `resume`:
 * 1. read the keyring afresh from `source` (never a cached copy),
 * 2. generate a key (`newKeyId()` or the next `k<n>`), stamped with `addedAt`, and put it first, keeping every
 *    old key for decryption,
 * 3. write the keyring back (an atomic file replace, or a new Secrets Manager version) — functions encrypt
 *    under the new key once their cached keyring is older than `keyringCacheSeconds`,
 * 4. re-encrypt every store (`passOverStores`), saving a checkpoint per store after each page.
 *
 * With `resume`: skip 1–3 and run step 4 under the keyring's current primary key, from the saved checkpoints.
 *
 * A pass only proves "everything is under key X" if it read every store from the start after the functions'
 * cache window had closed (until then a warm function may write under the old key behind the scan). So when
 * the pass resumed or began early, the run waits for the window to close and sweeps once more from the start.
 * Old keys are never removed here: `smartad retire-key` does that, after checking.
 */
export async function rotateKeys(options: RotateKeysOptions): Promise<RotateKeysResult> {
  const { source, log } = options;
  const secrets = options.secrets ?? defaultSecretStore();
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  secrets.invalidate(source);

  let keyring: Keyring;
  let addedKeyId: string | undefined;
  if (options.resume) {
    keyring = await secrets.loadKeyring(source);
    log(`Resuming re-encryption under key ${keyring.primaryKeyId} (keyring: ${keyring.keyIds.join(', ')}).`);
  } else {
    const current = parseKeyringDocument(await secrets.read(source));
    const key = {
      ...generateKeyringKey(options.newKeyId?.() ?? nextKeyId(current)),
      addedAt: new Date(now()).toISOString(),
    };
    const rotated = addKey(current, key);
    await secrets.write(source, stringifyKeyringDocument(rotated));
    keyring = createKeyring(rotated);
    addedKeyId = key.id;
    log(`Added key ${key.id}; it now encrypts (keyring: ${keyring.keyIds.join(', ')}).`);
  }

  const windowEnd = (keyring.primaryAddedAt ?? Number.NEGATIVE_INFINITY) + options.keyringCacheSeconds * 1000;
  const resumed = options.resume && (await hasCheckpoint(options, keyring.primaryKeyId));
  if (options.resume) log(resumed ? 'Continuing from the saved checkpoints.' : 'No saved checkpoint.');

  const passes: PassFindings[] = [];
  const pass = async (label: string) => {
    log(`${label}:`);
    const findings = await passOverStores(options, keyring, { inspectOnly: false });
    for (const line of storeLines(findings, options)) log(line);
    passes.push(findings);
    return findings;
  };

  const startedAt = now();
  let last = await pass(resumed ? 'Re-encrypting (resumed pass)' : 'Re-encrypting');
  if (resumed || startedAt < windowEnd) {
    const wait = windowEnd - now();
    if (wait > 0) {
      log(
        `Waiting ${Math.ceil(wait / 1000)} s until every function has read the new keyring ` +
          `(KEYRING_CACHE_SECONDS=${options.keyringCacheSeconds}); interrupting now is safe: run --resume later.`,
      );
      await sleep(wait);
    }
    last = await pass('Sweeping from the start for anything written under an old key meanwhile');
  }

  const total = totalCounts(last);
  const everythingCurrent = total.stale === 0 && total.unregistered === 0;
  if (everythingCurrent) {
    log(`Done: everything is under key ${keyring.primaryKeyId}.`);
  } else {
    for (const place of last.places)
      log(`  ${place.unregistered ? 'unregistered' : `under ${place.keyId}`}: ${place.store} ${place.where}`);
    log(
      `Not done: ${total.stale} items or objects are still under older keys and ${total.unregistered} ` +
        `ciphertexts are in places the inventory does not list (above). Run \`smartad rotate-keys --resume\`` +
        `${total.unregistered > 0 ? ' after registering them in ciphertext-inventory.ts' : ''}.`,
    );
  }
  return {
    primaryKeyId: keyring.primaryKeyId,
    ...(addedKeyId ? { addedKeyId } : {}),
    passes,
    everythingCurrent,
  };
}
