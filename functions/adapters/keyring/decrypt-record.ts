import { EncryptionKeyUnavailableError, UnknownKeyError } from '../../platform/crypto/keyring';
import type { KeyringProvider } from '../secrets/secret-source';
import { createKeyUnavailableSignal, type KeyUnavailableSignal } from './key-unavailable-signal';

let defaultSignal: KeyUnavailableSignal | undefined;
const processSignal = (): KeyUnavailableSignal => {
  defaultSignal ??= createKeyUnavailableSignal();
  return defaultSignal;
};

/**
 * Decrypts one stored ciphertext. A key id this process has not seen is first taken for a rotation since the
 * keyring was loaded: the keyring is reloaded once. A key still unknown after that is gone (retired): the read
 * is reported (`encryption_key_unavailable` with the key id and `record`, plus the metric) and fails with
 * `EncryptionKeyUnavailableError`, which answers 500 "cannot be decrypted right now". Any other failure
 * (tampering, wrong place) throws as the keyring threw it.
 */
export async function decryptRecord(
  keyring: KeyringProvider,
  ciphertext: Uint8Array,
  aad: string,
  record: string,
): Promise<Buffer> {
  try {
    return (await keyring.load()).decrypt(ciphertext, aad);
  } catch (error) {
    if (!(error instanceof UnknownKeyError)) throw error;
  }
  try {
    return (await keyring.reload()).decrypt(ciphertext, aad);
  } catch (error) {
    if (!(error instanceof UnknownKeyError)) throw error;
    (keyring.keyUnavailable ?? processSignal())(error.keyId, record);
    throw new EncryptionKeyUnavailableError(error.keyId, record, error);
  }
}
