import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from '../../logging/logger';

export interface EdgeState {
  requestId: string;
  correlationId: string;
  startedAt: number;
  log: Logger;
}

export type EdgeContext = Context & { edge: EdgeState };

export type EdgeRequest = Request<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Error,
  EdgeContext
>;

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Sets up the request's identity: API Gateway's request id, a correlation id (the caller's `x-correlation-id`
 * when well-formed, else the request id) and a logger carrying both. Logs one access line when the answer is out.
 */
export function requestContext(
  baseLogger: Logger,
  group: string,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, EdgeContext> {
  const logAccess = (request: EdgeRequest) => {
    const edge = request.context.edge;
    if (!edge) return;
    const status = request.response?.statusCode ?? 500;
    edge.log[status >= 500 ? 'error' : 'info']('request completed', {
      status,
      method: request.event.requestContext.http.method,
      route: request.event.routeKey,
      duration_ms: Math.round((performance.now() - edge.startedAt) * 100) / 100,
    });
  };
  return {
    before: (request) => {
      const requestId = request.event.requestContext.requestId || request.context.awsRequestId;
      const offered = request.event.headers['x-correlation-id'];
      const correlationId = offered && CORRELATION_ID.test(offered) ? offered : requestId;
      request.context.edge = {
        requestId,
        correlationId,
        startedAt: performance.now(),
        log: baseLogger.child({ group, request_id: requestId, correlation_id: correlationId }),
      };
    },
    after: logAccess,
    onError: logAccess,
  };
}
