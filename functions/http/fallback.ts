import { config } from '../platform/config/config';
import { preflightHeaders } from '../platform/http/cors';
import { MethodNotAllowedError, RouteNotFoundError } from '../platform/http/errors';
import { type InnerHandler, withEdge } from '../platform/http/http-handler';
import { createRouteMatcher } from '../platform/http/route-match';
import { allRoutes } from '../topology';

/**
 * API Gateway's `$default` route: every request no declared route matched. Answers CORS preflights for
 * declared paths, 405 (with `Allow`) when the path exists under another method, and 404 otherwise — all in the
 * API's JSON error shape rather than API Gateway's own `{"message":"Not Found"}`.
 */
export function fallbackHandler(allowedOrigins: readonly string[]): InnerHandler {
  const match = createRouteMatcher(allRoutes());
  return async (event) => {
    const { method, path } = event.requestContext.http;
    const result = match(method, path);
    if (method === 'OPTIONS' && result.kind !== 'not_found') {
      const allowed = result.kind === 'found' ? [result.route.method] : result.allowed;
      const headers = preflightHeaders(
        event.headers.origin,
        event.headers['access-control-request-method'],
        allowed,
        allowedOrigins,
      );
      if (headers) return { statusCode: 204, headers };
    }
    if (result.kind === 'method_not_allowed') throw new MethodNotAllowedError(method, path, result.allowed);
    throw new RouteNotFoundError(method, path);
  };
}

export const handler = withEdge('fallback', fallbackHandler(config().corsAllowedOrigins));
