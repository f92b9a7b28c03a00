import * as z from 'zod';
import type { KeyProvider } from '../../adapters/secrets/vendor-keys';
import {
  TranscriptionProviderUnavailableError,
  TranscriptionRejectedError,
} from '../../core/pipeline/errors';
import type {
  ProviderJobState,
  TranscriptionProvider,
  TranscriptionWebhook,
} from '../../core/pipeline/transcription-ports';
import { parseDeepgramResponse } from '../../core/transcript/parse-deepgram-json';
import { redactProviderReason } from '../assemblyai/assemblyai-provider';

export const DEEPGRAM_DEFAULT_BASE_URL = 'https://api.deepgram.com';

/** The key Deepgram echoes back in the callback body's `metadata.extra`, carrying the per-meeting auth value. */
export const DEEPGRAM_CALLBACK_SECRET_KEY = 'callback_secret';

/**
 * How many times Deepgram delivers a callback before giving up (a community answer, not the official
 * reference): after that many failed attempts the transcript is gone.
 */
export const DEEPGRAM_CALLBACK_ATTEMPTS = 10;

export interface DeepgramOptions {
  /** The key, or how to fetch it at the first call (the vendor keys secret): a cold start reads no secret. */
  apiKey: string | KeyProvider;
  /** A fake server; `https://api.deepgram.com` otherwise. */
  baseUrl?: string | undefined;
  /** e.g. `nova-3`. */
  model: string;
  /**
   * Enables the fallback poll's status check (`GET /v1/projects/{id}/requests/{request_id}`). Without it the
   * poll can only wait for a late callback, because Deepgram keeps no transcript to fetch.
   */
  projectId?: string | undefined;
  /** Per HTTP request; default 10 s (the submission is answered at once when a callback is given). */
  timeoutMs?: number;
  /**
   * All attempts of one call, waits included, end within this; default 20 s, inside the Transcribe function's
   * 30 s timeout, so a slow Deepgram is reported as retryable rather than killing the function mid-call.
   */
  budgetMs?: number;
  /** Transient failures (5xx, 408, 429, no answer) are retried this many times in process; default 2. */
  retries?: number;
  /** First backoff after a 5xx or no answer, doubled each time; default 1000 ms. */
  backoffMs?: number;
  /** A 429 whose `Retry-After` is longer than this is left to the state machine's retry; default 10 s. */
  maxRetryAfterSeconds?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const AcceptedSchema = z.object({ request_id: z.string().min(1) });

const ErrorBodySchema = z.looseObject({
  err_code: z.string().optional(),
  err_msg: z.string().optional(),
});

const ProjectRequestSchema = z.looseObject({
  request_id: z.string().optional(),
  response: z.looseObject({ code: z.number().int().nullish(), completed: z.string().nullish() }).nullish(),
  callback: z
    .looseObject({
      attempts: z.number().int().nullish(),
      code: z.number().int().nullish(),
      completed: z.string().nullish(),
    })
    .nullish(),
});

/** The reference documents `{ request: {...} }`; older SDK types show the request itself. Both are read. */
const ProjectRequestBodySchema = z.union([
  z.object({ request: ProjectRequestSchema }).transform((body) => body.request),
  ProjectRequestSchema,
]);

const isTransient = (status: number) => status === 408 || status === 429 || status >= 500;
const isSuccess = (code: number) => code >= 200 && code < 300;

/**
 * Deepgram's pre-recorded API over `fetch` (we do not depend on `@deepgram/sdk`). `submit` is one
 * `POST /v1/listen` with the options as query parameters and a callback: Deepgram answers `{ request_id }` at
 * once and later POSTs the whole transcript to the callback, with `metadata.extra.callback_secret` (the
 * meeting's auth value) in the body.
 *
 * Errors are classified as for AssemblyAI: 408, 429 and 5xx (and no answer at all) are retried here with
 * backoff — a 429 after its `Retry-After` — and then thrown as `TranscriptionProviderUnavailableError`, which
 * the pipeline retries; any other 4xx is `TranscriptionRejectedError`, which it does not.
 */
export function createDeepgramProvider(options: DeepgramOptions): TranscriptionProvider {
  const base = (options.baseUrl ?? DEEPGRAM_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const budgetMs = options.budgetMs ?? 20_000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 1000;
  const maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 10;
  const now = options.now ?? Date.now;

  const { apiKey } = options;

  async function request(method: 'GET' | 'POST', url: URL, body?: unknown): Promise<unknown> {
    const what = `${method} ${url.pathname}`;
    // Before the budget starts: a missing key is a ConfigError, not a Deepgram failure to retry.
    const key = typeof apiKey === 'string' ? apiKey : await apiKey();
    const deadline = now() + budgetMs;
    // Retry only while the wait and another attempt still fit in the budget.
    const canRetry = (attempt: number, waitMs: number) => attempt < retries && now() + waitMs < deadline;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method,
          headers: {
            authorization: `Token ${key}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(Math.max(1, Math.min(timeoutMs, deadline - now()))),
        });
      } catch (error) {
        if (canRetry(attempt, backoffMs * 2 ** attempt)) {
          await sleep(backoffMs * 2 ** attempt);
          continue;
        }
        const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'failed';
        throw new TranscriptionProviderUnavailableError(
          `Deepgram ${what} ${reason} after ${attempt + 1} attempt(s)`,
          { cause: error },
        );
      }
      if (response.ok) return readJsonBody(response, what);

      const detail = await errorDetail(response);
      if (!isTransient(response.status)) {
        throw new TranscriptionRejectedError(`Deepgram refused ${what}: ${response.status}${detail}`, {
          status: response.status,
        });
      }
      const wait = waitBeforeRetry(response, attempt);
      if (wait !== undefined && canRetry(attempt, wait)) {
        await sleep(wait);
        continue;
      }
      throw new TranscriptionProviderUnavailableError(
        `Deepgram ${what} answered ${response.status}${detail} after ${attempt + 1} attempt(s)`,
        { status: response.status },
      );
    }
  }

  /** ms to wait before retrying, or `undefined` when a 429 asks for longer than this function should sleep. */
  function waitBeforeRetry(response: Response, attempt: number): number | undefined {
    if (response.status !== 429) return backoffMs * 2 ** attempt;
    const seconds = retryAfterSeconds(response.headers.get('retry-after'));
    if (seconds === undefined) return backoffMs * 2 ** attempt;
    return seconds > maxRetryAfterSeconds ? undefined : seconds * 1000;
  }

  return {
    name: 'deepgram',
    parse: parseDeepgramResponse,
    async submit({ audioUrl, webhook }: { audioUrl: string; webhook?: TranscriptionWebhook }) {
      if (!webhook) {
        // Without a callback Deepgram transcribes synchronously; the task would hold a Lambda for the whole job.
        throw new TranscriptionRejectedError(
          'Deepgram needs a callback URL: set WEBHOOK_BASE_URL to the public https origin of this deployment',
        );
      }
      const url = listenUrl(base, options.model, webhook);
      const accepted = AcceptedSchema.safeParse(await request('POST', url, { url: audioUrl }));
      if (!accepted.success) {
        // Not retried: Deepgram may have accepted the job, and a second submission would be billed twice.
        throw new TranscriptionRejectedError(
          'Deepgram accepted the recording but answered without a request_id',
        );
      }
      return { jobId: accepted.data.request_id };
    },
    async job(jobId: string): Promise<ProviderJobState> {
      // Deepgram keeps no transcript: only the callback carries it. The webhook stores a late one even after
      // the task timed out, and `collectTranscript` finds it there before asking the provider.
      if (!options.projectId) return { status: 'processing' };
      const url = new URL(
        `${base}/v1/projects/${encodeURIComponent(options.projectId)}/requests/${encodeURIComponent(jobId)}`,
      );
      let raw: unknown;
      try {
        raw = await request('GET', url);
      } catch (error) {
        // Usage records can lag behind the request itself: unknown yet is not an answer.
        if (error instanceof TranscriptionRejectedError && error.status === 404)
          return { status: 'processing' };
        throw error;
      }
      const parsed = ProjectRequestBodySchema.safeParse(raw);
      if (!parsed.success) {
        throw new TranscriptionProviderUnavailableError(
          `Deepgram GET ${url.pathname} answered a body that is not a request record`,
        );
      }
      return requestState(jobId, parsed.data);
    },
  };
}

/** `POST /v1/listen?model=…&diarize=true&…&callback=<url>&extra=callback_secret:<value>`. */
export function listenUrl(base: string, model: string, webhook: TranscriptionWebhook): URL {
  const url = new URL(`${base}/v1/listen`);
  url.searchParams.set('model', model);
  url.searchParams.set('diarize', 'true');
  url.searchParams.set('punctuate', 'true');
  url.searchParams.set('utterances', 'true');
  url.searchParams.set('smart_format', 'true');
  url.searchParams.set('callback', webhook.url);
  url.searchParams.set('extra', `${DEEPGRAM_CALLBACK_SECRET_KEY}:${webhook.authValue}`);
  return url;
}

/** What Deepgram's request record says about a job whose callback we have not received. */
function requestState(jobId: string, record: z.infer<typeof ProjectRequestSchema>): ProviderJobState {
  const code = record.response?.code;
  if (code == null) return { status: 'processing' };
  if (!isSuccess(code)) {
    return {
      status: 'error',
      reason: `Deepgram could not transcribe the recording: request ${jobId} ended with HTTP ${code}`,
    };
  }
  const callback = record.callback;
  const attempts = callback?.attempts ?? 0;
  const delivered = callback?.code != null && isSuccess(callback.code);
  if (!delivered && attempts < DEEPGRAM_CALLBACK_ATTEMPTS) return { status: 'processing' };
  return {
    status: 'error',
    reason:
      `Lost callback: Deepgram finished request ${jobId}, but its callback with the transcript never reached ` +
      `this system (${attempts} attempt(s), last answer ${callback?.code ?? 'none'}); Deepgram keeps no copy ` +
      'to fetch, so the recording must be submitted again',
  };
}

async function readJsonBody(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TranscriptionProviderUnavailableError(
      `Deepgram ${what} answered ${response.status} with non-JSON`,
      {
        status: response.status,
        cause: error,
      },
    );
  }
}

/** ` (INVALID_AUTH: Invalid credentials.)` from Deepgram's error body, URLs redacted; empty when there is none. */
async function errorDetail(response: Response): Promise<string> {
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    return '';
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (!parsed.success) return '';
  const parts = [parsed.data.err_code, parsed.data.err_msg].filter((p): p is string => !!p?.trim());
  return parts.length === 0 ? '' : ` (${redactProviderReason(parts.join(': ')).slice(0, 300)})`;
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date); `undefined` when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
