import { resolve } from 'node:path';
import type { Schedule } from '../../functions/topology';
import { LocalHostError } from './errors';
import { isProcessAlive, readHostState } from './host-state';
import { DEFAULT_HOME } from './local-host';
import { findSchedule, type ScheduleRun } from './schedule-runner';

export interface RunScheduleCommandOptions {
  name: string;
  schedules: readonly Schedule[];
  /** Resolves a relative `SMARTAD_HOME`; default `process.cwd()`. */
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/**
 * `smartad run-schedule NAME`: asks the local host running on `SMARTAD_HOME` (default `.smartad`) to invoke the
 * schedule's function now, against its engines and its configuration, and resolves with the outcome once the
 * function has returned. An unknown name fails before any host is contacted, listing the topology's schedules.
 */
export async function runScheduleCommand(options: RunScheduleCommandOptions): Promise<ScheduleRun> {
  const schedule = findSchedule(options.schedules, options.name);
  const env = options.env ?? process.env;
  const home = resolve(options.cwd ?? process.cwd(), env.SMARTAD_HOME || DEFAULT_HOME);
  const state = await readHostState(home);
  if (state?.control === undefined || state.status !== 'ready' || !isProcessAlive(state.pid)) {
    throw new LocalHostError(
      `no local host is running on ${home}: start one with npm start (or set SMARTAD_HOME to the home of the one running)`,
    );
  }
  let response: Response;
  try {
    response = await fetch(`${state.control.url}/schedules/${schedule.name}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${state.control.token}` },
    });
  } catch (error) {
    throw new LocalHostError(
      `the local host on ${home} (pid ${state.pid}) did not answer at ${state.control.url}`,
      {
        cause: error,
      },
    );
  }
  const body = (await response.json().catch(() => ({}))) as Partial<ScheduleRun> & { error?: string };
  if (!response.ok) {
    throw new LocalHostError(
      `the local host refused to run ${schedule.name}: ${body.error ?? response.status}`,
    );
  }
  return body as ScheduleRun;
}
