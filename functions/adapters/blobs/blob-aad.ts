/** Binds an object's ciphertext to its bucket and key: an object copied elsewhere does not decrypt. */
export function blobAad(bucket: string, key: string): string {
  return `s3\u0000${bucket}\u0000${key}`;
}
