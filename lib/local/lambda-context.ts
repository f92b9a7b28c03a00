import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface LambdaContextOptions {
  /** Route group name; the function is called `smartad-local-<name>`. */
  name: string;
  memoryMb: number;
  timeoutSeconds: number;
  region: string;
  /** Injectable for tests. */
  clock?: () => number;
}

/**
 * A Lambda `Context` for an in-process invocation: the same fields the Node.js runtime provides, with a deadline
 * taken from the function's configured timeout so `getRemainingTimeInMillis()` means what it does on AWS.
 */
export function createLambdaContext(options: LambdaContextOptions): Context {
  const clock = options.clock ?? Date.now;
  const deadline = clock() + options.timeoutSeconds * 1000;
  const functionName = `smartad-local-${options.name}`;
  const unsupported = (what: string) => () => {
    throw new Error(`context.${what}() is not supported; return a value or throw instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(options.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
