/**
 * The associated data that binds an encrypted field to its place in the table: the item's `pk`, `sk` and the
 * attribute name, NUL-separated. A ciphertext copied to another item or attribute then fails to decrypt.
 * The store adapter and key rotation (`reencrypt-table.ts`) both use this, and nothing else may.
 */
export function fieldAad(pk: string, sk: string, attribute: string): string {
  for (const part of [pk, sk, attribute]) {
    // NUL is the separator; allowing it inside a part would make two different places share one aad.
    if (part.includes('\u0000'))
      throw new Error('Keys and attribute names of encrypted fields must not contain NUL.');
  }
  return `${pk}\u0000${sk}\u0000${attribute}`;
}
