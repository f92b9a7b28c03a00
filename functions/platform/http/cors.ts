import type { HttpMethod } from './route';

const ALLOWED_HEADERS = 'authorization, content-type, x-correlation-id';
const EXPOSED_HEADERS = 'x-request-id, retry-after';

/** CORS answer headers for a request from `origin`; none at all when the origin is not on the allow-list. */
export function corsHeaders(
  origin: string | undefined,
  allowList: readonly string[],
): Record<string, string> {
  if (origin === undefined || !allowList.includes(origin)) return { vary: 'origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
    vary: 'origin',
  };
}

/** Headers for a preflight (`OPTIONS`) that asks for one of `allowed`, or undefined to refuse it. */
export function preflightHeaders(
  origin: string | undefined,
  requestedMethod: string | undefined,
  allowed: readonly HttpMethod[],
  allowList: readonly string[],
): Record<string, string> | undefined {
  if (origin === undefined || !allowList.includes(origin)) return undefined;
  if (requestedMethod === undefined || !allowed.includes(requestedMethod as HttpMethod)) return undefined;
  return {
    ...corsHeaders(origin, allowList),
    'access-control-allow-methods': allowed.join(', '),
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '600',
  };
}
