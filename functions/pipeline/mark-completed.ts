import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { markCompleted } from '../core/pipeline/finish-meeting';
import { createTaskHandler } from '../platform/handlers/task-handler';

/** `MarkCompleted`: `completed` with the archive status and CRM outcomes; a retry finds it completed. */
export const handler = createTaskHandler({
  name: 'mark-completed',
  ...PIPELINE_TASK_CONTRACTS.MarkCompleted,
  deps: pipelineRuntime,
  run: async (payload, deps, { log }) => {
    const result = await markCompleted(payload, deps);
    log.info('meeting completed', result);
    return result;
  },
});
