import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeHandler } from '../../../functions/platform/http/http-handler';
import { apiEvent, lambdaContext } from '../../support/api-event';
import { applyTestEnv } from '../../support/test-env';

let handler: EdgeHandler;

beforeAll(async () => {
  applyTestEnv();
  ({ handler } = await import('../../../functions/http/fallback'));
});

const call = (method: string, path: string, headers: Record<string, string> = {}) =>
  handler(apiEvent(method, path, { routeKey: '$default', headers }), lambdaContext());

describe('fallback ($default route)', () => {
  it('answers an unknown path with 404 in the API error shape', async () => {
    const res = await call('GET', '/api/v1/nowhere');
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body ?? '')).toEqual({
      error: {
        code: 'route_not_found',
        message: 'No route for GET /api/v1/nowhere.',
        issues: [],
        request_id: 'req-123',
      },
    });
  });

  it('answers a known path with the wrong method with 405 and an Allow header', async () => {
    const res = await call('DELETE', '/api/v1/health');
    expect(res.statusCode).toBe(405);
    expect(res.headers?.allow).toBe('GET');
    expect(JSON.parse(res.body ?? '').error.code).toBe('method_not_allowed');
  });

  it('answers a CORS preflight from an allowed origin for a declared route', async () => {
    const res = await call('OPTIONS', '/api/v1/health', {
      origin: 'https://app.example.com',
      'access-control-request-method': 'GET',
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET',
    });
  });

  it('refuses a preflight from an origin not on the allow-list', async () => {
    const res = await call('OPTIONS', '/api/v1/health', {
      origin: 'https://evil.example',
      'access-control-request-method': 'GET',
    });
    expect(res.statusCode).toBe(405);
    expect(res.headers?.['access-control-allow-origin']).toBeUndefined();
  });
});
