import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { markFailed } from '../core/pipeline/finish-meeting';
import { createTaskHandler } from '../platform/handlers/task-handler';

/** `MarkFailed`: `failed` with the reason the caught error gives; a retry finds it failed. */
export const handler = createTaskHandler({
  name: 'mark-failed',
  ...PIPELINE_TASK_CONTRACTS.MarkFailed,
  deps: pipelineRuntime,
  run: async (payload, deps, { log }) => {
    const result = await markFailed(payload, deps);
    log.info('meeting failed', { error: payload.error.Error, ...result });
    return result;
  },
});
