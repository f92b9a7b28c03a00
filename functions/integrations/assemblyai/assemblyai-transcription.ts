import type { ProviderChoice } from '../../core/pipeline/transcription-ports';
import type { Config } from '../../platform/config/config';
import { transcriptionKey } from '../transcription-key';
import { createAssemblyAiProvider } from './assemblyai-provider';

/** The message a meeting with audio fails with when no provider key is set (DESIGN §6). */
export const NO_ASSEMBLYAI_KEY_MESSAGE =
  'ASSEMBLYAI_API_KEY is not set: audio cannot be transcribed here; upload a transcript file (WebVTT, SRT, text) instead';

/** AssemblyAI as configured, or the error naming its missing key. */
export function assemblyAiTranscription(cfg: Config): ProviderChoice {
  const t = cfg.transcription;
  const key = transcriptionKey(cfg, 'assemblyai_api_key', t.assemblyAi.apiKey, NO_ASSEMBLYAI_KEY_MESSAGE);
  if ('unavailable' in key) return key;
  return {
    provider: createAssemblyAiProvider({
      apiKey: key.apiKey,
      baseUrl: t.assemblyAi.baseUrl,
      speechModels: t.assemblyAi.speechModels,
    }),
  };
}
