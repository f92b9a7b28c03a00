import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of a bearer secret (refresh or invite token). Tokens are 32 random bytes, so an unsalted fast
 * hash is enough: nothing to brute-force, and it lets the digest be the item's key. The plaintext is never stored.
 */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
