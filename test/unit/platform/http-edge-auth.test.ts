import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { Principal } from '../../../functions/contracts/principal';
import { resetConfigForTests } from '../../../functions/platform/config/config';
import { UnauthorizedError } from '../../../functions/platform/errors';
import { RateLimitedError } from '../../../functions/platform/http/errors';
import { createHttpHandler, type EdgeHandler } from '../../../functions/platform/http/http-handler';
import { defineRoute } from '../../../functions/platform/http/route';
import { apiEvent, lambdaContext } from '../../support/api-event';
import { applyTestEnv } from '../../support/test-env';

const Out = z.object({ who: z.string() });
const routes = [
  defineRoute({
    id: 'login',
    method: 'POST',
    path: '/api/v1/login',
    summary: '',
    tags: [],
    auth: 'public',
    rateLimit: 'auth',
    request: { body: z.object({ email: z.string() }) },
    status: 200,
    response: Out,
  }),
  defineRoute({
    id: 'mine',
    method: 'GET',
    path: '/api/v1/mine',
    summary: '',
    tags: [],
    auth: 'user',
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: Out,
  }),
  defineRoute({
    id: 'audit',
    method: 'GET',
    path: '/api/v1/audit',
    summary: '',
    tags: [],
    auth: 'user',
    roles: ['admin', 'compliance'],
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: Out,
  }),
  defineRoute({
    id: 'draft',
    method: 'POST',
    path: '/api/v1/draft',
    summary: '',
    tags: [],
    auth: 'user',
    rateLimit: 'ai',
    request: { body: z.object({}) },
    status: 200,
    response: Out,
  }),
] as const;

const tokens: Record<string, Principal> = {
  'adv.adv.adv': { userId: 'u-adv', tenantId: 'firm-a', role: 'advisor' },
  'cmp.cmp.cmp': { userId: 'u-cmp', tenantId: 'firm-a', role: 'compliance' },
};
const checks: string[] = [];
let limited = false;
let handler: EdgeHandler;

beforeAll(() => {
  applyTestEnv();
  resetConfigForTests();
  handler = createHttpHandler(
    'test',
    routes,
    {
      login: async ({ body }) => ({ body: { who: body.email } }),
      mine: async ({ principal }) => ({ body: { who: `${principal.tenantId}/${principal.userId}` } }),
      audit: async ({ principal }) => ({ body: { who: principal.role } }),
      draft: async ({ principal }) => ({ body: { who: principal.userId } }),
    },
    {
      authenticator: {
        authenticate: async (header) => {
          const principal = tokens[header?.replace(/^Bearer /, '') ?? ''];
          if (!principal) throw new UnauthorizedError();
          return principal;
        },
      },
      rateLimits: {
        check: async (limitClass, subject) => {
          checks.push(`${limitClass} ${subject}`);
          if (limited) throw new RateLimitedError(42);
        },
      },
    },
  );
});

const call = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  handler(apiEvent(method, path, { headers, ...(body ? { body } : {}) }), lambdaContext());
const code = (res: { body?: string }) => JSON.parse(res.body ?? '{}').error?.code;

describe('HTTP edge: authentication, roles, rate limits', () => {
  it('answers 401 with WWW-Authenticate when a user route has no or a bad token', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope.nope.nope' }] as Record<string, string>[]) {
      const res = await call('GET', '/api/v1/mine', headers);
      expect(res.statusCode).toBe(401);
      expect(res.headers?.['www-authenticate']).toBe('Bearer');
      expect(code(res)).toBe('unauthorized');
    }
  });

  it('gives the implementation the principal from the verified token', async () => {
    const res = await call('GET', '/api/v1/mine', { authorization: 'Bearer adv.adv.adv' });
    expect(JSON.parse(res.body ?? '{}')).toEqual({ who: 'firm-a/u-adv' });
  });

  it('answers 403 when the role may not call the route, and lets the listed roles in', async () => {
    expect((await call('GET', '/api/v1/audit', { authorization: 'Bearer adv.adv.adv' })).statusCode).toBe(
      403,
    );
    expect((await call('GET', '/api/v1/audit', { authorization: 'Bearer cmp.cmp.cmp' })).statusCode).toBe(
      200,
    );
  });

  it('limits auth routes per source IP before reading the body, AI routes per user, standard routes per user and firm', async () => {
    checks.length = 0;
    await call('POST', '/api/v1/login', {}, '{"email":"a@b.co"}');
    await call('POST', '/api/v1/draft', { authorization: 'Bearer adv.adv.adv' }, '{}');
    await call('GET', '/api/v1/mine', { authorization: 'Bearer adv.adv.adv' });
    expect(checks).toEqual([
      'auth login ip:203.0.113.7',
      'ai user:firm-a/u-adv',
      'standard user:firm-a/u-adv',
      'standardFirm firm:firm-a',
    ]);
  });

  it('answers 429 with Retry-After in the standard error shape', async () => {
    limited = true;
    try {
      const res = await call('POST', '/api/v1/login', {}, '{not json');
      expect(res.statusCode).toBe(429);
      expect(res.headers?.['retry-after']).toBe('42');
      expect(JSON.parse(res.body ?? '{}').error).toMatchObject({
        code: 'rate_limited',
        request_id: 'req-123',
      });
    } finally {
      limited = false;
    }
  });
});
