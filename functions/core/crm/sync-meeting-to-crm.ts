import { NotFoundError } from '../../platform/errors';
import { VerifiedExtractionSchema } from '../extraction/extraction-schema';
import { contactForMeeting } from './contact-for-meeting';
import { crmMeetingRecords } from './crm-meeting-records';
import {
  type CrmProviderName,
  type CrmRemoteRecord,
  CrmRequestError,
  CrmUnsupportedError,
} from './crm-provider';
import type { CrmContactResolution, CrmSyncStatus } from './crm-sync-status';
import type { CrmDeps } from './ports';

export interface SyncMeetingToCrmInput {
  tenantId: string;
  meetingId: string;
  connectionId: string;
  provider: CrmProviderName;
}

export type SyncMeetingToCrmDeps = Pick<
  CrmDeps,
  'meetings' | 'connections' | 'connector' | 'ledger' | 'extractions' | 'clock' | 'settings'
>;

/** Why a failure happened, safe to store and show: `CrmRequestError` messages carry no client content by contract. */
function failureReason(error: unknown): { reason: string; errorKind: string } {
  if (error instanceof CrmRequestError) return { reason: error.message.slice(0, 500), errorKind: error.kind };
  const name = error instanceof Error ? error.name : 'Error';
  return { reason: `${name}: the sync stopped on an internal error (see the logs).`, errorKind: 'internal' };
}

/**
 * Syncs one meeting to one of its owner's CRM connections: finds the client's contact, creates the note and one
 * task per verified action item, and records the outcome on the meeting. Idempotent: every remote id goes into
 * the ledger right after the CRM returns it, and a retry or re-run creates only what the ledger lacks — when
 * nothing is missing it makes no CRM call at all, and a contact matched earlier is reused, not searched again.
 * Calls per provider: one search per client name until one matches (one for a single-client meeting), the note,
 * and one per task: ≤ 2 + action items.
 *
 * A CRM failure is written to the status (why, attempt count) and rethrown, so the caller decides whether to
 * retry; a connection removed meanwhile, or a meeting with nothing extracted, is `skipped` with the reason.
 */
