import type { Logger } from '../logging/logger';
import { type InvocationContext, invocationLogs } from './invocation';

export interface ScheduleHandlerOptions<D> {
  /** The schedule's name in the topology (`renew-teams-subscriptions`). */
  name: string;
  /** The family composition's part this job uses; called once per cold start. */
  deps: (log: Logger) => D;
  log?: Logger;
  run(deps: D, log: Logger): Promise<void>;
}

/**
 * The handler of an EventBridge Scheduler schedule: builds the deps once per cold start and logs with the
 * Lambda request id and the cold-start flag. Scheduler's input carries nothing the job needs, so none is read;
 * a throw fails the invocation and Scheduler retries it.
 */
export function createScheduleHandler<D>(options: ScheduleHandlerOptions<D>) {
  const logs = invocationLogs(options.name, options.log);
  const deps = options.deps(logs.base);
  return async (_event?: unknown, context?: InvocationContext): Promise<void> => {
    await options.run(deps, logs.next(context));
  };
}
