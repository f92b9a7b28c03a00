import { createHash } from 'node:crypto';

/**
 * Keys of one rate-limit counter: a class, a subject and a window. Counters are not tenant data (the `auth` class
 * counts anonymous callers by IP), so they live under the global `G#RATE#` prefix. The subject (`ip:…`,
 * `user:<tenant>/<user>`) is stored only as its SHA-256, so no IP or user id appears in clear in a key; the items
 * live for about one window and the table is KMS-encrypted, so a keyed hash would buy little here.
 */
export function rateWindowKeys(
  limitClass: string,
  subject: string,
  windowStartSeconds: number,
): { pk: string; sk: string } {
  const digest = createHash('sha256').update(subject, 'utf8').digest('hex');
  return { pk: `G#RATE#${limitClass}#${digest}`, sk: `W#${windowStartSeconds}` };
}
