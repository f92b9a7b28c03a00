import { AssemblyAI } from 'assemblyai';
import type {
  ProviderJobState,
  TranscriptionProvider,
  TranscriptionWebhook,
} from '../../core/pipeline/transcription-ports';
import { redactUrl } from '../http/redact-url';

export interface AssemblyAiOptions {
  apiKey: string;
  /** A fake server or the EU region; the SDK's default otherwise. */
  baseUrl?: string | undefined;
  /** Priority order; AssemblyAI requires the list (there is no default model). */
  speechModels: readonly string[];
  /** Rate-limited requests are retried this many times (the SDK hides `Retry-After`, so the wait is fixed). */
  rateLimitRetries?: number;
  rateLimitDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const URL_PATTERN = /https?:\/\/[^\s"'<>]+/g;

/**
 * The provider's reason, fit to become the meeting's failure reason and to travel through the state machine:
 * URLs in it (AssemblyAI quotes the audio URL it could not download, presigned signature included) are cut to
 * scheme, host and path.
 */
export function redactProviderReason(reason: string): string {
  const redacted = reason.replace(URL_PATTERN, (url) => redactUrl(url)).trim();
  return redacted === '' ? 'The transcription provider gave no reason.' : redacted;
}

/** AssemblyAI over its SDK: `submit` is one `POST /v2/transcript` (no polling), `job` one `GET`. */
export function createAssemblyAiProvider(options: AssemblyAiOptions): TranscriptionProvider {
  const client = new AssemblyAI({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  const retries = options.rateLimitRetries ?? 2;
  const delayMs = options.rateLimitDelayMs ?? 2000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function withRateLimitRetry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        // The SDK throws `Error(body.error)` without the status: a 429's body says it is a rate limit.
        const limited = error instanceof Error && /too many requests|rate limit/i.test(error.message);
        if (!limited || attempt >= retries) throw error;
        await sleep(delayMs * (attempt + 1));
      }
    }
  }

  return {
    name: 'assemblyai',
    async submit({ audioUrl, webhook }: { audioUrl: string; webhook?: TranscriptionWebhook }) {
      const transcript = await withRateLimitRetry(() =>
        client.transcripts.submit({
          audio_url: audioUrl,
          speech_models: [...options.speechModels],
          speaker_labels: true,
          entity_detection: true,
          ...(webhook
            ? {
                webhook_url: webhook.url,
                webhook_auth_header_name: webhook.headerName,
                webhook_auth_header_value: webhook.headerValue,
              }
            : {}),
        }),
      );
      return { jobId: transcript.id };
    },
    async job(jobId: string): Promise<ProviderJobState> {
      const transcript = await withRateLimitRetry(() => client.transcripts.get(jobId));
      switch (transcript.status) {
        case 'completed':
          return { status: 'completed', raw: transcript };
        case 'error':
          return { status: 'error', reason: redactProviderReason(transcript.error ?? '') };
        case 'queued':
          return { status: 'queued' };
        default:
          return { status: 'processing' };
      }
    },
  };
}
