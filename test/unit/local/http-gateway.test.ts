import { Readable } from 'node:stream';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineRoute } from '../../../functions/platform/http/route';
import type { Topology } from '../../../functions/topology';
import type { HttpFunction } from '../../../lib/local/handler-loader';
import { createGatewayDispatch } from '../../../lib/local/http-gateway';

const route = (method: 'GET' | 'POST', path: `/${string}`, id: string) =>
  defineRoute({
    id,
    method,
    path,
    summary: id,
    tags: [],
    auth: 'public',
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: z.unknown(),
  });

const topology: Topology = {
  routeGroups: [
    {
      name: 'meetings',
      handler: 'functions/http/meetings.ts',
      description: 'test',
      routes: [
        route('GET', '/api/v1/meetings/{id}', 'getMeeting'),
        route('POST', '/api/v1/meetings', 'createMeeting'),
      ],
      memoryMb: 512,
      timeoutSeconds: 2,
      grants: { table: 'readwrite', keyring: true, signingKey: false },
    },
  ],
  fallback: {
    name: 'fallback',
    handler: 'functions/http/fallback.ts',
    description: 'test',
    memoryMb: 256,
    timeoutSeconds: 10,
  },
  pipelineTasks: [],
  eventSources: [],
  schedules: [],
};

function fakeRequest(method: string, url: string, headers: Record<string, string> = {}) {
  const rawHeaders = Object.entries(headers).flat();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method,
    url,
    httpVersion: '1.1',
    rawHeaders,
    headers: lower,
    socket: { remoteAddress: '127.0.0.1' },
  };
}

function setup(handlers: Record<string, HttpFunction>) {
  const calls: { module: string; event: APIGatewayProxyEventV2; context: Context }[] = [];
  const reportError = vi.fn();
  const dispatch = createGatewayDispatch({
    topology,
    region: 'us-east-1',
    reportError,
    loadHandler: async (module) => async (event, context) => {
      calls.push({ module, event, context });
      const handler = handlers[module];
      if (!handler) throw new Error(`no fake for ${module}`);
      return handler(event, context);
    },
  });
  return { dispatch, calls, reportError };
}

const ok: HttpFunction = async () => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: '{}',
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createGatewayDispatch', () => {
  it('invokes the route group with the route key, path parameters and a Lambda context', async () => {
    const { dispatch, calls } = setup({ 'functions/http/meetings.ts': ok });
    const response = await dispatch(fakeRequest('GET', '/api/v1/meetings/m-1'), Readable.from([]));
    expect(response.statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.module).toBe('functions/http/meetings.ts');
    expect(call?.event.routeKey).toBe('GET /api/v1/meetings/{id}');
    expect(call?.event.pathParameters).toEqual({ id: 'm-1' });
    expect(call?.context.functionName).toBe('smartad-local-meetings');
    expect(call?.context.memoryLimitInMB).toBe('512');
    expect(response.headers['apigw-requestid']).toBe(call?.event.requestContext.requestId);
  });

  it('sends unmatched paths and wrong methods to the fallback with routeKey $default', async () => {
    const fallback: HttpFunction = async () => ({ statusCode: 404, body: '{}' });
    const { dispatch, calls } = setup({ 'functions/http/fallback.ts': fallback });
    await dispatch(fakeRequest('GET', '/api/v1/nothing'), Readable.from([]));
    await dispatch(fakeRequest('DELETE', '/api/v1/meetings'), Readable.from([]));
    expect(calls.map((c) => [c.module, c.event.routeKey])).toEqual([
      ['functions/http/fallback.ts', '$default'],
      ['functions/http/fallback.ts', '$default'],
    ]);
    expect(calls[0]?.context.functionName).toBe('smartad-local-fallback');
  });

  it('answers 413 in the API error shape when Content-Length exceeds the limit, without invoking anything', async () => {
    const { dispatch, calls } = setup({});
    const response = await dispatch(
      fakeRequest('POST', '/api/v1/meetings', { 'Content-Length': String(10 * 1024 * 1024 + 1) }),
      Readable.from([]),
    );
    expect(response.statusCode).toBe(413);
    const body = JSON.parse(response.body.toString());
    expect(body).toEqual({
      error: {
        code: 'payload_too_large',
        message: expect.any(String),
        issues: [],
        request_id: expect.any(String),
      },
    });
    expect(body.error.request_id).toBe(response.headers['apigw-requestid']);
    expect(calls).toHaveLength(0);
  });

  it('answers 413 for a streamed body that passes the limit', async () => {
    const { calls } = setup({});
    const dispatch = createGatewayDispatch({
      topology,
      region: 'us-east-1',
      maxBodyBytes: 10,
      loadHandler: async () => ok,
    });
    const response = await dispatch(
      fakeRequest('POST', '/api/v1/meetings'),
      Readable.from([Buffer.alloc(6), Buffer.alloc(6), Buffer.alloc(6)]),
    );
    expect(response.statusCode).toBe(413);
    expect(calls).toHaveLength(0);
  });

  it('answers a bare 500 with the request id when a handler throws, and reports the stack', async () => {
    const { dispatch, reportError } = setup({
      'functions/http/meetings.ts': async () => {
        throw new Error('secret detail');
      },
    });
    const response = await dispatch(fakeRequest('GET', '/api/v1/meetings/x'), Readable.from([]));
    expect(response.statusCode).toBe(500);
    const body = JSON.parse(response.body.toString());
    expect(body.error).toMatchObject({ code: 'internal_error', message: 'Internal error.' });
    expect(response.body.toString()).not.toContain('secret detail');
    expect(reportError).toHaveBeenCalledWith(
      expect.stringContaining('functions/http/meetings.ts'),
      expect.any(Error),
    );
  });

  it('answers 500 when a handler overruns its timeout, as a Lambda timeout would', async () => {
    vi.useFakeTimers();
    const { dispatch } = setup({ 'functions/http/meetings.ts': () => new Promise(() => {}) });
    const pending = dispatch(fakeRequest('GET', '/api/v1/meetings/x'), Readable.from([]));
    await vi.advanceTimersByTimeAsync(2_001);
    const response = await pending;
    expect(response.statusCode).toBe(500);
  });

  it('writes cookies as separate Set-Cookie values and decodes base64 bodies', async () => {
    const { dispatch } = setup({
      'functions/http/meetings.ts': async () => ({
        statusCode: 200,
        cookies: ['a=1', 'b=2'],
        isBase64Encoded: true,
        body: Buffer.from([1, 2, 3]).toString('base64'),
      }),
    });
    const response = await dispatch(fakeRequest('GET', '/api/v1/meetings/x'), Readable.from([]));
    expect(response.cookies).toEqual(['a=1', 'b=2']);
    expect([...response.body]).toEqual([1, 2, 3]);
  });

  it('passes the request body to the handler', async () => {
    const { dispatch, calls } = setup({ 'functions/http/meetings.ts': ok });
    await dispatch(
      fakeRequest('POST', '/api/v1/meetings', { 'Content-Type': 'application/json' }),
      Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]),
    );
    expect(calls[0]?.event.body).toBe('{"a":1}');
  });
});
