import { AppError } from '../errors';

export class RouteNotFoundError extends AppError {
  constructor(method: string, path: string) {
    super('route_not_found', `No route for ${method} ${path}.`);
  }
}

export class MethodNotAllowedError extends AppError {
  readonly allowed: string[];

  constructor(method: string, path: string, allowed: string[]) {
    super('method_not_allowed', `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`);
    this.allowed = allowed;
  }
}

/** Over a rate limit; `retryAfterSeconds` becomes the `Retry-After` header. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('rate_limited', `Too many requests. Retry after ${retryAfterSeconds} seconds.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
