import type { MeetingRef } from '../../contracts/pipeline-task-contracts';
import { ConflictError } from '../../platform/errors';
import type { Meeting } from '../meetings/meeting';
import { TranscriptionFailedError } from './errors';
import { requireProvider, transcriptionMeeting } from './start-transcription';
import { TRANSCRIPT_FILE_NAME, type TranscriptionDeps } from './transcription-ports';

export type Collected =
  | { status: 'completed'; transcriptKey: string }
  | { status: 'processing' }
  | { status: 'failed'; reason: string };

/**
 * Asks the provider about the meeting's job — or takes the transcript document the provider's callback
 * `delivered` (some send the whole transcript, others only say it is ready) — and parses a completed
 * one into the normalised transcript, stored encrypted as the meeting's `transcript.json` and pointed to by
 * `transcriptKey`, where Extract reads it. The webhook and the fallback poll both end here, so they store the
 * same thing; a collected job is not fetched again (which is how the poll finds a delivering callback that
 * arrived after the task timed out).
 *
 * @throws MalformedTranscriptError when the provider's transcript cannot be read (e.g. no speech at all).
 */
export async function collectTranscript(
  meeting: Meeting,
  deps: TranscriptionDeps,
  delivered?: { raw: unknown },
): Promise<Collected> {
  const job = meeting.transcription;
  if (!job) throw new ConflictError(`Meeting ${meeting.meetingId} has no transcription job.`);
  if (job.collectedAt && meeting.transcriptKey)
    return { status: 'completed', transcriptKey: meeting.transcriptKey };
  if (meeting.status !== 'processing') {
    throw new ConflictError(`Meeting ${meeting.meetingId} is ${meeting.status}, not processing.`);
  }
  const provider = requireProvider(deps);
  if (provider.name !== job.provider) {
    throw new ConflictError(
      `The job of meeting ${meeting.meetingId} is ${job.provider}'s, not ${provider.name}'s.`,
    );
  }
  const state = delivered
    ? { status: 'completed' as const, raw: delivered.raw }
    : await provider.job(job.jobId);
  if (state.status === 'error') return { status: 'failed', reason: state.reason };
  if (state.status !== 'completed') return { status: 'processing' };

  // The job is this provider's (checked above), so its document is in the provider's format.
  const transcript = provider.parse(state.raw);
  const ref: MeetingRef = { tenantId: meeting.tenantId, meetingId: meeting.meetingId };
  const transcriptKey = await deps.blobs.putJson(ref, TRANSCRIPT_FILE_NAME, transcript);
  const now = new Date(deps.clock.now()).toISOString();
  await deps.meetings.replace(
    { ...meeting, transcriptKey, transcription: { ...job, collectedAt: now }, updatedAt: now },
    { status: ['processing'], updatedAt: meeting.updatedAt },
  );
  return { status: 'completed', transcriptKey };
}

/**
 * The `PollTranscription` task (after the callback timed out): `completed` once the transcript is stored,
 * `processing` while the provider works.
 *
 * @throws TranscriptionFailedError with the provider's reason when the job failed.
 */
export async function pollTranscription(
  ref: MeetingRef,
  deps: TranscriptionDeps,
): Promise<{ status: 'completed' | 'processing' }> {
  const collected = await collectTranscript(await transcriptionMeeting(ref, deps), deps);
  if (collected.status === 'failed') throw new TranscriptionFailedError(collected.reason);
  return { status: collected.status };
}