export async function syncMeetingToCrm(
  input: SyncMeetingToCrmInput,
  deps: SyncMeetingToCrmDeps,
): Promise<CrmSyncStatus> {
  const meeting = await deps.meetings.get(input.tenantId, input.meetingId);
  if (!meeting) throw new NotFoundError('Meeting not found.');
  // Independent reads, together: the branch's wall time is mostly round trips.
  const [previous, connection, ledger, stored] = await Promise.all([
    deps.ledger.status(input.tenantId, input.meetingId, input.connectionId),
    deps.connections.get(input.tenantId, meeting.ownerUserId, input.provider),
    deps.ledger.entries(input.tenantId, input.meetingId, input.connectionId),
    meeting.extractionKey ? deps.extractions.getJson(input.tenantId, meeting.extractionKey) : undefined,
  ]);
  const base = {
    tenantId: input.tenantId,
    meetingId: input.meetingId,
    connectionId: input.connectionId,
    provider: input.provider,
    attempts: (previous?.attempts ?? 0) + 1,
  };
  const now = () => new Date(deps.clock.now()).toISOString();
  const save = async (status: Omit<CrmSyncStatus, keyof typeof base | 'updatedAt'>) => {
    const full: CrmSyncStatus = { ...base, ...status, updatedAt: now() };
    await deps.ledger.putStatus(full);
    return full;
  };

  if (!connection || connection.connectionId !== input.connectionId || connection.status !== 'active') {
    return save({
      status: 'skipped',
      reason: 'The CRM connection was removed or replaced after this sync was scheduled.',
      tasks: [],
      notCreated: [],
    });
  }
  if (stored === undefined) {
    return save({
      status: 'skipped',
      reason: 'The meeting has nothing extracted to sync yet.',
      tasks: [],
      notCreated: [],
    });
  }
  const extraction = VerifiedExtractionSchema.parse(stored);
  const records = crmMeetingRecords(meeting, extraction, {
    ...(deps.settings.appBaseUrl ? { appBaseUrl: deps.settings.appBaseUrl } : {}),
    ...(connection.crmUserId ? { advisorCrmUserId: connection.crmUserId } : {}),
  });

  const created = new Map<string, string>();
  for (const entry of ledger) created.set(entry.externalId, entry.remoteId);
  // Each remote id is written to the ledger as soon as the CRM returns it, while the next record is being
  // created; every write is awaited before the sync reports anything.
  const recording: Promise<void>[] = [];
  const remember = async (kind: 'note' | 'task', record: CrmRemoteRecord) => {
    created.set(record.externalId, record.remoteId);
    recording.push(
      deps.ledger.record({
        tenantId: input.tenantId,
        meetingId: input.meetingId,
        connectionId: input.connectionId,
        externalId: record.externalId,
        kind,
        remoteId: record.remoteId,
        createdAt: now(),
      }),
    );
  };
  const outcome = () => ({
    ...(created.has(records.note.externalId)
      ? {
          note: {
            externalId: records.note.externalId,
            remoteId: created.get(records.note.externalId) as string,
          },
        }
      : {}),
    tasks: records.tasks
      .filter((t) => created.has(t.externalId))
      .map((t) => ({ externalId: t.externalId, remoteId: created.get(t.externalId) as string })),
  });

  const noteMissing = !created.has(records.note.externalId);
  const tasksMissing = records.tasks.filter((t) => !created.has(t.externalId));
  if (!noteMissing && tasksMissing.length === 0) {
    const known = previous?.contact;
    return save({ status: 'synced', ...(known ? { contact: known } : {}), ...outcome(), notCreated: [] });
  }
  // A contact found earlier is reused; one not found is searched again (it may have been added since).
  let contact: CrmContactResolution | undefined =
    previous?.contact?.status === 'matched' ? previous.contact : undefined;

  const notCreated: CrmSyncStatus['notCreated'] = [];
  try {
    const crm = deps.connector.provider(connection.credentials);
    contact ??= await contactForMeeting(crm, meeting.clientNames);
    const contactId = contact.status === 'matched' ? contact.contactId : undefined;
    const linked = contactId ? { contactId } : {};
    if (noteMissing) {
      try {
        await remember('note', await crm.createNote({ ...records.note, ...linked }));
      } catch (error) {
        if (!(error instanceof CrmUnsupportedError)) throw error;
        notCreated.push({ externalId: records.note.externalId, reason: error.message.slice(0, 300) });
      }
    }
    if (tasksMissing.length > 0) {
      try {
        await crm.createTasks(
          tasksMissing.map((t) => ({ ...t, ...linked })),
          (record) => remember('task', record),
        );
      } catch (error) {
        if (!(error instanceof CrmUnsupportedError)) throw error;
        for (const t of tasksMissing) {
          if (!created.has(t.externalId))
            notCreated.push({ externalId: t.externalId, reason: error.message.slice(0, 300) });
        }
      }
    }
    await Promise.all(recording);
  } catch (error) {
    await Promise.allSettled(recording);
    await save({
      status: 'failed',
      ...failureReason(error),
      ...(contact ? { contact } : {}),
      ...outcome(),
      notCreated,
    });
    throw error;
  }
  if (notCreated.length > 0) {
    return save({
      status: 'skipped',
      reason:
        contact.status === 'matched'
          ? `${input.provider} refused some records: ${notCreated[0]?.reason ?? ''}`.slice(0, 500)
          : `Contact not matched (${contact.reason}); ${input.provider} cannot hold a note or task linked to no contact.`,
      contact,
      ...outcome(),
      notCreated,
    });
  }
  return save({ status: 'synced', contact, ...outcome(), notCreated });
}
