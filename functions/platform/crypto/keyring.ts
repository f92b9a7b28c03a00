import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError, DecryptionError } from '../errors';
import {
  KeyIdSchema,
  type KeyringDocument,
  type KeyringKey,
  validateKeyringDocument,
} from './keyring-document';

export type { KeyringDocument, KeyringKey } from './keyring-document';
export { parseKeyringDocument, stringifyKeyringDocument } from './keyring-document';

/**
 * Ciphertext layout (all one byte string, stored as DynamoDB Binary):
 *
 * | bytes      | content                                   |
 * |------------|-------------------------------------------|
 * | 4          | magic `SAK1` (ASCII)                      |
 * | 1          | key-id length `n` (1–32)                  |
 * | n          | key id (ASCII, `^[A-Za-z0-9_-]+$`)        |
 * | 12         | random IV                                 |
 * | m ≥ 0      | AES-256-GCM ciphertext of the plaintext   |
 * | 16         | GCM authentication tag                    |
 *
 * GCM's associated data is the header (magic, length, key id) followed by the caller's `aad` in UTF-8, so
 * the header, the body and the ciphertext's place (`aad`) are all authenticated.
 */
const MAGIC = Buffer.from('SAK1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const MAX_KEY_ID_BYTES = 32;
const HKDF_SALT = 'smart-advisor-os/keyring/v1';
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** A loaded keyring: the first key encrypts, every key decrypts. Holds derived keys only, never material. */
export interface Keyring {
  readonly primaryKeyId: string;
  /** When the primary key was added (epoch ms); undefined for a key that has always been the primary. */
  readonly primaryAddedAt: number | undefined;
  /** In document order; the first is the primary. */
  readonly keyIds: readonly string[];
  /** Encrypts under the primary key, binding the ciphertext to `aad` (e.g. the field's table position). */
  encrypt(plaintext: string | Uint8Array, aad: string): Uint8Array;
  /** Authenticates and decrypts; throws `DecryptionError` on any failure, never returns partial data. */
  decrypt(ciphertext: Uint8Array, aad: string): Buffer;
  /** `decrypt` decoded as UTF-8. */
  decryptString(ciphertext: Uint8Array, aad: string): string;
  /** The id of the key a ciphertext was made with; throws `DecryptionError` if `bytes` is not a ciphertext. */
  keyIdOf(ciphertext: Uint8Array): string;
}

/**
 * A ciphertext names a key this keyring does not hold. Usually a process whose cached keyring predates a
 * rotation: reload the keyring once and retry before giving up.
 */
export class UnknownKeyError extends DecryptionError {
  readonly keyId: string;

  constructor(keyId: string, known: readonly string[]) {
    super(`Ciphertext was encrypted with unknown key id '${keyId}'; the keyring holds ${known.join(', ')}.`);
    this.keyId = keyId;
  }
}

interface Header {
  keyId: string;
  /** Bytes before the IV: magic, length byte and key id. */
  headerLength: number;
}

/**
 * A read met a ciphertext whose key is no longer in the keyring, even after reloading it (a key retired too
 * early, or a keyring restored from an old version). The message is what a caller may see — nothing about keys;
 * `keyId` and `record` (what could not be read) are for the log.
 */
export class EncryptionKeyUnavailableError extends AppError {
  readonly keyId: string;
  readonly record: string;

  constructor(keyId: string, record: string, cause?: unknown) {
    super('encryption_key_unavailable', 'This record cannot be decrypted right now. Try again later.', {
      cause,
    });
    this.keyId = keyId;
    this.record = record;
  }
}

/** Builds a keyring from a validated (or to-be-validated) document. */
export function createKeyring(doc: KeyringDocument): Keyring {
  const { keys } = validateKeyringDocument(doc);
  const derived = new Map(keys.map((k) => [k.id, deriveKey(k.material, k.id)] as const));
  const keyIds = Object.freeze(keys.map((k) => k.id));
  // The schema guarantees at least one key.
  const [primary] = keys as [KeyringKey, ...KeyringKey[]];
  const primaryKey = derived.get(primary.id) as Buffer;
  const primaryHeader = encodeHeader(primary.id);

  const decrypt = (ciphertext: Uint8Array, aad: string): Buffer => {
    const header = readHeader(ciphertext);
    const key = derived.get(header.keyId);
    if (key === undefined) throw new UnknownKeyError(header.keyId, keyIds);
    const bytes = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
    const ivEnd = header.headerLength + IV_BYTES;
    const bodyEnd = bytes.length - TAG_BYTES;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(header.headerLength, ivEnd), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(associatedData(bytes.subarray(0, header.headerLength), aad));
      decipher.setAuthTag(bytes.subarray(bodyEnd));
      return Buffer.concat([decipher.update(bytes.subarray(ivEnd, bodyEnd)), decipher.final()]);
    } catch (error) {
      throw new DecryptionError(
        `Ciphertext under key '${header.keyId}' failed authentication (wrong key, wrong aad or tampered).`,
        error,
      );
    }
  };

  return {
    primaryKeyId: primary.id,
    primaryAddedAt: primary.addedAt === undefined ? undefined : Date.parse(primary.addedAt),
    keyIds,
    encrypt(plaintext, aad) {
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', primaryKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(primaryHeader, aad));
      const body = Buffer.concat([cipher.update(data), cipher.final()]);
      // Buffer.alloc (not concat) so the result never shares Node's pooled ArrayBuffer with other data.
      const out = Buffer.alloc(primaryHeader.length + IV_BYTES + body.length + TAG_BYTES);
      let offset = primaryHeader.copy(out, 0);
      offset += iv.copy(out, offset);
      offset += body.copy(out, offset);
      cipher.getAuthTag().copy(out, offset);
      return out;
    },
    decrypt,
    decryptString: (ciphertext, aad) => decrypt(ciphertext, aad).toString('utf8'),
    keyIdOf: (ciphertext) => readHeader(ciphertext).keyId,
  };
}

