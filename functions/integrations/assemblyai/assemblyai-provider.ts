import { AssemblyAI } from 'assemblyai';
import { redactUrl } from '../../adapters/http/redact-url';
import type { KeyProvider } from '../../adapters/secrets/vendor-keys';
import {
  TranscriptionProviderUnavailableError,
  TranscriptionRejectedError,
} from '../../core/pipeline/errors';
import {
  type ProviderJobState,
  type TranscriptionProvider,
  type TranscriptionWebhook,
  WEBHOOK_AUTH_HEADER,
} from '../../core/pipeline/transcription-ports';
import { parseAssemblyAiTranscript } from '../../core/transcript/parse-assemblyai-json';

export interface AssemblyAiOptions {
  /** The key, or how to fetch it at the first call (the vendor keys secret): a cold start reads no secret. */
  apiKey: string | KeyProvider;
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
const RATE_LIMITED = /too many requests|rate limit/i;
// The SDK throws `Error(body.error)` and drops the status, so transient failures are told apart by their text:
// its own `HTTP Error: 5xx …` (a body-less answer), or a body naming a server-side problem.
const TRANSIENT =
  /^HTTP Error: (408|5\d\d)\b|internal (server )?error|service unavailable|bad gateway|timed? ?out/i;

/**
 * An SDK failure classified as the Deepgram provider's are: no answer at all (fetch's `TypeError`), a rate
 * limit or a server-side failure is `TranscriptionProviderUnavailableError` (the pipeline retries it); any other
 * answer (a wrong key, a refused request, an unknown transcript) is `TranscriptionRejectedError` (it does not).
 */
export function classifyAssemblyAiError(error: unknown): Error {
  if (error instanceof TranscriptionProviderUnavailableError || error instanceof TranscriptionRejectedError) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  const reason = redactProviderReason(message);
  if (error instanceof TypeError || RATE_LIMITED.test(message) || TRANSIENT.test(message)) {
    return new TranscriptionProviderUnavailableError(`AssemblyAI: ${reason}`, { cause: error });
  }
  return new TranscriptionRejectedError(`AssemblyAI refused the request: ${reason}`, { cause: error });
}

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
  const { apiKey } = options;
  let built: { key: string; client: AssemblyAI } | undefined;
  // Outside the retry and the error classification: a missing key is a ConfigError, not AssemblyAI's refusal.
  const client = async (): Promise<AssemblyAI> => {
    const key = typeof apiKey === 'string' ? apiKey : await apiKey();
    if (built?.key !== key) {
      built = {
        key,
        client: new AssemblyAI({ apiKey: key, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) }),
      };
    }
    return built.client;
  };
  const retries = options.rateLimitRetries ?? 2;
  const delayMs = options.rateLimitDelayMs ?? 2000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function withRateLimitRetry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        // The SDK throws `Error(body.error)` without the status: a 429's body says it is a rate limit.
        const limited = error instanceof Error && RATE_LIMITED.test(error.message);
        if (!limited || attempt >= retries) throw classifyAssemblyAiError(error);
        await sleep(delayMs * (attempt + 1));
      }
    }
  }

  return {
    name: 'assemblyai',
    parse: parseAssemblyAiTranscript,
    async submit({ audioUrl, webhook }: { audioUrl: string; webhook?: TranscriptionWebhook }) {
      const transcripts = (await client()).transcripts;
      const transcript = await withRateLimitRetry(() =>
        transcripts.submit({
          audio_url: audioUrl,
          speech_models: [...options.speechModels],
          speaker_labels: true,
          entity_detection: true,
          ...(webhook
            ? {
                webhook_url: webhook.url,
                webhook_auth_header_name: WEBHOOK_AUTH_HEADER,
                webhook_auth_header_value: webhook.authValue,
              }
            : {}),
        }),
      );
      return { jobId: transcript.id };
    },
    async job(jobId: string): Promise<ProviderJobState> {
      const transcripts = (await client()).transcripts;
      const transcript = await withRateLimitRetry(() => transcripts.get(jobId));
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
