import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** A minimal but faithful API Gateway v2 (payload 2.0) event for unit tests. */
export function apiEvent(
  method: string,
  path: string,
  options: {
    routeKey?: string;
    body?: string;
    headers?: Record<string, string>;
    query?: Record<string, string>;
    pathParameters?: Record<string, string>;
    base64?: boolean;
  } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: options.routeKey ?? `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'vitest' },
      requestId: 'req-123',
      routeKey: options.routeKey ?? `${method} ${path}`,
      stage: '$default',
      time: '23/Nov/2026:12:00:00 +0000',
      timeEpoch: 1_795_435_200_000,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: options.base64 ?? false,
  };
}

export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
    memoryLimitInMB: '256',
    awsRequestId: 'aws-req-1',
    logGroupName: '/aws/lambda/test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
