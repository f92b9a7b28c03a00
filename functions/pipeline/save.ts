import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { ExtractSummarySchema } from '../core/pipeline/extract-meeting';
import { saveExtraction } from '../core/pipeline/save-extraction';
import { createTaskHandler } from '../platform/handlers/task-handler';

/** `Save`: attaches the stored extraction to the meeting while it is processing. */
export const handler = createTaskHandler({
  name: 'save',
  ...PIPELINE_TASK_CONTRACTS.Save,
  deps: pipelineRuntime,
  run: async (payload, deps, { log }) => {
    const extraction = ExtractSummarySchema.parse(payload.extraction);
    await saveExtraction({ ...payload, extraction }, deps);
    log.info('extraction saved');
    return { saved: true as const };
  },
});
