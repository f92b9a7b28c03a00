import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { resetConfigForTests } from '../../../functions/platform/config/config';
import { InvalidCursorError, NotFoundError } from '../../../functions/platform/errors';
import { createHttpHandler, type EdgeHandler } from '../../../functions/platform/http/http-handler';
import { defineRoute } from '../../../functions/platform/http/route';
import { apiEvent, lambdaContext } from '../../support/api-event';
import { applyTestEnv } from '../../support/test-env';

const routes = [
  defineRoute({
    id: 'createThing',
    method: 'POST',
    path: '/api/v1/things',
    summary: 'create',
    tags: ['test'],
    auth: 'public',
    rateLimit: 'standard',
    request: {
      body: z.object({
        name: z.string().min(1),
        amount: z.number().nonnegative(),
        nested: z.object({ on: z.boolean() }),
      }),
    },
    status: 201,
    response: z.object({ id: z.string(), name: z.string() }),
  }),
  defineRoute({
    id: 'getThing',
    method: 'GET',
    path: '/api/v1/things/{thingId}',
    summary: 'get',
    tags: ['test'],
    auth: 'public',
    rateLimit: 'standard',
    request: { params: z.object({ thingId: z.uuid() }), query: z.object({ cursor: z.string().optional() }) },
    status: 200,
    response: z.object({ id: z.string() }),
  }),
] as const;

const behaviour = { fail: undefined as Error | undefined };
let handler: EdgeHandler;
const logged: string[] = [];

beforeAll(() => {
  applyTestEnv({ HTTP_MAX_BODY_BYTES: '64', LOG_LEVEL: 'info' });
  resetConfigForTests();
  vi.spyOn(process.stdout, 'write').mockImplementation((line) => {
    logged.push(String(line));
    return true;
  });
  handler = createHttpHandler('test', routes, {
    // Returns an extra field the contract does not name: it must be stripped.
    createThing: async ({ body }) => ({ body: { id: 'thing-1', name: body.name, secret: 'x' } as never }),
    getThing: async ({ params, query }) => {
      if (behaviour.fail) throw behaviour.fail;
      if (query.cursor === 'bad') throw new InvalidCursorError();
      return { body: { id: params.thingId } };
    },
  });
});

afterEach(() => {
  behaviour.fail = undefined;
  logged.length = 0;
});

const invoke = (event: ReturnType<typeof apiEvent>) => handler(event, lambdaContext());
const json = (body: string | undefined) => JSON.parse(body ?? 'null');

