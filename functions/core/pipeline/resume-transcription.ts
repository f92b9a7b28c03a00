import { webhookAuthMatches } from '../../platform/crypto/webhook-auth';
import { AppError, UnauthorizedError } from '../../platform/errors';
import type { Meeting } from '../meetings/meeting';
import { collectTranscript } from './collect-transcript';
import { StaleTaskTokenError } from './errors';
import type { TranscriptionCallbackDeps, TranscriptionProviderName } from './transcription-ports';

export interface TranscriptionCallback {
  provider: TranscriptionProviderName;
  tenantId: string;
  meetingId: string;
  jobId: string;
  /** The per-meeting auth value as received, from wherever the provider puts it (absent = not sent). */
  authValue: string | undefined;
  /** The transcript document, when the callback carries it; otherwise the provider is asked. */
  delivered?: { raw: unknown };
}

export type CallbackOutcome =
  | { outcome: 'resumed' }
  | { outcome: 'failed'; error: string }
  | { outcome: 'stale'; reason: string }
  | { outcome: 'ignored'; reason: string };

/**
 * Not done yet although the provider said so, or the callback outran the Transcribe task recording the job:
 * answered 5xx so the provider calls again.
 */
export class TranscriptNotReadyError extends Error {
  constructor(jobId: string, why = 'is not finished yet') {
    super(`Job ${jobId} ${why}`);
    this.name = 'TranscriptNotReadyError';
  }
}

/**
 * The provider's webhook: authenticates the call for this tenant and meeting (constant time, before anything
 * is read), collects the transcript as the poll would, and resumes the waiting execution — success, or
 * `TranscriptionFailedError` with the provider's reason. A callback whose token is already answered (a duplicate,
 * or the poll got there first) is `stale`, not an error: the provider must not retry it. A delivered transcript
 * is stored even when the token is stale (the task timed out), so the fallback poll finds it.
 *
 * @throws UnauthorizedError when the header does not match (no side effect).
 */
export async function resumeTranscription(
  input: TranscriptionCallback,
  deps: TranscriptionCallbackDeps,
): Promise<CallbackOutcome> {
  const secret = deps.settings.webhookSecret;
  if (!secret || !webhookAuthMatches(await secret(), input, input.authValue)) throw new UnauthorizedError();

  const meeting = await deps.meetings.get(input.tenantId, input.meetingId);
  const job = meeting?.transcription;
  if (meeting && !job && meeting.status === 'pending') {
    // A fast provider can answer a short recording before Transcribe has stored the job id: let it call again.
    throw new TranscriptNotReadyError(input.jobId, 'is not recorded on the meeting yet');
  }
  if (!meeting || !job) return { outcome: 'ignored', reason: 'no transcription job for this meeting' };
  if (job.provider !== input.provider || job.jobId !== input.jobId) {
    return { outcome: 'ignored', reason: "not the meeting's current job" };
  }
  if (meeting.status !== 'processing') return { outcome: 'ignored', reason: `meeting is ${meeting.status}` };

  let failure: { error: string; cause: string } | undefined;
  try {
    const collected = await collectTranscript(meeting, deps, input.delivered);
    if (collected.status === 'processing') throw new TranscriptNotReadyError(job.jobId);
    if (collected.status === 'failed')
      failure = { error: 'TranscriptionFailedError', cause: collected.reason };
  } catch (error) {
    // An unreadable transcript fails the meeting with its reason; anything else is retried by the provider.
    if (!(error instanceof AppError) || error.code !== 'malformed_transcript') throw error;
    failure = { error: error.name, cause: error.message };
  }
  return answer(meeting, failure, deps);
}

async function answer(
  meeting: Meeting,
  failure: { error: string; cause: string } | undefined,
  deps: TranscriptionCallbackDeps,
): Promise<CallbackOutcome> {
  const token = meeting.transcription?.taskToken ?? '';
  try {
    if (failure) {
      await deps.callbacks.sendTaskFailure(token, failure.error, failure.cause);
      return { outcome: 'failed', error: failure.error };
    }
    await deps.callbacks.sendTaskSuccess(token, {});
    return { outcome: 'resumed' };
  } catch (error) {
    if (error instanceof StaleTaskTokenError) return { outcome: 'stale', reason: error.reason };
    throw error;
  }
}
