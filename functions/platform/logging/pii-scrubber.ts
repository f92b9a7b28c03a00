/**
 * Removes personal and secret data from anything about to be logged. Log lines leave the firm's control (log
 * storage, support tooling), so client identifiers and credentials never reach them, whichever field they hide in.
 */

const REDACTED = '[REDACTED]';

/** Keys whose values are secret or personal whatever they look like. Compared without case, `-` or `_`. */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'cookie',
  'setcookie',
  'password',
  'newpassword',
  'currentpassword',
  'passwordhash',
  'secret',
  'clientsecret',
  'apikey',
  'xapikey',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'invitetoken',
  'sessiontoken',
  'ssn',
  'socialsecuritynumber',
  'taxid',
  'accountnumber',
  'routingnumber',
  'dateofbirth',
  'dob',
  'material',
  'privatekey',
]);

/** Ordered: the specific shapes (tokens, SSNs) run before the general digit runs that would swallow them. */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi, `Bearer ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[REDACTED_JWT]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[REDACTED_EMAIL]'],
  [/\b\d{3}-\d{2}-\d{4}\b|\b\d{3} \d{2} \d{4}\b/g, '[REDACTED_SSN]'],
  [/(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}\b/g, '[REDACTED_PHONE]'],
  // Account and card numbers: 8–19 digits, optionally grouped by spaces or dashes in fours.
  [/\b\d{4}(?:[ -]\d{4}){1,3}(?:[ -]\d{1,3})?\b/g, '[REDACTED_ACCOUNT]'],
  [/\b\d{8,19}\b/g, '[REDACTED_ACCOUNT]'],
];

export function scrubString(value: string): string {
  let out = value;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Deep copy of `value` with sensitive keys redacted and every string scrubbed. Handles cycles and errors. */
export function scrub(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: scrubString(value.message) };
    if (value.stack) out.stack = scrubString(value.stack);
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined) out.cause = scrub(value.cause, seen);
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, seen));
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) ? REDACTED : scrub(item, seen);
  }
  return out;
}
