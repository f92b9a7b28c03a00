import { createHash } from 'node:crypto';
import * as z from 'zod';

/** RFC 5321 caps a forward path at 256 octets including the angle brackets. */
const MAX_EMAIL_LENGTH = 254;

/** Emails are compared and stored in one form: trimmed and lower-cased, so `Ann@Firm.com` is `ann@firm.com`. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** An email as a caller types it: normalised, then checked as an address. */
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`)
  .pipe(z.email({ message: 'must be an email address such as ann@example.com' }));

/**
 * SHA-256 (hex) of the normalised email: the login directory's key and what the audit trail records for a
 * sign-in attempt with an email that belongs to no one — a pseudonym, never the address itself.
 */
export function emailDigest(email: string): string {
  return createHash('sha256').update(normaliseEmail(email), 'utf8').digest('hex');
}
