import { type KeyProvider, VENDOR_KEY_VARIABLES, vendorKeyProvider } from '../adapters/secrets/vendor-keys';
import { TranscriptionUnavailableError } from '../core/pipeline/errors';
import type { Config } from '../platform/config/config';

/**
 * A transcription provider's API key (its variable, else the vendor keys document), or why there is none: the
 * error naming the missing variable, with which a meeting with audio fails.
 */
export function transcriptionKey(
  cfg: Config,
  name: 'assemblyai_api_key' | 'deepgram_api_key',
  env: string | undefined,
  missingMessage: string,
): { apiKey: KeyProvider } | { unavailable: TranscriptionUnavailableError } {
  const apiKey = vendorKeyProvider(name, {
    env,
    document: cfg.vendorKeys,
    maxAgeSeconds: cfg.vendorKeysCacheSeconds,
  });
  if (apiKey) return { apiKey };
  return { unavailable: new TranscriptionUnavailableError(VENDOR_KEY_VARIABLES[name], missingMessage) };
}
