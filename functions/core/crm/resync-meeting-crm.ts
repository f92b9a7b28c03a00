import type { Principal } from '../../contracts/principal';
import { ConflictError } from '../../platform/errors';
import { writableMeeting } from '../meetings/meeting-access';
import type { CrmSyncStatus } from './crm-sync-status';
import type { CrmDeps } from './ports';
import { syncMeetingToCrm } from './sync-meeting-to-crm';

/**
 * `POST /meetings/{id}/crm-sync`: runs the CRM sync of a completed meeting again, for each of its owner's active
 * connections, in parallel, and answers with each one's result.
 *
 * Inline rather than a new Step Functions execution: the work is bounded (at most one connection per provider,
 * so three branches of ≤ 2 + action-items calls each, every call with the configured timeout and attempts) and
 * idempotent, so the caller gets the outcome in the response instead of polling. If the function's time runs
 * out part-way, everything created so far is in the ledger and the next call finishes the rest — it never
 * duplicates. One provider failing is its own status (`failed`, why, attempts), never the others'.
 */
export async function resyncMeetingCrm(
  input: { actor: Principal; ip: string; meetingId: string },
  deps: Pick<
    CrmDeps,
    | 'meetings'
    | 'users'
    | 'connections'
    | 'connector'
    | 'ledger'
    | 'extractions'
    | 'audit'
    | 'clock'
    | 'settings'
  >,
): Promise<CrmSyncStatus[]> {
  const meeting = await writableMeeting(input.actor, input.meetingId, deps);
  if (meeting.status !== 'completed') {
    throw new ConflictError(
      `The meeting is ${meeting.status}; only a completed meeting can be synced again.`,
    );
  }
  const connections = (await deps.connections.listForAdvisor(meeting.tenantId, meeting.ownerUserId)).filter(
    (c) => c.status === 'active',
  );
  const results = await Promise.all(
    connections.map(async (c) => {
      const ref = { tenantId: meeting.tenantId, meetingId: meeting.meetingId, connectionId: c.connectionId };
      try {
        return await syncMeetingToCrm({ ...ref, provider: c.provider }, deps);
      } catch {
        // The use case recorded the failure (why, attempts) before rethrowing; the caller sees that record.
        const recorded = await deps.ledger.status(ref.tenantId, ref.meetingId, ref.connectionId);
        if (recorded) return recorded;
        throw new Error(`CRM sync of ${c.provider} failed before it could record why`);
      }
    }),
  );
  await deps.audit.append(meeting.tenantId, {
    action: 'meeting.crm_resynced',
    outcome: results.every((r) => r.status !== 'failed') ? 'success' : 'failure',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'meeting', id: meeting.meetingId },
    ip: input.ip,
    details: {
      connections: results.length,
      synced: results.filter((r) => r.status === 'synced').length,
      failed: results.filter((r) => r.status === 'failed').length,
    },
  });
  return results;
}
