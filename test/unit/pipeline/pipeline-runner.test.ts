import { afterEach, describe, expect, it, vi } from 'vitest';
import { failureReasonOf } from '../../../functions/contracts/pipeline-task-contracts';
import { createPipelineRunner } from '../../../lib/local/pipeline-runner';
import { ensurePromiseWithResolvers } from '../../../lib/local/promise-with-resolvers';
import { TaskTokenRegistry } from '../../../lib/local/task-token-registry';
import { createFakePipelineTasks } from '../../fakes/pipeline-tasks';

const INPUT = { tenantId: 't-1', meetingId: 'm-1', consentGiven: true, sourceKind: 'audio' };

function fakeRunner(options: { transcription?: 'lost' | 'callback' } = {}) {
  const taskTokens = new TaskTokenRegistry();
  const fake = createFakePipelineTasks(taskTokens, options);
  return { fake, taskTokens, runner: createPipelineRunner({ handlers: fake.handlers, taskTokens }) };
}

describe('createPipelineRunner', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses to start when a Task state has no local handler: it would call real Lambda', () => {
    const { fake } = fakeRunner();
    const { Extract: _, ...handlers } = fake.handlers;
    expect(() => createPipelineRunner({ handlers })).toThrow(/no local handler for Task state\(s\) Extract/);
  });

  it('refuses handlers for states that are not Task states', () => {
    const { fake } = fakeRunner();
    const handlers = { ...fake.handlers, CrmBranchFailed: async () => ({}) };
    expect(() => createPipelineRunner({ handlers })).toThrow(/unknown Task state\(s\): CrmBranchFailed/);
  });

  it('starts one execution per name, as Step Functions does', async () => {
    const { runner, taskTokens } = fakeRunner({ transcription: 'lost' });
    const first = runner.startExecution(INPUT, { name: 'meeting-m-1' });
    expect(runner.startExecution(INPUT, { name: 'meeting-m-1' })).toBe(first);
    expect(() =>
      runner.startExecution({ ...INPUT, sourceKind: 'transcript' }, { name: 'meeting-m-1' }),
    ).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    expect(() => runner.startExecution(INPUT, { name: 'has space' })).toThrow(/not a valid execution name/);
    await runner.stop();
    expect((await first.done).status).toBe('ABORTED');
    expect(taskTokens.pendingTokens()).toEqual([]);
    expect(() => runner.startExecution(INPUT, { name: 'meeting-m-1' })).toThrow(
      expect.objectContaining({ name: 'ExecutionAlreadyExists' }),
    );
  });

  it('waits for the callback for as long as the state says, then times out into the poll', async () => {
    // The clock is the test's: the token must still be open 1 ms before the state's 40 ms and expire at 40.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const taskTokens = new TaskTokenRegistry();
    const fake = createFakePipelineTasks(taskTokens, { transcription: 'lost' });
    const entered: string[] = [];
    const runner = createPipelineRunner({
      handlers: fake.handlers,
      taskTokens,
      taskTimeoutOverrides: { Transcribe: 40 },
      onEvent: (_id, event) => {
        if (event.type === 'StateEntered') entered.push(event.state.name);
      },
    });
    const execution = runner.startExecution(INPUT);
    // Settles the start without moving the clock, so the task's timer starts at 0.
    while (taskTokens.pendingTokens().length === 0) await vi.advanceTimersByTimeAsync(0);

    await vi.advanceTimersByTimeAsync(39);
    expect(taskTokens.pendingTokens()).toHaveLength(1);
    expect(entered).not.toContain('PollTranscription');

    await vi.advanceTimersByTimeAsync(1);
    const outcome = await execution.done;
    expect(outcome.status).toBe('SUCCEEDED');
    expect(entered).toContain('PollTranscription');
    expect(outcome.taskInvocations[0]).toMatchObject({ state: 'Transcribe', outcome: 'timed_out' });
    expect(taskTokens.pendingTokens()).toEqual([]);
  });

  it('reports a function error as Lambda does: the error name, and its message in the cause JSON', async () => {
    const taskTokens = new TaskTokenRegistry();
    const fake = createFakePipelineTasks(taskTokens, { failingStates: ['Save'] });
    const runner = createPipelineRunner({
      handlers: fake.handlers,
      taskTokens,
      retryIntervalOverrides: { Save: 0, MarkFailed: 0 },
    });
    const outcome = await runner.startExecution({ ...INPUT, sourceKind: 'transcript' }).done;
    const marked = fake.payloadsOf('MarkFailed')[0] as { error: { Error: string; Cause: string } };
    expect(marked.error).toEqual({
      Error: 'FakeOutage',
      Cause: JSON.stringify({ errorType: 'FakeOutage', errorMessage: 'Save is down' }),
    });
    expect(failureReasonOf(marked.error)).toBe('Save is down');
    expect(outcome.taskInvocations.filter((i) => i.state === 'Save').map((i) => i.outcome)).toEqual([
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
  });
});

describe('ensurePromiseWithResolvers', () => {
  const native = Object.getOwnPropertyDescriptor(Promise, 'withResolvers');
  afterEach(() => {
    if (native) Object.defineProperty(Promise, 'withResolvers', native);
    else Reflect.deleteProperty(Promise, 'withResolvers');
  });

  it('adds Promise.withResolvers when the runtime lacks it (Node 20)', async () => {
    Reflect.deleteProperty(Promise, 'withResolvers');
    ensurePromiseWithResolvers();
    const { promise, resolve } = (
      Promise as unknown as { withResolvers: <T>() => { promise: Promise<T>; resolve: (v: T) => void } }
    ).withResolvers<number>();
    resolve(7);
    await expect(promise).resolves.toBe(7);
  });
});

describe('failureReasonOf', () => {
  it('prefers the function error message, then the cause, then the error name', () => {
    expect(
      failureReasonOf({ Error: 'E', Cause: JSON.stringify({ errorType: 'E', errorMessage: 'why' }) }),
    ).toBe('why');
    expect(failureReasonOf({ Error: 'E', Cause: 'plain sentence' })).toBe('plain sentence');
    expect(failureReasonOf({ Error: 'States.Timeout', Cause: null })).toBe('States.Timeout');
    expect(failureReasonOf({ Error: 'E', Cause: 'x'.repeat(5000) })).toHaveLength(1000);
  });
});
