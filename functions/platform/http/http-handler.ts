import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { Principal } from '../../contracts/principal';
import { config } from '../config/config';
import { ForbiddenError } from '../errors';
import { functionLogger } from '../logging/function-logger';
import type { Authenticator } from './authenticator';
import { RouteNotFoundError } from './errors';
import { jsonResponse } from './json-response';
import { errorResponder } from './middleware/error-responder';
import { type EdgeContext, type EdgeState, requestContext } from './middleware/request-context';
import { responseHeaders } from './middleware/response-headers';
import { parseRequest } from './request-parser';
import { type RouteDefinition, routeKey } from './route';

type Infer<S> = S extends z.ZodType ? z.infer<S> : Record<string, never>;

/** What a route implementation receives: validated input plus the request's identity and logger. */
export interface HttpRequest<R extends RouteDefinition = RouteDefinition> {
  params: Infer<R['request']['params']>;
  query: Infer<R['request']['query']>;
  body: R['request']['body'] extends z.ZodType ? z.infer<R['request']['body']> : undefined;
  headers: Readonly<Record<string, string | undefined>>;
  /**
   * The body exactly as the client sent it (UTF-8, base64 undone). Webhook signatures are computed over these
   * bytes: re-serialising the parsed JSON would not match.
   */
  rawBody: string;
  sourceIp: string;
  edge: EdgeState;
  /** The verified caller on `auth: 'user'` routes; never taken from the request itself. */
  principal: R['auth'] extends 'user' ? Principal : undefined;
}

export interface HttpResult<T> {
  body: T;
  headers?: Record<string, string>;
  /**
   * Answer `text/plain` with this text instead of the JSON `body` (still validated against the response
   * schema): Microsoft Graph's subscription validation must get its token echoed as plain text.
   */
  plainText?: string;
}

export type RouteImplementation<R extends RouteDefinition> = (
  request: HttpRequest<R>,
) => Promise<HttpResult<z.input<R['response']>>>;

/** One implementation per route id of the group; the compiler rejects a missing or misspelt one. */
export type RouteImplementations<Routes extends readonly RouteDefinition[]> = {
  [R in Routes[number] as R['id']]: RouteImplementation<R>;
};

export type EdgeHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export type InnerHandler = (
  event: APIGatewayProxyEventV2,
  context: EdgeContext,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * A counter the gate keeps: the route classes, plus `standardFirm`, the firm-wide total of the `standard` class.
 */
export type RateLimitCounter = 'auth' | 'ai' | 'standard' | 'standardFirm';

/** Counts a call against its rate-limit counter; throws `RateLimitedError` over the limit. */
export interface RateLimitGate {
  check(counter: RateLimitCounter, subject: string): Promise<void>;
}

export interface EdgeDeps {
  authenticator?: Pick<Authenticator, 'authenticate'>;
  rateLimits?: RateLimitGate;
}

/** Once per process: on Lambda a process is one function; the local host loads every route group into one. */
let corsWarningLogged = false;

/**
 * Wraps an inner handler in the HTTP edge every function shares: request id and correlation id, structured
 * access log, error → status mapping, security and CORS headers. Reads config at cold start, so a bad
 * environment fails the function's init rather than its first request.
 */
export function withEdge(group: string, inner: InnerHandler): EdgeHandler {
  const cfg = config();
  const log = functionLogger(cfg, group);
  if (cfg.corsAllowedOrigins.length === 0 && !corsWarningLogged) {
    corsWarningLogged = true;
    log.warn('CORS_ALLOWED_ORIGINS is empty: browsers on any origin will be refused');
  }
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, EdgeContext>({
    timeoutEarlyInMillis: 0,
  })
    .use(requestContext(log, group))
    .use(responseHeaders(cfg.corsAllowedOrigins))
    .use(errorResponder())
    .handler(inner);
  return handler as unknown as EdgeHandler;
}

/**
 * Builds a route group's Lambda handler: finds the route by API Gateway's `routeKey`, applies its rate limit
 * (`auth` class per source IP, before anything else), authenticates `auth: 'user'` routes and checks the role
 * (`ai` class per user after that; `standard` per user and per firm in total; a `standard` route
 * without a signed-in caller has no subject and is left to the API's throttle), validates the request against the route's schemas, calls the
 * implementation and validates its answer against the response schema (unknown fields are stripped, so an
 * implementation cannot leak what the contract doesn't name).
 */
export function createHttpHandler<const Routes extends readonly RouteDefinition[]>(
  group: string,
  routes: Routes,
  implementations: NoInfer<RouteImplementations<Routes>>,
  deps: EdgeDeps = {},
): EdgeHandler {
  const byKey = new Map<string, RouteDefinition>(routes.map((route) => [routeKey(route), route]));
  const impls = implementations as unknown as Record<string, RouteImplementation<RouteDefinition>>;
  const maxBodyBytes = config().maxBodyBytes;
  // A route that needs a dependency its group was built without is a wiring bug: fail loudly (500).
  const gate = () => {
    if (!deps.rateLimits) throw new Error(`${group}: a rate-limited route needs the rateLimits dependency`);
    return deps.rateLimits;
  };
  const authenticate = async (route: RouteDefinition, authorization: string | undefined) => {
    if (!deps.authenticator)
      throw new Error(`${group}: an authenticated route needs the authenticator dependency`);
    const principal = await deps.authenticator.authenticate(authorization);
    if (route.roles && !route.roles.includes(principal.role)) throw new ForbiddenError();
    return principal;
  };

  return withEdge(group, async (event, context) => {
    const route = byKey.get(event.routeKey);
    const implementation = route ? impls[route.id] : undefined;
    if (!route || !implementation) {
      throw new RouteNotFoundError(event.requestContext.http.method, event.requestContext.http.path);
    }
    const sourceIp = event.requestContext.http.sourceIp;
    // Per route: sign-in and sign-up each get their own budget per IP.
    if (route.rateLimit === 'auth') await gate().check('auth', `${route.id} ip:${sourceIp}`);
    const principal =
      route.auth === 'user' ? await authenticate(route, event.headers.authorization) : undefined;
    if (principal && route.rateLimit === 'ai')
      await gate().check('ai', `user:${principal.tenantId}/${principal.userId}`);
    if (principal && route.rateLimit === 'standard') {
      await Promise.all([
        gate().check('standard', `user:${principal.tenantId}/${principal.userId}`),
        gate().check('standardFirm', `firm:${principal.tenantId}`),
      ]);
    }
    if (principal)
      context.edge.log = context.edge.log.child({ tenant: principal.tenantId, user: principal.userId });
    const parsed = parseRequest(event, route, route.maxBodyBytes ?? maxBodyBytes);
    const result = await implementation({
      params: parsed.params as never,
      query: parsed.query as never,
      body: parsed.body as never,
      headers: event.headers,
      rawBody: event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : (event.body ?? ''),
      sourceIp,
      edge: context.edge,
      principal: principal as never,
    });
    const body = route.response.parse(result.body);
    if (result.plainText !== undefined) {
      return {
        statusCode: route.status,
        headers: { 'content-type': 'text/plain; charset=utf-8', ...result.headers },
        body: result.plainText,
      };
    }
    return jsonResponse(route.status, body, result.headers);
  });
}
