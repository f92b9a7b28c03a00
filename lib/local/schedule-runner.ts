import type { Schedule } from '../../functions/topology';
import { LocalHostError } from './errors';
import type { LoadHandler } from './handler-loader';
import { withTimeout } from './http-gateway';
import { createLambdaContext } from './lambda-context';
import { parseScheduleExpression, type ScheduleExpression } from './schedule-expression';

/** The outcome of one invocation of a schedule's function. */
export interface ScheduleRun {
  name: string;
  trigger: 'expression' | 'now';
  status: 'succeeded' | 'failed';
  durationMs: number;
  /** The function's error message, when it failed. */
  error?: string;
}

export interface LocalSchedulesOptions {
  schedules: readonly Schedule[];
  loadHandler: LoadHandler;
  region: string;
  /** Run each schedule on its expression; without it schedules run only when asked (`run`). */
  onExpressions: boolean;
  /** Called after every invocation; default a line on stdout (stderr when it failed). */
  onRun?: (run: ScheduleRun) => void;
  /** Epoch milliseconds; the timers are the global ones (tests fake both). */
  now?: () => number;
}

export interface LocalSchedules {
  /** The names of the schedules that run on their expressions (empty when turned off). */
  readonly timed: readonly string[];
  /** Invokes the schedule's function now, as its timer would, and resolves with the outcome. */
  run(name: string): Promise<ScheduleRun>;
  /** Clears the timers and waits for invocations in flight. Idempotent. */
  stop(): Promise<void>;
}

/** setTimeout's longest delay (about 24.8 days); a later run re-arms on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The schedule called `name`, or a `LocalHostError` naming every schedule there is. */
export function findSchedule(schedules: readonly Schedule[], name: string): Schedule {
  const found = schedules.find((s) => s.name === name);
  if (found) return found;
  const known = schedules.map((s) => s.name).join(', ') || 'none';
  throw new LocalHostError(`unknown schedule "${name}"; the topology's schedules: ${known}`);
}

const defaultOnRun = (run: ScheduleRun) => {
  const line = `schedule ${run.name} (${run.trigger}) ${run.status} in ${run.durationMs} ms`;
  if (run.status === 'failed') console.error(`${line}: ${run.error}`);
  else console.log(line);
};

/**
 * EventBridge Scheduler's part on the local host: each schedule's function invoked in-process with Scheduler's
 * event (`{}`, the target's input when none is set) and a Lambda context, on its `rate(...)` or `cron(...)`
 * expression when `onExpressions` is set, and on demand (`smartad run-schedule NAME`). A run due while the
 * previous one of the same schedule is still going is skipped, as one warm function would serialise them; a
 * failed run is reported and the schedule keeps its timetable (Scheduler's retries are not reproduced).
 */
export function startLocalSchedules(options: LocalSchedulesOptions): LocalSchedules {
  const now = options.now ?? Date.now;
  const onRun = options.onRun ?? defaultOnRun;
  const inFlight = new Map<string, Promise<ScheduleRun>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const invoke = (schedule: Schedule, trigger: ScheduleRun['trigger']): Promise<ScheduleRun> => {
    const running = inFlight.get(schedule.name);
    if (running) return running;
    const started = now();
    const run = (async (): Promise<ScheduleRun> => {
      try {
        const handler = (await options.loadHandler(schedule.handler)) as unknown as (
          event: unknown,
          context: unknown,
        ) => Promise<unknown>;
        const context = createLambdaContext({ ...schedule, region: options.region });
        await withTimeout(
          Promise.resolve(handler({}, context)),
          schedule.timeoutSeconds * 1000,
          schedule.name,
        );
        return { name: schedule.name, trigger, status: 'succeeded', durationMs: now() - started };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          name: schedule.name,
          trigger,
          status: 'failed',
          durationMs: now() - started,
          error: message,
        };
      }
    })().then((outcome) => {
      inFlight.delete(schedule.name);
      onRun(outcome);
      return outcome;
    });
    inFlight.set(schedule.name, run);
    return run;
  };

  const arm = (schedule: Schedule, expression: ScheduleExpression, dueAt: number | undefined) => {
    if (stopped || dueAt === undefined) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (now() < dueAt) return arm(schedule, expression, dueAt);
        if (!inFlight.has(schedule.name)) void invoke(schedule, 'expression');
        arm(schedule, expression, expression.next(now()));
      },
      Math.min(MAX_TIMER_MS, Math.max(0, dueAt - now())),
    );
    timer.unref();
    timers.add(timer);
  };

  // Parse every expression before arming any: a bad one fails start-up, naming it.
  const timed = options.onExpressions
    ? options.schedules.map((schedule) => ({
        schedule,
        expression: parseScheduleExpression(schedule.expression, schedule.timezone, now()),
      }))
    : [];
  for (const { schedule, expression } of timed) arm(schedule, expression, expression.next(now()));

  return {
    timed: timed.map(({ schedule }) => schedule.name),
    run: async (name) => invoke(findSchedule(options.schedules, name), 'now'),
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled(inFlight.values());
    },
  };
}
