import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { markFailed } from '../core/pipeline/finish-meeting';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'mark-failed');
const deps = pipelineRuntime(log);
const contract = PIPELINE_TASK_CONTRACTS.MarkFailed;

/** `MarkFailed`: `failed` with the reason the caught error gives; a retry finds it failed. */
export async function handler(event: unknown) {
  const payload = contract.payload.parse(event);
  const result = await markFailed(payload, deps);
  log.info('meeting failed', {
    tenant: payload.tenantId,
    meeting: payload.meetingId,
    error: payload.error.Error,
    ...result,
  });
  return contract.result.parse(result);
}
