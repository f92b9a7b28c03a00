import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { markCompleted } from '../core/pipeline/finish-meeting';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'mark-completed');
const deps = pipelineRuntime(log);
const contract = PIPELINE_TASK_CONTRACTS.MarkCompleted;

/** `MarkCompleted`: `completed` with the archive status and CRM outcomes; a retry finds it completed. */
export async function handler(event: unknown) {
  const payload = contract.payload.parse(event);
  const result = await markCompleted(payload, deps);
  log.info('meeting completed', { tenant: payload.tenantId, meeting: payload.meetingId, ...result });
  return contract.result.parse(result);
}
