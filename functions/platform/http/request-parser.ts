import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import {
  MalformedBodyError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors';
import { issuesFromZod } from '../validation-issues';
import type { RouteDefinition } from './route';

export interface ParsedRequest {
  params: unknown;
  query: unknown;
  body: unknown;
}

/** Byte length of the body as the client sent it (API Gateway base64-encodes non-text bodies). */
export function bodyByteLength(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): number {
  if (event.body === undefined || event.body === null) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').byteLength : Buffer.byteLength(event.body);
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const mediaType = value.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType?.endsWith('+json') ?? false);
}

function validate(schema: z.ZodType, value: unknown, location: 'params' | 'query' | 'body'): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    `The request ${location} is invalid.`,
    issuesFromZod(result.error, { prefix: location }),
    result.error,
  );
}

function parseJsonBody(event: APIGatewayProxyEventV2): unknown {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (raw.trim() === '') {
    throw new ValidationError('The request body is required.', [
      { path: 'body', message: 'a JSON body is required' },
    ]);
  }
  if (!isJsonContentType(event.headers['content-type'])) {
    throw new UnsupportedMediaTypeError(event.headers['content-type'] ?? '(none)');
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'not JSON';
    throw new MalformedBodyError(`The request body is not valid JSON: ${detail}`, error);
  }
}

/**
 * Applies a route's contract to an API Gateway v2 event: size limit first (before any parsing), then the JSON
 * body, then zod on params, query and body. Throws the named errors the edge maps to 400/413/415.
 */
export function parseRequest(
  event: APIGatewayProxyEventV2,
  route: RouteDefinition,
  maxBodyBytes: number,
): ParsedRequest {
  const size = bodyByteLength(event);
  if (size > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes, size);

  const { params, query, body, bodyFromParams = [] } = route.request;
  const parsedParams = (params ? validate(params, event.pathParameters ?? {}, 'params') : {}) as Record<
    string,
    unknown
  >;
  return {
    params: parsedParams,
    query: query ? validate(query, event.queryStringParameters ?? {}, 'query') : {},
    body: body
      ? validate(body, withPathParams(bodyOrUndefined(event, body), parsedParams, bodyFromParams), 'body')
      : undefined,
  };
}

/** The body with the named path parameters it lacks, when it is a JSON object; anything else as it is. */
function withPathParams(body: unknown, params: Record<string, unknown>, names: readonly string[]): unknown {
  if (names.length === 0 || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const fromPath = names
    .filter((name) => !(name in body) && name in params)
    .map((name) => [name, params[name]]);
  return { ...Object.fromEntries(fromPath), ...body };
}

/**
 * The JSON body; for a route whose body schema accepts `undefined` (optional), an empty body is `undefined`
 * whatever its content type: Microsoft Graph's validation handshake POSTs an empty text/plain body to the same
 * URL its JSON notifications go to.
 */
function bodyOrUndefined(
  event: APIGatewayProxyEventV2,
  schema: NonNullable<RouteDefinition['request']['body']>,
) {
  if (bodyByteLength(event) === 0 && schema.safeParse(undefined).success) return undefined;
  return parseJsonBody(event);
}
