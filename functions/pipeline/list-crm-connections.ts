import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { listCrmConnections } from '../core/pipeline/list-crm-connections';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'list-crm-connections');
const deps = pipelineRuntime(log);
const contract = PIPELINE_TASK_CONTRACTS.ListCrmConnections;

/** `ListCrmConnections`: the tenant's active connections (none until the CRM issue adds them). */
export async function handler(event: unknown) {
  const payload = contract.payload.parse(event);
  const result = await listCrmConnections(payload, deps);
  log.info('crm connections listed', {
    tenant: payload.tenantId,
    meeting: payload.meetingId,
    count: result.connections.length,
  });
  return contract.result.parse(result);
}
