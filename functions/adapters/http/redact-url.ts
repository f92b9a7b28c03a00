/**
 * A URL fit for a log line: scheme, host (with port) and path only. Query strings and fragments often carry
 * tokens (Zoom's `access_token`, presigned signatures) and userinfo carries passwords, so all three go.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '[unparseable url]';
  }
  // Opaque URLs (data:, javascript:) have no host and their "path" is the payload: keep the scheme only.
  if (parsed.host === '') return `${parsed.protocol}[redacted]`;
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
