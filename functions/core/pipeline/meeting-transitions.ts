import { ConflictError, NotFoundError } from '../../platform/errors';
import type { AuditEntry } from '../audit/audit-entry';
import type { Meeting, MeetingStatus } from '../meetings/meeting';
import type { MeetingRef, PipelineDeps } from './ports';
import { PIPELINE_ACTOR_IP } from './ports';

/** Statuses a pipeline run may still change; `completed` and `failed` are final. */
export const NON_TERMINAL_STATUSES: readonly MeetingStatus[] = [
  'pending_upload',
  'awaiting_consent',
  'pending',
  'processing',
];

export function isTerminal(status: MeetingStatus): boolean {
  return !NON_TERMINAL_STATUSES.includes(status);
}

/** The meeting a task is about; a missing one cannot become present by retrying, but says so plainly. */
export async function pipelineMeeting(
  ref: MeetingRef,
  deps: Pick<PipelineDeps, 'meetings'>,
): Promise<Meeting> {
  const meeting = await deps.meetings.get(ref.tenantId, ref.meetingId);
  if (!meeting) throw new NotFoundError(`Meeting ${ref.meetingId} of tenant ${ref.tenantId} not found.`);
  return meeting;
}

/** `ConflictError` unless the meeting is being processed: the steps after extraction only change such meetings. */
export function assertProcessing(meeting: Meeting): void {
  if (meeting.status !== 'processing') {
    throw new ConflictError(`Meeting ${meeting.meetingId} is ${meeting.status}, not processing.`);
  }
}

export function nowIso(deps: Pick<PipelineDeps, 'clock'>): string {
  return new Date(deps.clock.now()).toISOString();
}

/** The audit entry of a pipeline change to a meeting (no actor: the system acted); written with the change. */
export function meetingAuditEntry(
  meeting: Pick<Meeting, 'meetingId'>,
  action: string,
  outcome: 'success' | 'failure',
  details: Record<string, string | number | boolean> = {},
): AuditEntry {
  return {
    action,
    outcome,
    target: { type: 'meeting', id: meeting.meetingId },
    ip: PIPELINE_ACTOR_IP,
    details,
  };
}
