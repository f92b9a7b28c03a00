import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError } from '../../errors';
import { mapError } from '../error-status';
import { jsonResponse } from '../json-response';
import type { EdgeContext } from './request-context';

/** Turns every error into the API's JSON error shape; 5xx keep the whole story in the log only. */
export function errorResponder(): MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Error,
  EdgeContext
> {
  return {
    onError: (request) => {
      const requestId = request.context.edge?.requestId ?? request.context.awsRequestId;
      const mapped = mapError(request.error, requestId);
      const log = request.context.edge?.log;
      if (mapped.status >= 500) {
        log?.error('request failed', { error: request.error });
      } else {
        const code = request.error instanceof AppError ? request.error.code : 'unknown';
        log?.warn('request rejected', { code, issues: mapped.body.error.issues });
      }
      request.response = jsonResponse(mapped.status, mapped.body, mapped.headers);
    },
  };
}
