/**
 * Milliseconds to wait from a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds (`"120"`) or an
 * HTTP-date (`"Wed, 21 Oct 2026 07:28:00 GMT"`), measured against `nowMs`. A date in the past is 0. Anything
 * else (absent, negative, fractional, garbage) is `undefined`: the caller falls back to its own backoff.
 * The result is capped at `capMs` so a vendor asking for an hour does not park a Lambda for an hour.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  nowMs: number,
  capMs: number,
): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, capMs);
  // Only the HTTP-date forms have a weekday or month name; `Date.parse` alone would accept "2026" or "1e3".
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), capMs);
}
