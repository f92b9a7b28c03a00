import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type CrmHttpError,
  createCrmHttpClient,
} from '../../../../functions/integrations/crm/crm-http-client';

/** A bare server whose next answers the test scripts: each handler answers one request. */
type Script = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let script: Script[];
let received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
let baseUrl: string;
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
  const next = script.shift() ?? ((_, r) => json(r, 200, { ok: true }));
  next(req, res, body);
});
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  script = [];
  received = [];
});

const Ok = z.object({ ok: z.literal(true) });

function client(overrides: { timeoutMs?: number; maxAttempts?: number; now?: () => number } = {}) {
  const sleeps: number[] = [];
  const http = createCrmHttpClient({
    provider: 'wealthbox',
    timeoutMs: overrides.timeoutMs ?? 2000,
    maxAttempts: overrides.maxAttempts ?? 3,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...(overrides.now ? { now: overrides.now } : {}),
    errorCode: (body) => (body as { code?: string }).code,
  });
  return { http, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<CrmHttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the call to fail');
  return error as CrmHttpError;
}

const slow =
  (ms: number): Script =>
  (_req, res) => {
    setTimeout(() => {
      if (!res.destroyed) json(res, 200, { ok: true });
    }, ms);
  };

describe('CRM HTTP client over a real socket', () => {
  it('sends JSON with content-type and accept, and the query string', async () => {
    const { http } = client();
    await http.request({
      method: 'POST',
      url: `${baseUrl}/v1/notes`,
      query: { a: 'x y', b: undefined, n: 2 },
      json: { k: 1 },
      schema: Ok,
    });
    expect(received[0]).toMatchObject({ method: 'POST', url: '/v1/notes?a=x+y&n=2', body: '{"k":1}' });
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers.accept).toBe('application/json');
  });

  it('sends a form body url-encoded', async () => {
    const { http } = client();
    await http.request({ method: 'POST', url: `${baseUrl}/token`, form: { a: 'b&c', d: '=' }, schema: Ok });
    expect(received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(received[0]?.body).toBe('a=b%26c&d=%3D');
  });

  it('times out a GET per attempt and retries it, then reports unavailable', async () => {
    script = [slow(2000), slow(2000)];
    const { http, sleeps } = client({ timeoutMs: 300, maxAttempts: 2 });
    const error = await failure(http.request({ method: 'GET', url: `${baseUrl}/v1/me`, schema: Ok }));
    expect(error).toMatchObject({ kind: 'unavailable', attempts: 2 });
    expect(error.message).toBe('wealthbox: GET /v1/me timed out after 300 ms after 2 attempts');
    expect(received).toHaveLength(2);
    expect(sleeps).toEqual([500]);
  });

  it('does not retry a POST that timed out: the CRM may have created the record', async () => {
    script = [slow(2000)];
    const { http } = client({ timeoutMs: 300 });
    const error = await failure(
      http.request({ method: 'POST', url: `${baseUrl}/v1/tasks`, json: {}, schema: Ok }),
    );
    expect(error).toMatchObject({ kind: 'unavailable', attempts: 1 });
    expect(received).toHaveLength(1);
  });

  it('retries a POST whose connection was refused (nothing was sent)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const sleeps: number[] = [];
    const http = createCrmHttpClient({
      provider: 'redtail',
      timeoutMs: 500,
      maxAttempts: 2,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    const error = await failure(
      http.request({ method: 'POST', url: `http://127.0.0.1:${port}/activities`, json: {}, schema: Ok }),
    );
    expect(error).toMatchObject({ provider: 'redtail', kind: 'unavailable', attempts: 2 });
    expect(error.message).toContain('ECONNREFUSED');
    expect(sleeps).toEqual([500]);
  });

  it('honours an HTTP-date Retry-After against the injected clock', async () => {
    const now = Date.parse('2026-12-02T05:00:00Z');
    script = [(_req, res) => json(res, 429, {}, { 'retry-after': 'Wed, 02 Dec 2026 05:00:12 GMT' })];
    const { http, sleeps } = client({ now: () => now });
    await http.request({ method: 'GET', url: `${baseUrl}/x`, schema: Ok });
    expect(sleeps).toEqual([12_000]);
  });

  it('backs off when a 429 has no usable Retry-After', async () => {
    script = [
      (_req, res) => json(res, 429, {}),
      (_req, res) => json(res, 429, {}, { 'retry-after': 'soon' }),
    ];
    const { http, sleeps } = client();
    await http.request({ method: 'GET', url: `${baseUrl}/x`, schema: Ok });
    expect(sleeps).toEqual([500, 1000]);
  });

  it('waits as long as a 503 Retry-After asks, and backs off on a bare 500', async () => {
    script = [(_req, res) => json(res, 503, {}, { 'retry-after': '4' }), (_req, res) => json(res, 500, {})];
    const { http, sleeps } = client();
    await http.request({ method: 'GET', url: `${baseUrl}/x`, schema: Ok });
    expect(sleeps).toEqual([4000, 1000]);
  });

  it('does not follow a redirect (tokens must not travel to another host)', async () => {
    script = [(_req, res) => json(res, 302, {}, { location: 'http://127.0.0.1:9/steal' })];
    const { http } = client();
    const error = await failure(http.request({ method: 'GET', url: `${baseUrl}/x`, schema: Ok }));
    expect(error).toMatchObject({ kind: 'rejected', status: 302 });
    expect(received).toHaveLength(1);
  });

  it('a 2xx that is not JSON is an unexpected response naming the body', async () => {
    script = [
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>login</html>');
      },
    ];
    const { http } = client();
    const error = await failure(http.request({ method: 'GET', url: `${baseUrl}/x`, schema: Ok }));
    expect(error).toMatchObject({ kind: 'unexpected_response', field: '(body)', status: 200 });
  });

  it('puts a vendor error code in the message, but never free text, the query or the body', async () => {
    script = [
      (_req, res) => json(res, 422, { code: 'INVALID_FIELD', message: 'Margaret Okafor is not allowed' }),
      (_req, res) => json(res, 400, { code: 'Margaret Okafor is not allowed' }),
    ];
    const { http } = client();
    const first = await failure(
      http.request({ method: 'GET', url: `${baseUrl}/v1/contacts`, query: { name: 'Okafor' }, schema: Ok }),
    );
    expect(first.message).toBe('wealthbox: GET /v1/contacts answered 422 (INVALID_FIELD)');
    expect(first).toMatchObject({ kind: 'rejected', vendorCode: 'INVALID_FIELD' });
    const second = await failure(http.request({ method: 'GET', url: `${baseUrl}/v1/contacts`, schema: Ok }));
    expect(second.message).toBe('wealthbox: GET /v1/contacts answered 400');
  });

  it('403 is auth and is not retried', async () => {
    script = [(_req, res) => json(res, 403, { message: 'User Forbidden from viewing contacts' })];
    const { http } = client();
    await expect(http.request({ method: 'GET', url: `${baseUrl}/x`, schema: Ok })).rejects.toMatchObject({
      kind: 'auth',
      status: 403,
    });
    expect(received).toHaveLength(1);
  });
});
