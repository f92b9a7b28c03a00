import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A handler's answer reduced to what goes on the wire. */
export interface WireResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

function isStructured(result: unknown): result is APIGatewayProxyStructuredResultV2 {
  return typeof result === 'object' && result !== null && 'statusCode' in result;
}

/**
 * Interprets a handler's return value the way API Gateway does for payload format 2.0: a structured result is
 * used as given (base64 bodies decoded, `cookies` become `Set-Cookie`); anything else is JSON with status 200.
 */
export function toWireResponse(result: unknown): WireResponse {
  if (!isStructured(result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(body, 'utf8'),
    };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  const raw = result.body ?? '';
  return {
    statusCode: result.statusCode ?? 200,
    headers,
    cookies: result.cookies ?? [],
    body: result.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8'),
  };
}

/** The API's JSON error shape, for the answers the gateway itself gives (413, 500) before or after a handler. */
export function gatewayError(
  statusCode: number,
  error: { code: string; message: string; requestId: string },
): WireResponse {
  const body = {
    error: { code: error.code, message: error.message, issues: [], request_id: error.requestId },
  };
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    cookies: [],
    body: Buffer.from(JSON.stringify(body), 'utf8'),
  };
}
