import { describe, expect, it } from 'vitest';
import {
  buildApiGatewayEvent,
  collectHeaders,
  formatRequestTime,
  type GatewayRequest,
  isTextualContentType,
  parseQueryString,
} from '../../../lib/local/api-gateway-event';

function request(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: 'GET',
    url: '/api/v1/health',
    httpVersion: '1.1',
    rawHeaders: ['Host', '127.0.0.1:3000', 'User-Agent', 'curl/8'],
    socket: { remoteAddress: '127.0.0.1' },
    ...overrides,
  };
}

const now = new Date(Date.UTC(2020, 2, 12, 19, 3, 58));

describe('buildApiGatewayEvent', () => {
  it('builds a payload 2.0 event with the route key, request context and no absent fields', () => {
    const event = buildApiGatewayEvent(
      request(),
      Buffer.alloc(0),
      { routeKey: 'GET /api/v1/health' },
      {
        now,
        requestId: 'JKJaXmPLvHcESHA=',
      },
    );
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'GET /api/v1/health',
      rawPath: '/api/v1/health',
      rawQueryString: '',
      headers: { host: '127.0.0.1:3000', 'user-agent': 'curl/8' },
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: '127.0.0.1',
        domainPrefix: '127',
        http: {
          method: 'GET',
          path: '/api/v1/health',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8',
        },
        requestId: 'JKJaXmPLvHcESHA=',
        routeKey: 'GET /api/v1/health',
        stage: '$default',
        time: '12/Mar/2020:19:03:58 +0000',
        timeEpoch: now.getTime(),
      },
      isBase64Encoded: false,
    });
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
  });

  it('lower-cases header names and joins duplicates with commas', () => {
    const event = buildApiGatewayEvent(
      request({ rawHeaders: ['X-Trace', 'a', 'x-trace', 'b', 'Accept', 'application/json'] }),
      Buffer.alloc(0),
      { routeKey: '$default' },
    );
    expect(event.headers).toEqual({ 'x-trace': 'a,b', accept: 'application/json' });
  });

  it('moves cookies out of the headers into the cookies array', () => {
    const event = buildApiGatewayEvent(
      request({ rawHeaders: ['Cookie', 'a=1; b=2', 'cookie', 'c=3'] }),
      Buffer.alloc(0),
      { routeKey: '$default' },
    );
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('decodes query parameters and joins duplicates with commas, keeping the raw query string', () => {
    const event = buildApiGatewayEvent(request({ url: '/x?tag=a&tag=b%20c&q=1+2&flag' }), Buffer.alloc(0), {
      routeKey: '$default',
    });
    expect(event.rawQueryString).toBe('tag=a&tag=b%20c&q=1+2&flag');
    expect(event.queryStringParameters).toEqual({ tag: 'a,b c', q: '1 2', flag: '' });
  });

  it('passes path parameters through', () => {
    const event = buildApiGatewayEvent(request({ url: '/api/v1/meetings/m%201' }), Buffer.alloc(0), {
      routeKey: 'GET /api/v1/meetings/{id}',
      pathParameters: { id: 'm 1' },
    });
    expect(event.pathParameters).toEqual({ id: 'm 1' });
    expect(event.rawPath).toBe('/api/v1/meetings/m%201');
  });

  it('passes a JSON body as UTF-8 text', () => {
    const body = Buffer.from('{"name":"Zoë"}');
    const event = buildApiGatewayEvent(
      request({ method: 'POST', rawHeaders: ['Content-Type', 'application/json; charset=utf-8'] }),
      body,
      { routeKey: '$default' },
    );
    expect(event.body).toBe('{"name":"Zoë"}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('base64-encodes a binary body and sets isBase64Encoded', () => {
    const body = Buffer.from([0, 159, 146, 150]);
    const event = buildApiGatewayEvent(
      request({ method: 'PUT', rawHeaders: ['Content-Type', 'audio/mpeg'] }),
      body,
      { routeKey: '$default' },
    );
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(body);
  });

  it('takes sourceIp from the socket, never from X-Forwarded-For', () => {
    const event = buildApiGatewayEvent(
      request({
        rawHeaders: ['X-Forwarded-For', '203.0.113.7'],
        socket: { remoteAddress: '::ffff:10.0.0.5' },
      }),
      Buffer.alloc(0),
      { routeKey: '$default' },
    );
    expect(event.requestContext.http.sourceIp).toBe('10.0.0.5');
    expect(event.headers['x-forwarded-for']).toBe('203.0.113.7');
  });

  it('upper-cases the method and reports the HTTP version as the protocol', () => {
    const event = buildApiGatewayEvent(request({ method: 'patch', httpVersion: '2.0' }), Buffer.alloc(0), {
      routeKey: '$default',
    });
    expect(event.requestContext.http.method).toBe('PATCH');
    expect(event.requestContext.http.protocol).toBe('HTTP/2.0');
  });
});

describe('event helpers', () => {
  it.each([
    ['application/json', true],
    ['application/problem+json', true],
    ['text/csv; charset=utf-8', true],
    ['application/x-www-form-urlencoded', true],
    ['application/xml', true],
    ['application/octet-stream', false],
    ['multipart/form-data; boundary=x', false],
    ['image/png', false],
    [undefined, false],
  ])('treats %s as textual: %s', (type, textual) => {
    expect(isTextualContentType(type)).toBe(textual);
  });

  it('keeps a malformed percent escape as sent', () => {
    expect(parseQueryString('a=%E0%A4%A&b=ok')).toEqual({ a: '%E0%A4%A', b: 'ok' });
  });

  it('ignores a dangling header name', () => {
    expect(collectHeaders(['A', '1', 'B']).headers).toEqual({ a: '1' });
  });

  it('formats times like API Gateway', () => {
    expect(formatRequestTime(new Date(Date.UTC(2024, 0, 5, 3, 4, 5)))).toBe('05/Jan/2024:03:04:05 +0000');
  });
});
