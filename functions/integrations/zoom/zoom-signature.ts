import { createHmac, timingSafeEqual } from 'node:crypto';

/** Zoom's signature of a delivery: `v0=` + hex HMAC-SHA256(secret token, `v0:{timestamp}:{raw body}`). */
export function zoomSignature(secretToken: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', secretToken).update(`v0:${timestamp}:${rawBody}`, 'utf8').digest('hex')}`;
}

/**
 * Constant-time check of a received `x-zm-signature`. Both sides are hashed to a fixed length first, so neither
 * the comparison nor an early length mismatch reveals how much of a forged value was right.
 */
export function zoomSignatureMatches(
  secretToken: string,
  timestamp: string,
  rawBody: string,
  received: string | undefined,
): boolean {
  if (received === undefined) return false;
  const digest = (value: string) => createHmac('sha256', 'zoom-compare').update(value, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(zoomSignature(secretToken, timestamp, rawBody)));
}

/** The `encryptedToken` of Zoom's `endpoint.url_validation` answer: hex HMAC-SHA256(secret token, plainToken). */
export function zoomUrlValidationToken(secretToken: string, plainToken: string): string {
  return createHmac('sha256', secretToken).update(plainToken, 'utf8').digest('hex');
}
