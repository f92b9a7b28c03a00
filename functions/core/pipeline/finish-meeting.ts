import type * as z from 'zod';
import type { CrmOutcomeSchema, TaskError } from '../../contracts/pipeline-task-contracts';
import { failureReasonOf } from '../../contracts/pipeline-task-contracts';
import { ConflictError } from '../../platform/errors';
import type { AuditEntry } from '../audit/audit-entry';
import type { CrmSyncOutcome, Meeting } from '../meetings/meeting';
import {
  isTerminal,
  meetingAuditEntry,
  NON_TERMINAL_STATUSES,
  nowIso,
  pipelineMeeting,
} from './meeting-transitions';
import type { MeetingRef, PipelineDeps } from './ports';

type Deps = Pick<PipelineDeps, 'meetings' | 'clock'>;

/**
 * Writes a terminal status unless the meeting already has one: a retried `MarkCompleted` or `MarkFailed` (or a
 * write racing another) finds it final and changes nothing. Returns whether this call finished the meeting.
 */
async function finish(
  ref: MeetingRef,
  deps: Deps,
  change: (meeting: Meeting, now: string) => Meeting,
  audit: AuditEntry,
) {
  const meeting = await pipelineMeeting(ref, deps);
  if (isTerminal(meeting.status)) return { meeting, changed: false };
  const next = change(meeting, nowIso(deps));
  try {
    await deps.meetings.replace(next, { status: NON_TERMINAL_STATUSES, updatedAt: meeting.updatedAt }, audit);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const current = await pipelineMeeting(ref, deps);
    if (isTerminal(current.status)) return { meeting: current, changed: false };
    throw error;
  }
  return { meeting: next, changed: true };
}

/** The `MarkCompleted` step: `completed`, with the archive status and the CRM outcomes. */
export async function markCompleted(
  input: MeetingRef & { archive: 'archived' | 'failed'; crm: z.infer<typeof CrmOutcomeSchema>[] },
  deps: Deps,
): Promise<{ changed: boolean }> {
  const crm: CrmSyncOutcome[] = input.crm.map(({ connection, outcome }) => ({
    connectionId: connection.connectionId,
    provider: connection.provider,
    status: outcome.status,
    ...(outcome.status === 'failed' ? { error: (outcome.error ?? 'CrmSyncFailed').slice(0, 200) } : {}),
  }));
  const { changed } = await finish(
    input,
    deps,
    (m, now) => ({
      ...m,
      status: 'completed',
      completedAt: now,
      archiveStatus: input.archive,
      crm,
      updatedAt: now,
    }),
    meetingAuditEntry(input, 'meeting.completed', 'success', {
      archiveStatus: input.archive,
      crmFailed: crm.filter((c) => c.status === 'failed').length,
    }),
  );
  return { changed };
}

/** The `MarkFailed` step: `failed`, with the failure reason `failureReasonOf` derives from the caught error. */
export async function markFailed(
  input: MeetingRef & { error: TaskError },
  deps: Deps,
): Promise<{ changed: boolean }> {
  const failureReason = failureReasonOf(input.error);
  const { changed } = await finish(
    input,
    deps,
    (m, now) => ({ ...m, status: 'failed', failureReason, updatedAt: now }),
    meetingAuditEntry(input, 'meeting.failed', 'failure', { error: input.error.Error.slice(0, 200) }),
  );
  return { changed };
}
