import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { ExtractSummarySchema } from '../core/pipeline/extract-meeting';
import { saveExtraction } from '../core/pipeline/save-extraction';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'save');
const deps = pipelineRuntime(log);
const contract = PIPELINE_TASK_CONTRACTS.Save;

/** `Save`: attaches the stored extraction to the meeting while it is processing. */
export async function handler(event: unknown) {
  const payload = contract.payload.parse(event);
  const extraction = ExtractSummarySchema.parse(payload.extraction);
  await saveExtraction({ ...payload, extraction }, deps);
  log.info('extraction saved', { tenant: payload.tenantId, meeting: payload.meetingId });
  return contract.result.parse({ saved: true });
}
