import { pipelineObjects } from '../composition/pipeline-objects';
import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { archiveMeeting } from '../core/pipeline/archive-meeting';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'archive');
const deps = { ...pipelineRuntime(log), ...pipelineObjects() };
const contract = PIPELINE_TASK_CONTRACTS.Archive;

/** `Archive`: the meeting's WORM record, once, under Object Lock COMPLIANCE. */
export async function handler(event: unknown) {
  const payload = contract.payload.parse(event);
  const result = await archiveMeeting(payload, deps);
  log.info('meeting archived', { tenant: payload.tenantId, meeting: payload.meetingId, ...result });
  return contract.result.parse(result);
}
