import type * as z from 'zod';
import { TaskInvocationSchema } from '../../contracts/task-invocation';
import type { Logger } from '../logging/logger';
import { type InvocationContext, invocationLogs } from './invocation';

/** What a task implementation gets besides its payload and deps. */
export interface TaskContext {
  /** Carries the request id, the cold-start flag, the execution name, the task and the meeting. */
  log: Logger;
  /** Milliseconds before Lambda stops the function, when the runtime says. */
  remainingMs?: () => number;
}

export interface TaskHandlerOptions<P extends z.ZodType, D, R> {
  /** The function's name in the topology (`archive`, `fetch-platform-artifact`, …). */
  name: string;
  /** The Task state's payload contract (`PIPELINE_TASK_CONTRACTS.X.payload`). */
  payload: P;
  /** The Task state's result contract; what `run` returns is parsed with it before Step Functions sees it. */
  result?: z.ZodType<R>;
  /** The family composition's part this task uses; called once per cold start. */
  deps: (log: Logger) => D;
  /** The function's base logger (tests pass their own); default: from config. */
  log?: Logger;
  run(payload: z.infer<P>, deps: D, context: TaskContext): Promise<R>;
}

/**
 * The handler of a state-machine Task: validates the payload with the contract's schema (a payload that breaks
 * it throws the `ZodError` as before: the state machine's `Catch` fails the meeting), builds the deps once per
 * cold start, logs with the Lambda request id, the cold-start flag and the execution name (the ASL passes
 * `executionName` in every payload), and parses the result with the contract. Errors propagate with their
 * names: the state machine's `Retry`/`Catch` match them.
 */
export function createTaskHandler<P extends z.ZodType, D, R>(options: TaskHandlerOptions<P, D, R>) {
  const logs = invocationLogs(options.name, options.log);
  const deps = options.deps(logs.base);
  return async (event: unknown, context?: InvocationContext): Promise<R> => {
    const invocation = TaskInvocationSchema.safeParse(event).data ?? {};
    const log = logs.next(context, {
      ...(invocation.executionName ? { execution: invocation.executionName } : {}),
      ...(invocation.tenantId ? { tenant: invocation.tenantId } : {}),
      ...(invocation.meetingId ? { meeting: invocation.meetingId } : {}),
    });
    const parsed = options.payload.safeParse(event);
    if (!parsed.success) {
      log.error(`${options.name}: payload does not match the task contract`, {
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`),
      });
      throw parsed.error;
    }
    const remaining = context?.getRemainingTimeInMillis?.bind(context);
    const out = await options.run(parsed.data, deps, {
      log,
      ...(remaining ? { remainingMs: remaining } : {}),
    });
    return options.result ? options.result.parse(out) : out;
  };
}
