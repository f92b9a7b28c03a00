import type { Context } from 'aws-lambda';
import { config } from '../config/config';
import { functionLogger } from '../logging/function-logger';
import type { Logger } from '../logging/logger';

/** What the Lambda runtime passes every invocation; the local host passes the same shape (tests may pass none). */
export type InvocationContext = Partial<Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>>;

/**
 * The per-invocation logger of a non-HTTP handler: the function's base logger with the Lambda request id and
 * whether this invocation paid the cold start (the first one of the instance). `next()` is called once per
 * invocation.
 */
export function invocationLogs(name: string, log?: Logger) {
  const base = log ?? functionLogger(config(), name);
  let coldStart = true;
  return {
    base,
    next(context: InvocationContext | undefined, keys: Record<string, unknown> = {}): Logger {
      const child = base.child({
        requestId: context?.awsRequestId ?? 'local',
        coldStart,
        ...keys,
      });
      coldStart = false;
      return child;
    },
  };
}
