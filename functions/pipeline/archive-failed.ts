import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { recordArchiveFailure } from '../core/pipeline/record-archive-failure';
import { createTaskHandler } from '../platform/handlers/task-handler';

/** `ArchiveFailed`: COMPLIANCE ACTION REQUIRED, the ArchiveFailures metric, `archive_status: failed`. */
export const handler = createTaskHandler({
  name: 'archive-failed',
  ...PIPELINE_TASK_CONTRACTS.ArchiveFailed,
  deps: pipelineRuntime,
  run: async (payload, deps) => {
    await recordArchiveFailure(payload, deps);
    return { archiveStatus: 'failed' as const };
  },
});
