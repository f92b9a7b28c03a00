import { failureReasonOf, type TaskError } from '../../contracts/pipeline-task-contracts';
import { COMPLIANCE_ACTION_REQUIRED } from '../../contracts/pipeline-tasks';
import { isTerminal, meetingAuditEntry, nowIso, pipelineMeeting } from './meeting-transitions';
import type { MeetingRef, PipelineDeps } from './ports';

/** The error-level line an operator (and a log subscription) acts on. */
export function archiveFailureLine(ref: MeetingRef, reason: string): string {
  return `${COMPLIANCE_ACTION_REQUIRED}: meeting ${ref.meetingId} of tenant ${ref.tenantId} could not be archived: ${reason}`;
}

/**
 * The `ArchiveFailed` step, after the archive's last retry: the compliance line and the `ArchiveFailures` metric
 * first (so the alarm fires even if the table write fails), then `archiveStatus: failed`. The meeting itself
 * still completes.
 */
export async function recordArchiveFailure(
  input: MeetingRef & { error: TaskError },
  deps: Pick<PipelineDeps, 'meetings' | 'signals' | 'clock'>,
): Promise<void> {
  const reason = failureReasonOf(input.error);
  deps.signals.complianceActionRequired(archiveFailureLine(input, reason));
  deps.signals.archiveFailure();
  const meeting = await pipelineMeeting(input, deps);
  if (isTerminal(meeting.status) || meeting.archiveStatus === 'failed') return;
  await deps.meetings.replace(
    { ...meeting, archiveStatus: 'failed', updatedAt: nowIso(deps) },
    { status: [meeting.status], updatedAt: meeting.updatedAt },
    meetingAuditEntry(meeting, 'meeting.archive_failed', 'failure', {
      error: input.error.Error.slice(0, 200),
    }),
  );
}
