import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Schedule } from '../../../functions/topology';
import { LocalHostError } from '../../../lib/local/errors';
import type { LoadHandler } from '../../../lib/local/handler-loader';
import { schedulesFromEnv } from '../../../lib/local/local-host';
import { type ScheduleRun, startLocalSchedules } from '../../../lib/local/schedule-runner';

const schedule = (name: string, expression: string): Schedule => ({
  name,
  handler: `functions/events/${name}.ts`,
  description: name,
  expression,
  timezone: 'UTC',
  memoryMb: 256,
  timeoutSeconds: 60,
  grants: { table: 'read', keyring: false, signingKey: false },
});
const HOURLY = schedule('hourly-job', 'rate(1 hour)');
const DAILY = schedule('daily-job', 'cron(0 6 * * ? *)');

/** Handlers that record their invocations; `fail` makes the next one throw. */
function handlers() {
  const calls: { module: string; event: unknown; functionName: string; at: string }[] = [];
  const behaviour = { fail: false };
  const load: LoadHandler = async (module) =>
    (async (event: unknown, context: { functionName: string }) => {
      calls.push({ module, event, functionName: context.functionName, at: new Date().toISOString() });
      if (behaviour.fail) throw new Error('Graph is down');
      return undefined;
    }) as never;
  return { calls, behaviour, load };
}

describe('local schedules', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-01T05:30:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('invoke each function on its expression with Scheduler’s event and a Lambda context', async () => {
    const h = handlers();
    const runs: ScheduleRun[] = [];
    const schedules = startLocalSchedules({
      schedules: [HOURLY, DAILY],
      loadHandler: h.load,
      region: 'us-east-1',
      onExpressions: true,
      onRun: (run) => runs.push(run),
    });
    expect(schedules.timed).toEqual(['hourly-job', 'daily-job']);
    await vi.advanceTimersByTimeAsync(29 * 60_000);
    expect(h.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.calls).toEqual([
      {
        module: 'functions/events/daily-job.ts',
        event: {},
        functionName: 'smartad-local-daily-job',
        at: '2026-03-01T06:00:00.000Z',
      },
    ]);
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(h.calls.map((c) => `${c.module} ${c.at}`)).toEqual([
      'functions/events/daily-job.ts 2026-03-01T06:00:00.000Z',
      'functions/events/hourly-job.ts 2026-03-01T06:30:00.000Z',
    ]);
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000);
    expect(h.calls.filter((c) => c.module.includes('hourly'))).toHaveLength(25);
    expect(h.calls.filter((c) => c.module.includes('daily'))).toHaveLength(2);
    expect(runs.every((run) => run.trigger === 'expression' && run.status === 'succeeded')).toBe(true);
    await schedules.stop();
  });

  it('keeps the timetable after a failed run and reports the failure', async () => {
    const h = handlers();
    const runs: ScheduleRun[] = [];
    const schedules = startLocalSchedules({
      schedules: [HOURLY],
      loadHandler: h.load,
      region: 'us-east-1',
      onExpressions: true,
      onRun: (run) => runs.push(run),
    });
    h.behaviour.fail = true;
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    h.behaviour.fail = false;
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(runs.map((r) => [r.status, r.error])).toEqual([
      ['failed', 'Graph is down'],
      ['succeeded', undefined],
    ]);
    await schedules.stop();
  });

  it('with expressions off, runs nothing by itself but runs one when asked', async () => {
    const h = handlers();
    const schedules = startLocalSchedules({
      schedules: [HOURLY, DAILY],
      loadHandler: h.load,
      region: 'us-east-1',
      onExpressions: false,
      onRun: () => {},
    });
    expect(schedules.timed).toEqual([]);
    await vi.advanceTimersByTimeAsync(48 * 60 * 60_000);
    expect(h.calls).toEqual([]);
    const run = await schedules.run('daily-job');
    expect(run).toMatchObject({ name: 'daily-job', trigger: 'now', status: 'succeeded' });
    expect(h.calls).toHaveLength(1);
    await schedules.stop();
  });

  it('stops firing once stopped', async () => {
    const h = handlers();
    const schedules = startLocalSchedules({
      schedules: [HOURLY],
      loadHandler: h.load,
      region: 'us-east-1',
      onExpressions: true,
      onRun: () => {},
    });
    await schedules.stop();
    await vi.advanceTimersByTimeAsync(3 * 60 * 60_000);
    expect(h.calls).toEqual([]);
  });

  it('refuses an unknown name, listing the schedules there are', async () => {
    const schedules = startLocalSchedules({
      schedules: [HOURLY, DAILY],
      loadHandler: handlers().load,
      region: 'us-east-1',
      onExpressions: false,
    });
    const error = await schedules.run('nightly').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalHostError);
    expect((error as Error).message).toBe(
      'unknown schedule "nightly"; the topology\'s schedules: hourly-job, daily-job',
    );
  });

  it('fails start-up on a bad expression, naming it', () => {
    expect(() =>
      startLocalSchedules({
        schedules: [schedule('broken', 'rate(1 fortnight)')],
        loadHandler: handlers().load,
        region: 'us-east-1',
        onExpressions: true,
      }),
    ).toThrow(/rate\(1 fortnight\)/);
  });
});

describe('SMARTAD_SCHEDULES', () => {
  it('runs the schedules on their expressions unless it is off', () => {
    expect(schedulesFromEnv(undefined)).toBe(true);
    expect(schedulesFromEnv('')).toBe(true);
    expect(schedulesFromEnv('on')).toBe(true);
    expect(schedulesFromEnv('off')).toBe(false);
  });

  it.each(['no', 'false', 'OFF'])('refuses %s, naming the variable and its values', (value) => {
    expect(() => schedulesFromEnv(value)).toThrow(LocalHostError);
    expect(() => schedulesFromEnv(value)).toThrow(`SMARTAD_SCHEDULES must be on or off (got "${value}")`);
  });
});