describe('HTTP edge', () => {
  it('answers a valid request with the contract status and only the contract fields', async () => {
    const res = await invoke(
      apiEvent('POST', '/api/v1/things', { body: '{"name":"a","amount":1,"nested":{"on":true}}' }),
    );
    expect(res.statusCode).toBe(201);
    expect(json(res.body)).toEqual({ id: 'thing-1', name: 'a' });
  });

  it('rejects a body that fails its schema with 400 naming each field', async () => {
    const res = await invoke(
      apiEvent('POST', '/api/v1/things', { body: '{"name":"","amount":-1,"nested":{}}' }),
    );
    expect(res.statusCode).toBe(400);
    const body = json(res.body);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.request_id).toBe('req-123');
    expect(body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'body.amount',
      'body.name',
      'body.nested.on',
    ]);
  });

  it('rejects malformed JSON with 400 malformed_body', async () => {
    const res = await invoke(apiEvent('POST', '/api/v1/things', { body: '{"name":' }));
    expect(res.statusCode).toBe(400);
    expect(json(res.body).error).toMatchObject({ code: 'malformed_body', issues: [{ path: 'body' }] });
  });

  it('rejects a missing body with 400', async () => {
    const res = await invoke(apiEvent('POST', '/api/v1/things'));
    expect(res.statusCode).toBe(400);
    expect(json(res.body).error.issues).toEqual([{ path: 'body', message: 'a JSON body is required' }]);
  });

  it('rejects a body over the configured limit with 413 before parsing it', async () => {
    const res = await invoke(apiEvent('POST', '/api/v1/things', { body: `{"name":"${'x'.repeat(100)}"` }));
    expect(res.statusCode).toBe(413);
    expect(json(res.body).error.code).toBe('payload_too_large');
  });

  it('measures base64 bodies by their decoded size', async () => {
    const body = Buffer.from('{"name":"a","amount":1,"nested":{"on":true}}').toString('base64');
    const res = await invoke(apiEvent('POST', '/api/v1/things', { body, base64: true }));
    expect(res.statusCode).toBe(201);
  });

  it('rejects a non-JSON content type with 415', async () => {
    const res = await invoke(
      apiEvent('POST', '/api/v1/things', {
        body: 'name=a',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(res.statusCode).toBe(415);
  });

  it('validates path parameters and names them', async () => {
    const res = await invoke(
      apiEvent('GET', '/api/v1/things/nope', {
        routeKey: 'GET /api/v1/things/{thingId}',
        pathParameters: { thingId: 'nope' },
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(json(res.body).error.issues[0].path).toBe('params.thingId');
  });

  it('maps named errors centrally: invalid cursor → 400, not found → 404', async () => {
    const id = '6f1c2b9e-8a4d-4c1e-9f3a-2b7d5e8c1a00';
    const event = () =>
      apiEvent('GET', `/api/v1/things/${id}`, {
        routeKey: 'GET /api/v1/things/{thingId}',
        pathParameters: { thingId: id },
        query: { cursor: 'bad' },
      });
    expect((await invoke(event())).statusCode).toBe(400);
    behaviour.fail = new NotFoundError();
    const res = await invoke(event());
    expect(res.statusCode).toBe(404);
    expect(json(res.body).error.code).toBe('not_found');
  });

  it('answers an unexpected error with 500, a generic message and the request id; the log has the cause, scrubbed', async () => {
    const id = '6f1c2b9e-8a4d-4c1e-9f3a-2b7d5e8c1a00';
    behaviour.fail = new Error('database exploded for jane@example.com');
    const res = await invoke(
      apiEvent('GET', `/api/v1/things/${id}`, {
        routeKey: 'GET /api/v1/things/{thingId}',
        pathParameters: { thingId: id },
      }),
    );
    expect(res.statusCode).toBe(500);
    expect(json(res.body)).toEqual({
      error: { code: 'internal_error', message: 'Internal error.', issues: [], request_id: 'req-123' },
    });
    const errorLine = logged.map((l) => JSON.parse(l)).find((l) => l.message === 'request failed');
    expect(errorLine.error.message).toBe('database exploded for [REDACTED_EMAIL]');
    expect(errorLine.request_id).toBe('req-123');
  });

  it('answers a route key it does not serve with 404 in the same shape', async () => {
    const res = await invoke(apiEvent('GET', '/api/v1/elsewhere'));
    expect(res.statusCode).toBe(404);
    expect(json(res.body).error.code).toBe('route_not_found');
  });

  it('sets security headers and the request id on success and on error', async () => {
    for (const event of [
      apiEvent('POST', '/api/v1/things', { body: '{"name":"a","amount":1,"nested":{"on":true}}' }),
      apiEvent('POST', '/api/v1/things', { body: '{' }),
    ]) {
      const res = await invoke(event);
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'strict-transport-security': expect.stringContaining('max-age='),
        'cache-control': 'no-store',
        'x-request-id': 'req-123',
        'content-type': 'application/json; charset=utf-8',
      });
    }
  });

  it('allows CORS only for allow-listed origins', async () => {
    const body = '{"name":"a","amount":1,"nested":{"on":true}}';
    const allowed = await invoke(
      apiEvent('POST', '/api/v1/things', { body, headers: { origin: 'https://app.example.com' } }),
    );
    expect(allowed.headers?.['access-control-allow-origin']).toBe('https://app.example.com');
    const refused = await invoke(
      apiEvent('POST', '/api/v1/things', { body, headers: { origin: 'https://evil.example' } }),
    );
    expect(refused.headers?.['access-control-allow-origin']).toBeUndefined();
  });

  it('logs a correlation id: the caller’s when well-formed, else the request id', async () => {
    const body = '{"name":"a","amount":1,"nested":{"on":true}}';
    await invoke(apiEvent('POST', '/api/v1/things', { body, headers: { 'x-correlation-id': 'corr-42' } }));
    await invoke(
      apiEvent('POST', '/api/v1/things', { body, headers: { 'x-correlation-id': 'bad id\nwith newline' } }),
    );
    const access = logged.map((l) => JSON.parse(l)).filter((l) => l.message === 'request completed');
    expect(access.map((l) => l.correlation_id)).toEqual(['corr-42', 'req-123']);
    expect(access[0]).toMatchObject({ status: 201, route: 'POST /api/v1/things' });
  });
});
