import { s3Client } from '../adapters/aws-clients';
import { createEncryptedBlobStore } from '../adapters/blobs/encrypted-blob-store';
import { createRecordingLinks } from '../adapters/blobs/recording-links';
import { vendorKeyProvider } from '../adapters/secrets/vendor-keys';
import { DynamoMeetingStore } from '../adapters/store/meeting-store';
import type { ProviderChoice, TranscriptionDeps } from '../core/pipeline/transcription-ports';
import { TRANSCRIPTION_REGISTRY } from '../integrations/transcription-registry';
import type { Config } from '../platform/config/config';
import { base } from './base';

// The provider downloads the recording when it starts the job (queued jobs wait only under rate limits).
const RECORDING_LINK_TTL_SECONDS = 3 * 3600;

/**
 * The configured provider (by `TRANSCRIPTION_PROVIDER`, from the registry), or the error naming the missing
 * setting. Decided from configuration alone: with a vendor keys document the provider's key is fetched at its
 * first call, and a document without it fails that call with a `ConfigError` naming the field.
 */
export function providerChoice(cfg: Config): ProviderChoice {
  return TRANSCRIPTION_REGISTRY[cfg.transcription.provider](cfg);
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
