import { vendorKeyProvider } from '../../adapters/secrets/vendor-keys';
import type { ProviderChoice } from '../../core/pipeline/transcription-ports';
import type { Config } from '../../platform/config/config';
import { TranscriptionUnavailableError } from '../../platform/errors';
import { createAssemblyAiProvider } from './assemblyai-provider';

/** The message a meeting with audio fails with when no provider key is set (DESIGN §6). */
export const NO_ASSEMBLYAI_KEY_MESSAGE =
  'ASSEMBLYAI_API_KEY is not set: audio cannot be transcribed here; upload a transcript file (WebVTT, SRT, text) instead';

/** AssemblyAI as configured, or the error naming its missing key. */
export function assemblyAiTranscription(cfg: Config): ProviderChoice {
  const t = cfg.transcription;
  const apiKey = vendorKeyProvider('assemblyai_api_key', {
    env: t.assemblyAi.apiKey,
    document: cfg.vendorKeys,
  });
  if (!apiKey) {
    return {
      unavailable: new TranscriptionUnavailableError('ASSEMBLYAI_API_KEY', NO_ASSEMBLYAI_KEY_MESSAGE),
    };
  }
  return {
    provider: createAssemblyAiProvider({
      apiKey,
      baseUrl: t.assemblyAi.baseUrl,
      speechModels: t.assemblyAi.speechModels,
    }),
  };
}
