import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a received secret with the expected one in constant time. Both sides are hashed to a fixed length
 * first: `timingSafeEqual` needs equal lengths, and the comparison must not reveal the expected length either.
 * An absent value never matches, not even an empty expected one.
 */
export function constantTimeEqual(received: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const same = timingSafeEqual(digest(received ?? ''), digest(expected));
  return same && received !== undefined && expected !== '';
}