/** Whether `bytes` has the shape of a keyring ciphertext (magic, valid key id, room for IV and tag). */
export function isCiphertext(bytes: Uint8Array): boolean {
  return parseHeader(bytes) !== undefined;
}

/** A fresh key: 32 random bytes as base64url (43 characters). */
export function generateKeyringKey(id: string): KeyringKey {
  return { id: KeyIdSchema.parse(id), material: randomBytes(32).toString('base64url') };
}

/** A new document with `key` first, so it becomes the primary; the old keys stay to decrypt old data. */
export function addKey(doc: KeyringDocument, key: KeyringKey): KeyringDocument {
  return validateKeyringDocument({ keys: [key, ...doc.keys] });
}

/** A new document without the key `id`; the caller has checked that nothing is encrypted with it any more. */
export function removeKey(doc: KeyringDocument, id: string): KeyringDocument {
  return validateKeyringDocument({ keys: doc.keys.filter((k) => k.id !== id) });
}

/** The id of the key a ciphertext names, or undefined when `bytes` is not a keyring ciphertext (no keyring needed). */
export function ciphertextKeyId(bytes: Uint8Array): string | undefined {
  return parseHeader(bytes)?.keyId;
}

/** The shortest possible ciphertext (a one-character key id, an empty plaintext): anything shorter is none. */
export const MIN_CIPHERTEXT_BYTES = MAGIC.length + 1 + 1 + IV_BYTES + TAG_BYTES;

/** Bytes of a ciphertext's header at most: enough of an object's start to learn its key id (`ciphertextKeyId`). */
export const CIPHERTEXT_PREFIX_BYTES = MAGIC.length + 1 + MAX_KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

/** The next id in the `k1`, `k2`, … sequence: one more than the highest `k<n>` in the document. */
export function nextKeyId(doc: KeyringDocument): string {
  const numbers = doc.keys
    .map((k) => /^k(\d+)$/.exec(k.id)?.[1])
    .map((n) => (n === undefined ? 0 : Number(n)));
  return `k${Math.max(0, ...numbers) + 1}`;
}

function deriveKey(material: string, id: string): Buffer {
  return Buffer.from(hkdfSync('sha256', material, HKDF_SALT, id, KEY_BYTES));
}

function encodeHeader(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([MAGIC, Buffer.from([id.length]), id]);
}

function associatedData(header: Uint8Array, aad: string): Buffer {
  // The header is length-prefixed, so header ‖ aad is unambiguous.
  return Buffer.concat([header, Buffer.from(aad, 'utf8')]);
}

function parseHeader(bytes: Uint8Array): Header | undefined {
  if (bytes.length < MAGIC.length + 1) return undefined;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return undefined;
  const idLength = bytes[MAGIC.length] as number;
  if (idLength < 1 || idLength > MAX_KEY_ID_BYTES) return undefined;
  const headerLength = MAGIC.length + 1 + idLength;
  if (bytes.length < headerLength + IV_BYTES + TAG_BYTES) return undefined;
  const keyId = Buffer.from(bytes.buffer, bytes.byteOffset + MAGIC.length + 1, idLength).toString('latin1');
  if (!KEY_ID_PATTERN.test(keyId)) return undefined;
  return { keyId, headerLength };
}

function readHeader(bytes: Uint8Array): Header {
  const header = parseHeader(bytes);
  if (header === undefined) {
    throw new DecryptionError('Value is not a keyring ciphertext (bad magic, key id or length).');
  }
  return header;
}
