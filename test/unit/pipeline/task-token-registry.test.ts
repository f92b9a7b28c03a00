import { describe, expect, it } from 'vitest';
import { TaskTokenRegistry } from '../../../lib/local/task-token-registry';

describe('TaskTokenRegistry', () => {
  it('resolves a task with the SendTaskSuccess output, as JSON', async () => {
    const registry = new TaskTokenRegistry();
    const { taskToken, outcome } = registry.issue('exec:Transcribe');
    await registry.sendTaskSuccess(taskToken, { status: 'completed', at: new Date(0) });
    await expect(outcome).resolves.toEqual({ status: 'completed', at: '1970-01-01T00:00:00.000Z' });
    expect(registry.pendingTokens()).toEqual([]);
  });

  it('fails a task with the SendTaskFailure error and cause', async () => {
    const registry = new TaskTokenRegistry();
    const { taskToken, outcome } = registry.issue('exec:Transcribe');
    await registry.sendTaskFailure(taskToken, 'TranscriptionFailedError', 'no speech');
    await expect(outcome).rejects.toMatchObject({ name: 'TranscriptionFailedError', message: 'no speech' });
  });

  it('reports a failure without an error name as States.TaskFailed', async () => {
    const registry = new TaskTokenRegistry();
    const { taskToken, outcome } = registry.issue('exec:Transcribe');
    await registry.sendTaskFailure(taskToken);
    await expect(outcome).rejects.toMatchObject({ name: 'States.TaskFailed' });
  });

  it('answers like Step Functions: a token answers once, an unknown token does not exist', async () => {
    const registry = new TaskTokenRegistry();
    const { taskToken } = registry.issue('exec:Transcribe');
    await registry.sendTaskSuccess(taskToken, {});
    await expect(registry.sendTaskSuccess(taskToken, {})).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(registry.sendTaskFailure(taskToken, 'E')).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(registry.sendTaskSuccess('local-task-token:nope', {})).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    await expect(registry.sendTaskSuccess(' ', {})).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('times a task out with States.Timeout, after which callbacks are too late', async () => {
    const registry = new TaskTokenRegistry();
    const { taskToken, outcome } = registry.issue('exec:Transcribe');
    registry.expire(taskToken, 50);
    await expect(outcome).rejects.toMatchObject({ name: 'States.Timeout' });
    await expect(registry.sendTaskSuccess(taskToken, {})).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('refuses output that is not JSON and keeps the task waiting', async () => {
    const registry = new TaskTokenRegistry();
    const { taskToken } = registry.issue('exec:Transcribe');
    await expect(registry.sendTaskSuccess(taskToken, { n: 1n })).rejects.toMatchObject({
      name: 'InvalidOutput',
    });
    expect(registry.pendingTokens()).toEqual([taskToken]);
  });

  it('issues a different token each time', () => {
    const registry = new TaskTokenRegistry();
    expect(registry.issue('a').taskToken).not.toBe(registry.issue('a').taskToken);
  });
});
