import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The parts of a Node `IncomingMessage` the event is built from (a plain object in unit tests). */
export interface GatewayRequest {
  method?: string | undefined;
  url?: string | undefined;
  httpVersion: string;
  /** Alternating names and values exactly as received, so duplicates survive. */
  rawHeaders: readonly string[];
  socket: { remoteAddress?: string | undefined };
}

export interface EventRouting {
  /** `GET /api/v1/meetings/{id}`, or `$default` when no route matched. */
  routeKey: string;
  pathParameters?: Record<string, string> | undefined;
}

const TEXTUAL_TYPES = [
  /^text\//,
  /^application\/(?:[\w.+-]+\+)?json\b/,
  /^application\/(?:[\w.+-]+\+)?xml\b/,
  /^application\/x-www-form-urlencoded\b/,
  /^application\/(?:javascript|ecmascript|graphql|yaml|x-yaml)\b/,
];

/** Whether a body of this content type is passed as UTF-8 text rather than base64 (missing type = binary). */
export function isTextualContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.trim().toLowerCase();
  return TEXTUAL_TYPES.some((pattern) => pattern.test(type));
}

/** Header names lower-cased, duplicates joined with commas; `cookie` moves to `cookies` as on API Gateway. */
export function collectHeaders(rawHeaders: readonly string[]): {
  headers: Record<string, string>;
  cookies: string[];
} {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((part) => part.trim())
          .filter((part) => part.length > 0),
      );
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return { headers, cookies };
}

function decodeQueryComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    // A malformed escape is passed through as sent rather than failing the whole request.
    return value;
  }
}

/** Query parameters decoded, duplicates joined with commas (payload 2.0 has no multi-value map). */
export function parseQueryString(rawQueryString: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeQueryComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeQueryComponent(eq === -1 ? '' : pair.slice(eq + 1));
    params[name] = params[name] === undefined ? value : `${params[name]},${value}`;
  }
  return params;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time` format: `12/Mar/2020:19:03:58 +0000`. */
export function formatRequestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** A request id shaped like API Gateway's (`JKJaXmPLvHcESHA=`). */
export function newGatewayRequestId(): string {
  return randomBytes(11).toString('base64');
}

/** Splits a request target into path and query the way API Gateway reports them (`rawPath`, `rawQueryString`). */
export function splitTarget(url: string | undefined): { rawPath: string; rawQueryString: string } {
  const target = url ?? '/';
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  return { rawPath: rawPath === '' ? '/' : rawPath, rawQueryString: q === -1 ? '' : target.slice(q + 1) };
}

/**
 * Builds the API Gateway HTTP API (payload format 2.0) event for one request, as AWS would deliver it: optional
 * fields (`cookies`, `queryStringParameters`, `pathParameters`, `body`) are absent rather than empty, and the
 * source IP is the socket's peer — never a client-supplied `X-Forwarded-For`.
 */
export function buildApiGatewayEvent(
  request: GatewayRequest,
  body: Buffer,
  routing: EventRouting,
  options: { now?: Date; requestId?: string } = {},
): APIGatewayProxyEventV2 {
  const now = options.now ?? new Date();
  const method = (request.method ?? 'GET').toUpperCase();
  const { rawPath, rawQueryString } = splitTarget(request.url);
  const { headers, cookies } = collectHeaders(request.rawHeaders);
  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const query = parseQueryString(rawQueryString);
  const textual = isTextualContentType(headers['content-type']);

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: routing.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: normaliseIp(request.socket.remoteAddress),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: options.requestId ?? newGatewayRequestId(),
      routeKey: routing.routeKey,
      stage: '$default',
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (routing.pathParameters && Object.keys(routing.pathParameters).length > 0) {
    event.pathParameters = { ...routing.pathParameters };
  }
  if (body.length > 0) {
    event.body = textual ? body.toString('utf8') : body.toString('base64');
    event.isBase64Encoded = !textual;
  }
  return event;
}

/** `::ffff:127.0.0.1` (IPv4-mapped, as Node reports dual-stack peers) → `127.0.0.1`, as API Gateway shows it. */
function normaliseIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
