import type * as z from 'zod';
import type { CrmConnection } from '../../core/crm/crm-connection';
import type { CrmSyncStatus } from '../../core/crm/crm-sync-status';
import type { CrmSyncOutcome } from '../../core/meetings/meeting';
import type { CrmConnectionViewSchema, CrmSyncViewSchema } from '../routes/crm-routes';

/** A connection without its credentials: they never leave the store except to the CRM itself. */
export function crmConnectionView(connection: CrmConnection): z.input<typeof CrmConnectionViewSchema> {
  return {
    id: connection.connectionId,
    // Stored connections name registry CRMs; the route's response schema checks it.
    provider: connection.provider as z.input<typeof CrmConnectionViewSchema>['provider'],
    advisor_id: connection.advisorId,
    status: connection.status,
    ...(connection.accountLabel ? { account_label: connection.accountLabel } : {}),
    ...(connection.crmUserId ? { crm_user_id: connection.crmUserId } : {}),
    connected_by: connection.connectedBy,
    created_at: connection.createdAt,
    ...(connection.lastTestedAt ? { last_tested_at: connection.lastTestedAt } : {}),
    ...(connection.lastTestOutcome ? { last_test_outcome: connection.lastTestOutcome } : {}),
  };
}

/** One connection's sync of a meeting, from its status item. */
export function crmSyncView(status: CrmSyncStatus): z.input<typeof CrmSyncViewSchema> {
  const contact = status.contact;
  return {
    connection_id: status.connectionId,
    provider: status.provider,
    status: status.status,
    ...(status.reason ? { reason: status.reason } : {}),
    ...(status.errorKind ? { error_kind: status.errorKind } : {}),
    attempts: status.attempts,
    ...(contact
      ? {
          contact:
            contact.status === 'matched'
              ? { status: 'matched', id: contact.contactId, name: contact.name, matched_by: contact.by }
              : { status: 'not_matched', reason: contact.reason, candidates: contact.candidates },
        }
      : {}),
    remote_ids: {
      ...(status.note ? { note: status.note.remoteId } : {}),
      tasks: status.tasks.map((t) => t.remoteId),
    },
    ...(status.notCreated.length > 0
      ? { not_created: status.notCreated.map((n) => ({ external_id: n.externalId, reason: n.reason })) }
      : {}),
    updated_at: status.updatedAt,
  };
}

/**
 * A meeting's CRM results: each connection's status item, and for a connection the pipeline ended without one
 * (it failed before it could write), the outcome `MarkCompleted` recorded.
 */
export function meetingCrmView(
  outcomes: readonly CrmSyncOutcome[],
  statuses: readonly CrmSyncStatus[],
): z.input<typeof CrmSyncViewSchema>[] {
  const views = statuses.map(crmSyncView);
  for (const outcome of outcomes) {
    if (statuses.some((s) => s.connectionId === outcome.connectionId)) continue;
    views.push({
      connection_id: outcome.connectionId,
      provider: outcome.provider,
      status: outcome.status,
      ...(outcome.error ? { reason: outcome.error } : {}),
    });
  }
  return views;
}
