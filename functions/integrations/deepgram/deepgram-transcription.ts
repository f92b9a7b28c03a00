import { TranscriptionUnavailableError } from '../../core/pipeline/errors';
import type { ProviderChoice } from '../../core/pipeline/transcription-ports';
import type { Config } from '../../platform/config/config';
import { transcriptionKey } from '../transcription-key';
import { createDeepgramProvider } from './deepgram-provider';

/** The message a meeting with audio fails with when Deepgram is chosen without its key. */
export const NO_DEEPGRAM_KEY_MESSAGE =
  'DEEPGRAM_API_KEY is not set (TRANSCRIPTION_PROVIDER=deepgram): audio cannot be transcribed here; upload a transcript file (WebVTT, SRT, text) instead';

/** Deepgram delivers transcripts only to a callback (it keeps no copy to fetch later). */
export const NO_DEEPGRAM_CALLBACK_MESSAGE =
  'WEBHOOK_BASE_URL is not set: Deepgram delivers transcripts only to a callback, so it needs the public https origin of this deployment; upload a transcript file (WebVTT, SRT, text) instead';

/** Deepgram as configured, or the error naming its missing key or callback origin. */
export function deepgramTranscription(cfg: Config): ProviderChoice {
  const t = cfg.transcription;
  const key = transcriptionKey(cfg, 'deepgram_api_key', t.deepgram.apiKey, NO_DEEPGRAM_KEY_MESSAGE);
  if ('unavailable' in key) return key;
  if (!t.webhookBaseUrl) {
    return {
      unavailable: new TranscriptionUnavailableError('WEBHOOK_BASE_URL', NO_DEEPGRAM_CALLBACK_MESSAGE),
    };
  }
  return {
    provider: createDeepgramProvider({
      apiKey: key.apiKey,
      baseUrl: t.deepgram.baseUrl,
      model: t.deepgram.model,
      projectId: t.deepgram.projectId,
    }),
  };
}
