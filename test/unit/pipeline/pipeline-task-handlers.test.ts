import { describe, expect, it } from 'vitest';
import { PIPELINE_TASK_STATES } from '../../../functions/contracts/pipeline-tasks';
import { type PipelineTask, topology } from '../../../functions/topology';
import type { LoadHandler } from '../../../lib/local/handler-loader';
import { loadPipelineTaskHandlers } from '../../../lib/local/pipeline-task-handlers';

const task = (state: PipelineTask['state']): PipelineTask => ({
  state,
  name: `pipeline-${state.toLowerCase()}`,
  handler: `functions/pipeline/${state.toLowerCase()}.ts`,
  description: state,
  memoryMb: 512,
  timeoutSeconds: 30,
  grants: { table: 'readwrite', keyring: true, signingKey: false },
});

describe('loadPipelineTaskHandlers', () => {
  const loaded: string[] = [];
  const loadHandler = (async (modulePath: string) => {
    loaded.push(modulePath);
    return async (event: unknown, context: { functionName: string; getRemainingTimeInMillis(): number }) => ({
      event,
      functionName: context.functionName,
      remainingMs: context.getRemainingTimeInMillis(),
    });
  }) as unknown as LoadHandler;

  it('runs no pipeline while the topology declares no pipeline task', async () => {
    const none = { ...topology, pipelineTasks: [] };
    expect(
      await loadPipelineTaskHandlers({ topology: none, loadHandler, region: 'us-east-1' }),
    ).toBeUndefined();
  });

  it('refuses to start while a Task state has no pipeline task', async () => {
    const partial = { ...topology, pipelineTasks: [task('Extract')] };
    await expect(
      loadPipelineTaskHandlers({ topology: partial, loadHandler, region: 'us-east-1' }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'LocalHostError',
        message: expect.stringMatching(/no pipeline task for "Transcribe"/),
      }),
    );
  });

  it('loads every task module now and calls it with a Lambda context of its function', async () => {
    loaded.length = 0;
    const complete = { ...topology, pipelineTasks: PIPELINE_TASK_STATES.map(task) };
    const handlers = await loadPipelineTaskHandlers({ topology: complete, loadHandler, region: 'us-east-1' });
    expect(loaded).toEqual(
      PIPELINE_TASK_STATES.map((state) => `functions/pipeline/${state.toLowerCase()}.ts`),
    );
    expect(await handlers?.Extract?.({ tenantId: 't', meetingId: 'm' })).toEqual({
      event: { tenantId: 't', meetingId: 'm' },
      functionName: 'smartad-local-pipeline-extract',
      remainingMs: expect.toSatisfy((ms: number) => ms > 29_000 && ms <= 30_000),
    });
  });
});
