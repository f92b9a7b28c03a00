import type { MeetingRef } from '../../contracts/pipeline-task-contracts';
import { webhookAuthValue } from '../../platform/crypto/webhook-auth';
import { ConflictError, NotFoundError } from '../../platform/errors';
import type { Meeting } from '../meetings/meeting';
import { storedFileOf } from '../meetings/stored-file';
import type { TranscriptionDeps, TranscriptionProvider, TranscriptionWebhook } from './transcription-ports';

/** The path providers call back on, below `WEBHOOK_BASE_URL` (outside `/api/v1`: it is not the client API). */
export function transcriptionWebhookPath(provider: string): string {
  return `/webhooks/transcription/${provider}`;
}

/** The provider, or the error naming the setting that is missing (the meeting fails with its message). */
export function requireProvider(deps: Pick<TranscriptionDeps, 'provider'>): TranscriptionProvider {
  const choice = deps.provider();
  if ('unavailable' in choice) throw choice.unavailable;
  return choice.provider;
}

export async function transcriptionMeeting(
  ref: MeetingRef,
  deps: Pick<TranscriptionDeps, 'meetings'>,
): Promise<Meeting> {
  const meeting = await deps.meetings.get(ref.tenantId, ref.meetingId);
  if (!meeting) throw new NotFoundError(`Meeting ${ref.meetingId} of tenant ${ref.tenantId} not found.`);
  return meeting;
}

/**
 * The `Transcribe` task: submits the meeting's recording to the provider with a webhook that carries the
 * meeting's ids and a per-meeting HMAC auth value, then records the job id and the task token on the meeting so the
 * webhook (or the fallback poll) can finish it. A retried invocation with the same token does not submit again.
 *
 * @throws TranscriptionUnavailableError without a provider key (the message names the setting).
 */
export async function startTranscription(
  input: MeetingRef & { taskToken: string },
  deps: TranscriptionDeps,
): Promise<{ outcome: 'submitted' | 'already_submitted'; jobId: string }> {
  const meeting = await transcriptionMeeting(input, deps);
  if (meeting.status !== 'pending' && meeting.status !== 'processing') {
    throw new ConflictError(`Meeting ${meeting.meetingId} is ${meeting.status}: nothing to transcribe.`);
  }
  if (meeting.source.kind !== 'audio') {
    throw new ConflictError(`Meeting ${meeting.meetingId} has a transcript file, not a recording.`);
  }
  if (meeting.transcription?.taskToken === input.taskToken) {
    return { outcome: 'already_submitted', jobId: meeting.transcription.jobId };
  }
  const provider = requireProvider(deps);
  const source = meeting.source;
  const file = storedFileOf(source);
  let audioUrl: string;
  if (source.type === 'url') audioUrl = source.url;
  else if (file)
    audioUrl = await deps.recordings.presignGet(file.objectKey, deps.settings.recordingLinkTtlSeconds);
  else throw new ConflictError(`Meeting ${meeting.meetingId} has no recording file yet.`);
  const webhook = await webhookFor(provider.name, input, deps);
  const { jobId } = await provider.submit({ audioUrl, ...(webhook ? { webhook } : {}) });

  const now = new Date(deps.clock.now()).toISOString();
  await deps.meetings.replace(
    {
      ...meeting,
      status: 'processing',
      processingStartedAt: meeting.processingStartedAt ?? now,
      transcription: { provider: provider.name, jobId, taskToken: input.taskToken, submittedAt: now },
      updatedAt: now,
    },
    { status: [meeting.status], updatedAt: meeting.updatedAt },
  );
  return { outcome: 'submitted', jobId };
}

async function webhookFor(
  provider: string,
  ref: MeetingRef,
  deps: Pick<TranscriptionDeps, 'settings'>,
): Promise<TranscriptionWebhook | undefined> {
  const { webhookBaseUrl, webhookSecret } = deps.settings;
  // Without a public URL (a laptop) there is no callback: the task times out and the fallback poll collects.
  if (!webhookBaseUrl || !webhookSecret) return undefined;
  const url = new URL(`${webhookBaseUrl}${transcriptionWebhookPath(provider)}`);
  url.searchParams.set('tenant', ref.tenantId);
  url.searchParams.set('meeting', ref.meetingId);
  return { url: url.toString(), authValue: webhookAuthValue(await webhookSecret(), { provider, ...ref }) };
}
