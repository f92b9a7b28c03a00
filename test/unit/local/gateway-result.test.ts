import { describe, expect, it } from 'vitest';
import { gatewayError, toWireResponse } from '../../../lib/local/gateway-result';

describe('toWireResponse', () => {
  it('uses a structured result as given, lower-casing header names', () => {
    const wire = toWireResponse({ statusCode: 201, headers: { 'X-Count': 3 }, body: 'hi' });
    expect(wire).toEqual({
      statusCode: 201,
      headers: { 'x-count': '3' },
      cookies: [],
      body: Buffer.from('hi'),
    });
  });

  it('infers 200 JSON for a result without statusCode, as payload 2.0 does', () => {
    const wire = toWireResponse({ ok: true });
    expect(wire.statusCode).toBe(200);
    expect(wire.headers['content-type']).toBe('application/json');
    expect(wire.body.toString()).toBe('{"ok":true}');
  });

  it('passes a string result through as the body', () => {
    expect(toWireResponse('plain').body.toString()).toBe('plain');
  });

  it('defaults the status of a structured result without a body to 200 and an empty body', () => {
    const wire = toWireResponse({ statusCode: undefined, headers: {} } as never);
    expect(wire.statusCode).toBe(200);
  });
});

describe('gatewayError', () => {
  it('uses the API error shape', () => {
    const wire = gatewayError(500, { code: 'internal_error', message: 'Internal error.', requestId: 'r1' });
    expect(JSON.parse(wire.body.toString())).toEqual({
      error: { code: 'internal_error', message: 'Internal error.', issues: [], request_id: 'r1' },
    });
    expect(wire.headers['content-type']).toMatch(/^application\/json/);
  });
});
