import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createEventHandler } from '../../../functions/platform/handlers/event-handler';
import { createScheduleHandler } from '../../../functions/platform/handlers/schedule-handler';
import { createTaskHandler } from '../../../functions/platform/handlers/task-handler';
import { Logger } from '../../../functions/platform/logging/logger';

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = new Logger({
    service: 'test',
    level: 'debug',
    sink: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { log, lines };
}

const Payload = z.object({ tenantId: z.string().min(1), meetingId: z.string().min(1), attempt: z.number() });

describe('createTaskHandler', () => {
  it('builds its deps once, validates the payload, and logs request id, cold start, execution and meeting', async () => {
    const { log, lines } = capturedLogger();
    let built = 0;
    const handler = createTaskHandler({
      name: 'probe',
      payload: Payload,
      result: z.object({ doubled: z.number() }),
      log,
      deps: () => ({ factor: 2, built: ++built }),
      run: async (payload, deps, { log }) => {
        log.info('ran');
        return { doubled: payload.attempt * deps.factor, extra: 'stripped' };
      },
    });
    const event = { tenantId: 't1', meetingId: 'm1', attempt: 3, executionName: 'exec-1' };
    expect(await handler(event, { awsRequestId: 'req-1' })).toEqual({ doubled: 6 });
    expect(await handler(event, { awsRequestId: 'req-2' })).toEqual({ doubled: 6 });
    expect(built).toBe(1);
    expect(lines.map((l) => [l.requestId, l.coldStart, l.execution, l.tenant, l.meeting])).toEqual([
      ['req-1', true, 'exec-1', 't1', 'm1'],
      ['req-2', false, 'exec-1', 't1', 'm1'],
    ]);
  });

  it('throws the contract violation, naming the field, and never runs the task', async () => {
    const { log, lines } = capturedLogger();
    let ran = false;
    const handler = createTaskHandler({
      name: 'probe',
      payload: Payload,
      log,
      deps: () => ({}),
      run: async () => {
        ran = true;
      },
    });
    await expect(handler({ tenantId: 't1', meetingId: '', attempt: 'x' })).rejects.toThrow(z.ZodError);
    expect(ran).toBe(false);
    expect(lines[0]?.level).toBe('error');
    expect(JSON.stringify(lines[0]?.issues)).toMatch(/meetingId/);
    expect(JSON.stringify(lines[0]?.issues)).toMatch(/attempt/);
  });

  it('lets the task’s own error through with its name (the state machine retries by name)', async () => {
    class ProbeUnavailableError extends Error {
      override name = 'ProbeUnavailableError';
    }
    const handler = createTaskHandler({
      name: 'probe',
      payload: Payload,
      log: capturedLogger().log,
      deps: () => ({}),
      run: async () => {
        throw new ProbeUnavailableError('later');
      },
    });
    await expect(handler({ tenantId: 't', meetingId: 'm', attempt: 1 })).rejects.toMatchObject({
      name: 'ProbeUnavailableError',
    });
  });

  it('refuses a result that breaks the contract', async () => {
    const handler = createTaskHandler({
      name: 'probe',
      payload: Payload,
      result: z.object({ status: z.enum(['ok']) }),
      log: capturedLogger().log,
      deps: () => ({}),
      run: async () => ({ status: 'nope' }) as never,
    });
    await expect(handler({ tenantId: 't', meetingId: 'm', attempt: 1 })).rejects.toThrow(z.ZodError);
  });
});

describe('createEventHandler', () => {
  const Event = z.object({ detail: z.object({ key: z.string() }) });

  it('runs on a valid event and drops another shape with a warning, never throwing', async () => {
    const { log, lines } = capturedLogger();
    const seen: string[] = [];
    const handler = createEventHandler({
      name: 'probe-event',
      event: Event,
      log,
      deps: () => seen,
      run: async (event, seen, log) => {
        seen.push(event.detail.key);
        log.info('seen');
      },
    });
    await handler({ detail: { key: 'a' } }, { awsRequestId: 'r1' });
    await expect(handler({ detail: {} }, { awsRequestId: 'r2' })).resolves.toBeUndefined();
    expect(seen).toEqual(['a']);
    expect(lines.map((l) => [l.level, l.requestId, l.coldStart])).toEqual([
      ['info', 'r1', true],
      ['warn', 'r2', false],
    ]);
  });
});

describe('createScheduleHandler', () => {
  it('runs the job with its deps, logging request id and cold start, and lets a failure through', async () => {
    const { log, lines } = capturedLogger();
    let fail = false;
    const handler = createScheduleHandler({
      name: 'probe-schedule',
      log,
      deps: () => ({ n: 1 }),
      run: async (deps, log) => {
        if (fail) throw new Error('could not run');
        log.info('job', { n: deps.n });
      },
    });
    await handler({}, { awsRequestId: 's1' });
    fail = true;
    await expect(handler({}, { awsRequestId: 's2' })).rejects.toThrow('could not run');
    expect(lines).toEqual([expect.objectContaining({ requestId: 's1', coldStart: true, n: 1 })]);
  });
});
