import { pipelineObjects } from '../composition/pipeline-objects';
import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { archiveMeeting } from '../core/pipeline/archive-meeting';
import { createTaskHandler } from '../platform/handlers/task-handler';

/** `Archive`: the meeting's WORM record, once, under Object Lock COMPLIANCE. */
export const handler = createTaskHandler({
  name: 'archive',
  ...PIPELINE_TASK_CONTRACTS.Archive,
  deps: (log) => ({ ...pipelineRuntime(log), ...pipelineObjects() }),
  run: async (payload, deps, { log }) => {
    const result = await archiveMeeting(payload, deps);
    log.info('meeting archived', result);
    return result;
  },
});
