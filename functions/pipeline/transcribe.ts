import { transcriptionRuntime } from '../composition/transcription-runtime';
import { TranscribePayloadSchema } from '../contracts/pipeline-task-contracts';
import { startTranscription } from '../core/pipeline/start-transcription';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'transcribe');
const deps = transcriptionRuntime();

/**
 * `Transcribe` (`.waitForTaskToken`): submits the recording with the task token stored on the meeting; the
 * webhook resumes the execution. Throws `TranscriptionUnavailableError` without a provider key.
 */
export async function handler(event: unknown): Promise<{ submitted: true }> {
  const payload = TranscribePayloadSchema.parse(event);
  const result = await startTranscription(payload, deps);
  log.info('transcription submitted', { tenant: payload.tenantId, meeting: payload.meetingId, ...result });
  return { submitted: true };
}
