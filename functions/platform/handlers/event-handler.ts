import type * as z from 'zod';
import type { Logger } from '../logging/logger';
import { type InvocationContext, invocationLogs } from './invocation';

export interface EventHandlerOptions<E extends z.ZodType, D> {
  /** The function's name in the topology (`upload-received`, `audit-chainer`). */
  name: string;
  /** The event's shape (EventBridge's S3 Object Created, a table stream batch). */
  event: E;
  /** The family composition's part this function uses; called once per cold start. */
  deps: (log: Logger) => D;
  log?: Logger;
  run(event: z.infer<E>, deps: D, log: Logger): Promise<void>;
}

/**
 * The handler of an S3/EventBridge or table-stream event: validates the event, builds the deps once per cold
 * start and logs with the Lambda request id and the cold-start flag. An event of another shape is logged and
 * dropped, not thrown: a retry would bring the same event again.
 */
export function createEventHandler<E extends z.ZodType, D>(options: EventHandlerOptions<E, D>) {
  const logs = invocationLogs(options.name, options.log);
  const deps = options.deps(logs.base);
  return async (event: unknown, context?: InvocationContext): Promise<void> => {
    const log = logs.next(context);
    const parsed = options.event.safeParse(event);
    if (!parsed.success) {
      log.warn(`${options.name}: not the event this function takes`, { issues: parsed.error.issues.length });
      return;
    }
    await options.run(parsed.data, deps, log);
  };
}
