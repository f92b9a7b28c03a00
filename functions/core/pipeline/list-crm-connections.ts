import type { CrmConnectionRef } from '../../../lib/pipeline-task-contracts';
import type { MeetingRef, PipelineDeps } from './ports';

/** The `ListCrmConnections` step: the tenant's active connections, one `SyncCrm` branch each. */
export async function listCrmConnections(
  ref: MeetingRef,
  deps: Pick<PipelineDeps, 'crm'>,
): Promise<{ connections: CrmConnectionRef[] }> {
  return { connections: await deps.crm.listActive(ref.tenantId) };
}
