import { transcriptionRuntime } from '../composition/transcription-runtime';
import { PollTranscriptionPayloadSchema } from '../contracts/pipeline-task-contracts';
import { pollTranscription } from '../core/pipeline/collect-transcript';
import { createTaskHandler } from '../platform/handlers/task-handler';

/** `PollTranscription` (after the callback timed out): `completed` once stored, `processing` while not done. */
export const handler = createTaskHandler({
  name: 'poll-transcription',
  payload: PollTranscriptionPayloadSchema,
  deps: transcriptionRuntime,
  run: async (payload, deps, { log }): Promise<{ status: 'completed' | 'processing' }> => {
    const result = await pollTranscription(payload, deps);
    log.info('transcription polled', { attempt: payload.attempt, status: result.status });
    return result;
  },
});
