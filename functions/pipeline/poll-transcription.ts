import { transcriptionRuntime } from '../composition/transcription-runtime';
import { PollTranscriptionPayloadSchema } from '../contracts/pipeline-task-contracts';
import { pollTranscription } from '../core/pipeline/collect-transcript';
import { config } from '../platform/config/config';
import { functionLogger } from '../platform/http/http-handler';

const log = functionLogger(config(), 'poll-transcription');
const deps = transcriptionRuntime();

/** `PollTranscription` (after the callback timed out): `completed` once stored, `processing` while not done. */
export async function handler(event: unknown): Promise<{ status: 'completed' | 'processing' }> {
  const payload = PollTranscriptionPayloadSchema.parse(event);
  const result = await pollTranscription(payload, deps);
  log.info('transcription polled', {
    tenant: payload.tenantId,
    meeting: payload.meetingId,
    attempt: payload.attempt,
    status: result.status,
  });
  return result;
}
