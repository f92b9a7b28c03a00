import { transcriptionRuntime } from '../composition/transcription-runtime';
import { TranscribePayloadSchema } from '../contracts/pipeline-task-contracts';
import { startTranscription } from '../core/pipeline/start-transcription';
import { createTaskHandler } from '../platform/handlers/task-handler';

/**
 * `Transcribe` (`.waitForTaskToken`): submits the recording with the task token stored on the meeting; the
 * webhook resumes the execution. Throws `TranscriptionUnavailableError` without a provider key.
 */
export const handler = createTaskHandler({
  name: 'transcribe',
  payload: TranscribePayloadSchema,
  deps: transcriptionRuntime,
  run: async (payload, deps, { log }): Promise<{ submitted: true }> => {
    const result = await startTranscription(payload, deps);
    log.info('transcription submitted', result);
    return { submitted: true };
  },
});
