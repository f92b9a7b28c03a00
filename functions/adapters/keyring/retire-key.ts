import {
  createKeyring,
  parseKeyringDocument,
  removeKey,
  stringifyKeyringDocument,
} from '../../platform/crypto/keyring';
import { AppError } from '../../platform/errors';
import { defaultSecretStore } from '../secrets/secret-source';
import { type KeyMaintenanceTargets, passOverStores, storeLines } from './key-store-pass';

/** `retire-key` would lose data or cannot run yet; the message says why and what to do. */
export class KeyRetirementRefusedError extends AppError {
  constructor(message: string) {
    super('key_retirement_refused', message);
  }
}

export interface RetireKeyResult {
  retiredKeyId: string;
  /** The keyring's key ids after the removal. */
  keyIds: readonly string[];
}

/**
 * `smartad retire-key KID`: removes a key from the keyring, only once nothing is encrypted with it.
 *
 * Refuses when the key is not in the keyring, when it is the primary (rotate first), when it was the primary
 * less than `keyringCacheSeconds` ago (a warm function may still be encrypting under it), and when a scan of
 * every store of the inventory — the table and the S3 prefixes — finds a ciphertext under it: it then lists
 * where (store, item keys and attribute, or object) and how many. Otherwise it writes the keyring without the
 * key: an atomic 0600 file replace locally, a new version of the Secrets Manager secret on AWS.
 */
export async function retireKey(
  options: KeyMaintenanceTargets & { keyId: string },
): Promise<RetireKeyResult> {
  const { source, keyId, log } = options;
  const secrets = options.secrets ?? defaultSecretStore();
  const now = options.now ?? Date.now;
  secrets.invalidate(source);
  const doc = parseKeyringDocument(await secrets.read(source));
  const ids = doc.keys.map((k) => k.id);
  if (!ids.includes(keyId))
    throw new KeyRetirementRefusedError(`Key ${keyId} is not in the keyring (it holds ${ids.join(', ')}).`);
  if (ids[0] === keyId) {
    throw new KeyRetirementRefusedError(
      `Key ${keyId} is the key that encrypts; run \`smartad rotate-keys\` first, then retire it.`,
    );
  }
  const keyring = createKeyring(doc);
  const windowEnd = (keyring.primaryAddedAt ?? Number.NEGATIVE_INFINITY) + options.keyringCacheSeconds * 1000;
  if (ids[1] === keyId && now() < windowEnd) {
    throw new KeyRetirementRefusedError(
      `Key ${keyring.primaryKeyId} replaced ${keyId} at ${new Date(keyring.primaryAddedAt ?? 0).toISOString()}; ` +
        `functions may encrypt under ${keyId} until ${new Date(windowEnd).toISOString()} ` +
        `(KEYRING_CACHE_SECONDS=${options.keyringCacheSeconds}). Run \`smartad rotate-keys --resume\` after that, then retire.`,
    );
  }

  log(`Checking that nothing is encrypted with ${keyId} (keyring: ${ids.join(', ')}):`);
  const findings = await passOverStores(options, keyring, { inspectOnly: true });
  for (const line of storeLines(findings, options)) log(line);
  const inUse = findings.byKey[keyId] ?? 0;
  if (inUse > 0) {
    const listed = findings.places.filter((p) => p.keyId === keyId);
    for (const place of listed) log(`  under ${keyId}: ${place.store} ${place.where}`);
    throw new KeyRetirementRefusedError(
      `Refusing to retire ${keyId}: ${inUse} ciphertexts are still encrypted with it` +
        `${listed.length < inUse ? ` (the first ${listed.length} are listed above)` : ' (listed above)'}. ` +
        'Run `smartad rotate-keys --resume` to re-encrypt them, then retire the key.',
    );
  }

  const retired = removeKey(doc, keyId);
  await secrets.write(source, stringifyKeyringDocument(retired));
  const keyIds = retired.keys.map((k) => k.id);
  log(`Retired key ${keyId}: nothing was encrypted with it. Keyring: ${keyIds.join(', ')}.`);
  return { retiredKeyId: keyId, keyIds };
}
