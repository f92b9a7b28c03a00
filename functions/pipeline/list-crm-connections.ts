import { pipelineRuntime } from '../composition/pipeline-runtime';
import { PIPELINE_TASK_CONTRACTS } from '../contracts/pipeline-task-contracts';
import { listCrmConnections } from '../core/pipeline/list-crm-connections';
import { createTaskHandler } from '../platform/handlers/task-handler';

/** `ListCrmConnections`: the meeting owner's active CRM connections, one Map branch each. */
export const handler = createTaskHandler({
  name: 'list-crm-connections',
  ...PIPELINE_TASK_CONTRACTS.ListCrmConnections,
  deps: pipelineRuntime,
  run: async (payload, deps, { log }) => {
    const result = await listCrmConnections(payload, deps);
    log.info('crm connections listed', { count: result.connections.length });
    return result;
  },
});
