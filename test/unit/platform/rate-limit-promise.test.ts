import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../functions/contracts/principal';
import { resetConfigForTests } from '../../../functions/platform/config/config';
import { RateLimitedError } from '../../../functions/platform/http/errors';
import {
  createHttpHandler,
  type RateLimitCounter,
  type RouteImplementations,
} from '../../../functions/platform/http/http-handler';
import { buildOpenApiDocument } from '../../../functions/platform/http/openapi';
import type { RouteDefinition } from '../../../functions/platform/http/route';
import { allRoutes, topology } from '../../../functions/topology';
import { apiEvent, lambdaContext } from '../../support/api-event';
import { applyTestEnv } from '../../support/test-env';

type Operation = { responses: Record<string, unknown> };
const PRINCIPAL = { userId: 'user-1', tenantId: 'firm-1' };

/**
 * Every route of the topology behind the real edge, with a gate that refuses everything it is asked and an
 * authenticator that lets the caller in with a role the route accepts: a route the edge can refuse answers
 * 429 with Retry-After; any other never reaches the gate.
 */
function invokeRefused(group: (typeof topology.routeGroups)[number], route: RouteDefinition) {
  const checks: { counter: RateLimitCounter; subject: string }[] = [];
  const implementations = new Proxy({}, { get: () => async () => ({ body: {} }) }) as RouteImplementations<
    readonly RouteDefinition[]
  >;
  const handler = createHttpHandler(group.name, group.routes, implementations, {
    authenticator: {
      authenticate: async (): Promise<Principal> => ({ ...PRINCIPAL, role: route.roles?.[0] ?? 'admin' }),
    },
    rateLimits: {
      async check(counter, subject) {
        checks.push({ counter, subject });
        throw new RateLimitedError(42);
      },
    },
  });
  const event = apiEvent(route.method, route.path, {
    routeKey: `${route.method} ${route.path}`,
    headers: { authorization: 'Bearer token' },
  });
  return { checks, response: handler(event, lambdaContext()) };
}

describe('rate limits the OpenAPI document promises', () => {
  const document = buildOpenApiDocument(allRoutes(), { version: 'test' }) as {
    paths: Record<string, Record<string, Operation>>;
  };
  const cases = topology.routeGroups.flatMap((group) =>
    group.routes.map(
      (route) => [`${route.method} ${route.path} (${route.rateLimit})`, group, route] as const,
    ),
  );

  beforeAll(() => {
    applyTestEnv();
    resetConfigForTests();
    // Answers the stub implementations give fail their response schemas (500): their logs are not the point.
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  afterAll(() => vi.restoreAllMocks());

  it.each(cases)('%s answers 429 exactly when its document says so', async (_name, group, route) => {
    const operation = document.paths[route.path]?.[route.method.toLowerCase()];
    expect(operation, 'documented').toBeDefined();
    const promised = '429' in (operation?.responses ?? {});
    const { checks, response } = invokeRefused(group, route);
    const answer = await response;
    if (promised) {
      expect(answer.statusCode).toBe(429);
      expect(answer.headers?.['retry-after']).toBe('42');
    } else {
      expect(answer.statusCode).not.toBe(429);
      expect(checks).toEqual([]);
    }
  });

  it('counts a standard route per user and per firm', async () => {
    const group = topology.routeGroups.find((g) =>
      g.routes.some((r) => r.rateLimit === 'standard' && r.auth === 'user'),
    );
    const route = group?.routes.find((r) => r.rateLimit === 'standard' && r.auth === 'user');
    if (!group || !route) throw new Error('the topology has no signed-in standard route');
    const { checks, response } = invokeRefused(group, route);
    await response;
    expect(checks.sort((a, b) => a.counter.localeCompare(b.counter))).toEqual([
      { counter: 'standard', subject: 'user:firm-1/user-1' },
      { counter: 'standardFirm', subject: 'firm:firm-1' },
    ]);
  });

  it('promises a 429 on every signed-in standard route', () => {
    const standard = allRoutes().filter((r) => r.rateLimit === 'standard' && r.auth === 'user');
    expect(standard).not.toEqual([]);
    for (const route of standard)
      expect(
        Object.keys(document.paths[route.path]?.[route.method.toLowerCase()]?.responses ?? {}),
      ).toContain('429');
  });
});
