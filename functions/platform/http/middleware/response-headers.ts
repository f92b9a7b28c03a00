import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { corsHeaders } from '../cors';
import { SECURITY_HEADERS } from '../security-headers';
import type { EdgeContext, EdgeRequest } from './request-context';

/** Security headers, CORS for allow-listed origins and the request id, on success and error answers alike. */
export function responseHeaders(
  allowedOrigins: readonly string[],
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, EdgeContext> {
  const apply = (request: EdgeRequest) => {
    if (!request.response) return;
    request.response.headers = {
      ...SECURITY_HEADERS,
      ...corsHeaders(request.event.headers.origin, allowedOrigins),
      ...request.response.headers,
      'x-request-id': request.context.edge?.requestId ?? request.context.awsRequestId,
    };
  };
  return { after: apply, onError: apply };
}
