import { dynamoDocumentClient, s3Client, sfnClient } from '../../adapters/aws-clients';
import { createEncryptedBlobStore } from '../../adapters/blobs/encrypted-blob-store';
import { createRecordingLinks } from '../../adapters/blobs/recording-links';
import { hostTaskCallbacks } from '../../adapters/pipeline/task-callbacks';
import { keyringProvider } from '../../adapters/secrets/secret-source';
import { vendorKeyProvider } from '../../adapters/secrets/vendor-keys';
import { DynamoStore } from '../../adapters/store/dynamo-store';
import { DynamoMeetingStore } from '../../adapters/store/meeting-store';
import type { ProviderChoice, TranscriptionCallbackDeps } from '../../core/pipeline/transcription-ports';
import { TRANSCRIPTION_REGISTRY } from '../../integrations/transcription-registry';
import { type Config, config } from '../../platform/config/config';

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

let cached: TranscriptionCallbackDeps | undefined;

/** What the transcription functions (Transcribe, PollTranscription, the webhook) share; built once per cold start. */
export function transcriptionRuntime(): TranscriptionCallbackDeps {
  if (cached) return cached;
  const cfg = config();
  const keyring = keyringProvider(cfg.keyring, cfg.keyringCacheSeconds);
  let choice: ProviderChoice | undefined;
  cached = {
    meetings: new DynamoMeetingStore(
      new DynamoStore({
        client: dynamoDocumentClient(cfg),
        tableName: cfg.tableName,
        keyring,
        now: () => Date.now(),
      }),
    ),
    provider: () => {
      choice ??= providerChoice(cfg);
      return choice;
    },
    recordings: createRecordingLinks(s3Client(cfg), cfg.buckets.uploads),
    blobs: createEncryptedBlobStore({ client: s3Client(cfg), bucket: cfg.buckets.uploads, keyring }),
    clock: { now: () => Date.now() },
    settings: {
      webhookBaseUrl: cfg.transcription.webhookBaseUrl,
      webhookSecret: vendorKeyProvider('transcription_webhook_secret', {
        env: cfg.transcription.webhookSecret,
        document: cfg.vendorKeys,
      }),
      recordingLinkTtlSeconds: RECORDING_LINK_TTL_SECONDS,
    },
    callbacks: hostTaskCallbacks(() => sfnClient(cfg)),
  };
  return cached;
}
