import type * as z from 'zod';
import type { Role } from '../../contracts/principal';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Who may call a route: `public` needs no token; `user` needs a verified access token (identity issue). */
export type RouteAuth = 'public' | 'user';

/**
 * Rate-limit class. `auth` routes are limited per client IP, `ai` routes per user; `standard` routes carry the
 * default per-user limit. Limits themselves come from config.
 */
export type RateLimitClass = 'standard' | 'auth' | 'ai';

/**
 * Whether the edge can answer this route 429: the `auth` class counts every caller by source IP; `ai` and
 * `standard` count the signed-in user, so on a route without one they have no subject and never refuse.
 */
export function canBeRateLimited(route: Pick<RouteDefinition, 'rateLimit' | 'auth'>): boolean {
  return route.rateLimit === 'auth' || route.auth === 'user';
}

export interface RouteRequestSchemas {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /**
   * Path parameters a JSON object body may leave out because the path already names them: copied into the body
   * when it lacks them, before the body schema runs. A body that carries one keeps its own value.
   */
  bodyFromParams?: readonly string[];
}

/**
 * One HTTP route: the contract that the handler implements, the local host serves, API Gateway routes and the
 * OpenAPI document describes. Paths use API Gateway's `{param}` syntax.
 */
export interface RouteDefinition<
  Id extends string = string,
  Req extends RouteRequestSchemas = RouteRequestSchemas,
  Res extends z.ZodType = z.ZodType,
  Auth extends RouteAuth = RouteAuth,
> {
  id: Id;
  method: HttpMethod;
  path: `/${string}`;
  summary: string;
  tags: string[];
  auth: Auth;
  /** With `auth: 'user'`: the roles that may call; absent means every role. Others get 403. */
  roles?: readonly Role[];
  rateLimit: RateLimitClass;
  /**
   * This route's body limit in bytes, instead of `HTTP_MAX_BODY_BYTES`: for a vendor callback that carries a
   * whole document. At most 6 MiB, Lambda's synchronous payload limit.
   */
  maxBodyBytes?: number;
  request: Req;
  /** Status of a successful answer. */
  status: 200 | 201 | 202 | 204;
  response: Res;
}

/** Declares a route, keeping its literal types so handlers are checked against the schemas. */
export function defineRoute<
  const Id extends string,
  Req extends RouteRequestSchemas,
  Res extends z.ZodType,
  const Auth extends RouteAuth,
>(route: RouteDefinition<Id, Req, Res, Auth>): RouteDefinition<Id, Req, Res, Auth> {
  return route;
}

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
