import type { CrmConnectionRef } from '../../contracts/pipeline-task-contracts';
import { pipelineMeeting } from './meeting-transitions';
import type { MeetingRef, PipelineDeps } from './ports';

/**
 * The `ListCrmConnections` step: the active connections of the meeting's owner — the advisor whose CRM the
 * meeting belongs in — one `SyncCrm` branch each. Other advisors' connections in the firm are never used.
 */
export async function listCrmConnections(
  ref: MeetingRef,
  deps: Pick<PipelineDeps, 'crm' | 'meetings'>,
): Promise<{ connections: CrmConnectionRef[] }> {
  const meeting = await pipelineMeeting(ref, deps);
  return { connections: await deps.crm.listActive(ref.tenantId, meeting.ownerUserId) };
}
