import { s3Client } from '../adapters/aws-clients';
import { createEncryptedBlobStore } from '../adapters/blobs/encrypted-blob-store';
import { createRecordingLinks } from '../adapters/blobs/recording-links';
import { vendorKeyProvider } from '../adapters/secrets/vendor-keys';
import { DynamoMeetingStore } from '../adapters/store/meeting-store';
import { createAssemblyAiProvider } from '../adapters/transcription/assemblyai-provider';
import { createDeepgramProvider } from '../adapters/transcription/deepgram-provider';
import { TranscriptionUnavailableError } from '../core/pipeline/errors';
import type { ProviderChoice, TranscriptionDeps } from '../core/pipeline/transcription-ports';
import type { Config } from '../platform/config/config';
import { base } from './base';

// The provider downloads the recording when it starts the job (queued jobs wait only under rate limits).
const RECORDING_LINK_TTL_SECONDS = 3 * 3600;

/** The message a meeting with audio fails with when no provider key is set (DESIGN §6). */
export const NO_ASSEMBLYAI_KEY_MESSAGE =
  'ASSEMBLYAI_API_KEY is not set: audio cannot be transcribed here; upload a transcript file (WebVTT, SRT, text) instead';

/** The message a meeting with audio fails with when Deepgram is chosen without its key. */
export const NO_DEEPGRAM_KEY_MESSAGE =
  'DEEPGRAM_API_KEY is not set (TRANSCRIPTION_PROVIDER=deepgram): audio cannot be transcribed here; upload a transcript file (WebVTT, SRT, text) instead';

/** Deepgram delivers transcripts only to a callback (it keeps no copy to fetch later). */
export const NO_DEEPGRAM_CALLBACK_MESSAGE =
  'WEBHOOK_BASE_URL is not set: Deepgram delivers transcripts only to a callback, so it needs the public https origin of this deployment; upload a transcript file (WebVTT, SRT, text) instead';

/**
 * The configured provider (by `TRANSCRIPTION_PROVIDER`), or the error naming the missing setting. Decided from
 * configuration alone: with a vendor keys document the provider's key is fetched at its first call, and a
 * document without it fails that call with a `ConfigError` naming the field.
 */
export function providerChoice(cfg: Config): ProviderChoice {
  const t = cfg.transcription;
  if (t.provider === 'deepgram') {
    const apiKey = vendorKeyProvider('deepgram_api_key', {
      env: t.deepgram.apiKey,
      document: cfg.vendorKeys,
      maxAgeSeconds: cfg.vendorKeysCacheSeconds,
    });
    if (!apiKey) {
      return { unavailable: new TranscriptionUnavailableError('DEEPGRAM_API_KEY', NO_DEEPGRAM_KEY_MESSAGE) };
    }
    if (!t.webhookBaseUrl) {
      return {
        unavailable: new TranscriptionUnavailableError('WEBHOOK_BASE_URL', NO_DEEPGRAM_CALLBACK_MESSAGE),
      };
    }
    return {
      provider: createDeepgramProvider({
        apiKey,
        baseUrl: t.deepgram.baseUrl,
        model: t.deepgram.model,
        projectId: t.deepgram.projectId,
      }),
    };
  }
  const apiKey = vendorKeyProvider('assemblyai_api_key', {
    env: t.assemblyAi.apiKey,
    document: cfg.vendorKeys,
    maxAgeSeconds: cfg.vendorKeysCacheSeconds,
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

let cached: TranscriptionDeps | undefined;

/**
 * What the transcription functions (Transcribe, PollTranscription, the webhook) share; built once per cold start.
 * The webhook adds the task callbacks (`transcriptionCallbackRuntime`), so the tasks do not bundle Step Functions.
 */
export function transcriptionRuntime(): TranscriptionDeps {
  if (cached) return cached;
  const { config: cfg, storeDeps, store, clock } = base();
  const keyring = storeDeps.keyring;
  let choice: ProviderChoice | undefined;
  cached = {
    meetings: new DynamoMeetingStore(store),
    provider: () => {
      choice ??= providerChoice(cfg);
      return choice;
    },
    recordings: createRecordingLinks(s3Client(cfg), cfg.buckets.uploads),
    blobs: createEncryptedBlobStore({ client: s3Client(cfg), bucket: cfg.buckets.uploads, keyring }),
    clock,
    settings: {
      webhookBaseUrl: cfg.transcription.webhookBaseUrl,
      webhookSecret: vendorKeyProvider('transcription_webhook_secret', {
        env: cfg.transcription.webhookSecret,
        document: cfg.vendorKeys,
        maxAgeSeconds: cfg.vendorKeysCacheSeconds,
      }),
      recordingLinkTtlSeconds: RECORDING_LINK_TTL_SECONDS,
    },
  };
  return cached;
}
