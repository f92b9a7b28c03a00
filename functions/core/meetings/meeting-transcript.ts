import type { Principal } from '../../contracts/principal';
import { NotFoundError } from '../../platform/errors';
import { type Transcript, TranscriptSchema } from '../transcript/transcript';
import { readableMeeting } from './meeting-access';
import type { MeetingDeps } from './ports';

export interface MeetingTranscriptInput {
  actor: Principal;
  ip: string;
  meetingId: string;
}

/**
 * The meeting's normalised transcript, decrypted, for someone who may read the meeting. Every read is written to
 * the audit trail before the transcript is returned: if the audit write fails, nothing is shown.
 */
export async function meetingTranscript(
  input: MeetingTranscriptInput,
  deps: Pick<MeetingDeps, 'meetings' | 'users' | 'extractions' | 'audit'>,
): Promise<Transcript> {
  const meeting = await readableMeeting(input.actor, input.meetingId, deps);
  if (!meeting.transcriptKey || !deps.extractions)
    throw new NotFoundError('This meeting has no transcript yet.');
  const transcript = TranscriptSchema.parse(
    await deps.extractions.getJson(meeting.tenantId, meeting.transcriptKey),
  );
  await deps.audit.append(meeting.tenantId, {
    action: 'meeting.transcript_read',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'meeting', id: meeting.meetingId },
    ip: input.ip,
    details: { utterances: transcript.utterances.length },
  });
  return transcript;
}
