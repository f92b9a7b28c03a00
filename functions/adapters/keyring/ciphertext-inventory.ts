import type { BucketName } from '../../contracts/bucket-definitions';
import type { Keyring } from '../../platform/crypto/keyring';
import { AppError } from '../../platform/errors';
import { blobAad } from '../blobs/blob-aad';
import { fieldAad } from '../store/field-aad';

/**
 * Every place the system writes keyring ciphertext, in one list. `rotate-keys` re-encrypts exactly what is here
 * and `retire-key` checks it; encryption goes through the `seal…` functions below, which refuse a place that is
 * not registered, and a test fails when any other code calls the keyring's `encrypt` or declares an entity with
 * encrypted fields that are not listed. A new store of client content (documents, chat, search index, exports)
 * is added here first.
 */

/** Table items: entity name (the item's `entity` attribute) → its top-level attributes held as ciphertext. */
export const TABLE_CIPHERTEXTS = {
  meeting: ['title', 'clientNames', 'source', 'failureReason'],
  action_item_state: ['assignee'],
  flag_review: ['note'],
  follow_up_draft: ['subject', 'body', 'instructions', 'flags'],
  user: ['email', 'name'],
  crm_connection: ['credentials'],
  crm_sync_status: ['contact'],
  platform_intake: ['descriptor'],
  platform_integration: ['credentials'],
  teams_subscription: ['graphUserId', 'resource'],
} as const satisfies Record<string, readonly string[]>;

export type CiphertextEntity = keyof typeof TABLE_CIPHERTEXTS;

/** An S3 prefix whose every object is one keyring ciphertext bound (aad) to its bucket and key. */
export interface ObjectCiphertextStore {
  /** The name reports and checkpoints use. */
  name: string;
  bucket: BucketName;
  prefix: string;
  holds: string;
}

/**
 * S3 objects, by bucket and prefix. Not here, on purpose: `uploads/` (what browsers and platforms PUT, plaintext
 * until the pipeline reads it; expired by lifecycle) and the WORM archive (SSE-KMS only: it must stay readable
 * for its six-year retention whatever happens to the keyring, and Object Lock forbids rewriting it).
 */
export const OBJECT_CIPHERTEXTS = [
  {
    name: 'meeting-artifacts',
    bucket: 'uploads',
    prefix: 'tenants/',
    holds: "meetings' normalised transcripts and verified extractions",
  },
] as const satisfies readonly ObjectCiphertextStore[];

export type ObjectStoreName = (typeof OBJECT_CIPHERTEXTS)[number]['name'];

/**
 * Keyring ciphertext that is handed out and never stored, so rotation has nothing to do: a pagination cursor
 * sealed under a retired key answers 400 `invalid_cursor` and the caller starts from the first page.
 */
export const TRANSIENT_CIPHERTEXTS = ['pagination-cursor'] as const;

/** Code tried to encrypt for a place the inventory does not list: a programming error, caught by tests. */
export class UnregisteredCiphertextError extends AppError {
  constructor(place: string) {
    super(
      'unregistered_ciphertext',
      `Keyring ciphertext for ${place} is not registered in ciphertext-inventory.ts; register it so key rotation covers it.`,
    );
  }
}

/** Whether `attribute` of items of `entity` is a registered ciphertext. */
export function isRegisteredField(entity: string | undefined, attribute: string): boolean {
  if (entity === undefined || !Object.hasOwn(TABLE_CIPHERTEXTS, entity)) return false;
  return (TABLE_CIPHERTEXTS[entity as CiphertextEntity] as readonly string[]).includes(attribute);
}

/** The registered object store holding `bucket`/`key` (by logical bucket name), if any. */
export function objectStoreOf(bucket: BucketName, key: string): ObjectCiphertextStore | undefined {
  return OBJECT_CIPHERTEXTS.find((store) => store.bucket === bucket && key.startsWith(store.prefix));
}

/** A table field's ciphertext, bound to the item's pk/sk and the attribute name. */
export function sealField(
  keyring: Keyring,
  entity: string,
  keys: { pk: string; sk: string },
  attribute: string,
  plaintext: string | Uint8Array,
): Uint8Array {
  if (!isRegisteredField(entity, attribute)) throw new UnregisteredCiphertextError(`${entity}.${attribute}`);
  return keyring.encrypt(plaintext, fieldAad(keys.pk, keys.sk, attribute));
}

/** An object's ciphertext, bound to its bucket (actual name) and key; `store` must hold the key's prefix. */
export function sealObject(
  keyring: Keyring,
  store: ObjectStoreName | (string & {}),
  bucketName: string,
  key: string,
  bytes: Uint8Array,
): Uint8Array {
  const registered = OBJECT_CIPHERTEXTS.find((s) => s.name === store);
  if (!registered || !key.startsWith(registered.prefix))
    throw new UnregisteredCiphertextError(`object ${key} (store ${store})`);
  return keyring.encrypt(bytes, blobAad(bucketName, key));
}

/** A transient ciphertext (never stored); `aad` binds it to its use. */
export function sealTransient(
  keyring: Keyring,
  use: (typeof TRANSIENT_CIPHERTEXTS)[number],
  plaintext: string,
  aad: string,
): Uint8Array {
  if (!TRANSIENT_CIPHERTEXTS.includes(use)) throw new UnregisteredCiphertextError(use);
  return keyring.encrypt(plaintext, aad);
}
