import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The per-meeting value the transcription provider echoes in its webhook header: an HMAC of provider, tenant
 * and meeting under the webhook secret. A value seen for one meeting authenticates nothing else, and the
 * secret itself never leaves the system.
 */
export function webhookAuthValue(
  secret: string,
  input: { provider: string; tenantId: string; meetingId: string },
): string {
  return createHmac('sha256', secret)
    .update(`smartad-transcription-webhook\n${input.provider}\n${input.tenantId}\n${input.meetingId}`)
    .digest('base64url');
}

/** Constant-time check of a received header value (any length, or absent) against the expected one. */
export function webhookAuthMatches(
  secret: string,
  input: { provider: string; tenantId: string; meetingId: string },
  received: string | undefined,
): boolean {
  const expected = Buffer.from(webhookAuthValue(secret, input));
  // Hash both sides to a fixed length first: timingSafeEqual needs equal lengths, and the comparison must not
  // reveal the expected length either.
  const digest = (value: Buffer) => createHmac('sha256', 'compare').update(value).digest();
  const ok = timingSafeEqual(digest(Buffer.from(received ?? '')), digest(expected));
  return ok && received !== undefined;
}
