import type * as z from 'zod';
import { type CrmErrorKind, type CrmProviderName, CrmRequestError } from '../../core/crm/crm-provider';
import { parseRetryAfter } from './retry-after';

/**
 * A `CrmRequestError` from the shared client, with what the sync reports and the adapters branch on: how many
 * attempts were made and the vendor's own error code (Salesforce `INVALID_SESSION_ID`, OAuth `invalid_client`).
 */
export class CrmHttpError extends CrmRequestError {
  constructor(
    provider: CrmProviderName,
    kind: CrmErrorKind,
    message: string,
    readonly attempts: number,
    status?: number,
    field?: string,
    readonly vendorCode?: string,
  ) {
    super(provider, kind, message, status, field);
    this.name = 'CrmHttpError';
  }
}

export interface CrmHttpClientOptions {
  provider: CrmProviderName;
  /** Per attempt, covering the response body as well as the headers. */
  timeoutMs: number;
  /** Per request, including the first. */
  maxAttempts: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Clock for `Retry-After` HTTP-dates. */
  now?: () => number;
  /** The longest the client will wait before a retry, whatever `Retry-After` says. */
  maxRetryWaitMs?: number;
  /** First backoff after a 5xx or network failure; doubles per attempt. */
  backoffBaseMs?: number;
  /** The vendor's error code from a 4xx/5xx body (never its message, which can quote client content). */
  errorCode?: (body: unknown) => string | undefined;
  /**
   * Vendor codes that mean "over your API allowance" on a status other than 429 (Salesforce answers its daily
   * limit with 403 `REQUEST_LIMIT_EXCEEDED`): `rate_limited`, not retried (it will not clear in seconds), and
   * never `auth`, which would ask the adviser to reconnect for nothing.
   */
  rateLimitCodes?: ReadonlySet<string>;
}

export interface CrmHttpRequest<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Absolute URL; `query` is appended to it. */
  url: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /**
   * Whether the request may be repeated after a timeout or a dropped connection. Default: GET, PUT and DELETE
   * yes, POST no. A token request is a POST that is safe to repeat.
   */
  idempotent?: boolean;
  /** The documented response shape; a mismatch is `unexpected_response` naming the first offending field. */
  schema: S;
}

export interface CrmHttpClient {
  request<S extends z.ZodType>(request: CrmHttpRequest<S>): Promise<z.output<S>>;
}

const DEFAULT_MAX_RETRY_WAIT_MS = 30_000;
const DEFAULT_BACKOFF_BASE_MS = 500;
/** Failures that happen before a request reaches the server: safe to retry even a POST. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Attempt<T> =
  | { done: true; value: T }
  | { done: false; error: CrmHttpError; retry: boolean; waitMs?: number | undefined };

/**
 * The one HTTP client every CRM adapter uses: JSON or form bodies, a timeout per attempt, `Retry-After` on 429,
 * exponential backoff on 5xx and network failures, a bounded number of attempts, zod-validated responses and
 * errors mapped to `CrmRequestError` kinds. Messages name the method, path (never the query string, which can
 * hold a client's name), status and vendor error code; bodies and tokens never appear in them.
 *
 * A POST that timed out or lost its connection after it was sent is not retried: the CRM may already have
 * created the record, and a second one would be a duplicate. The sync's marker lookup is the recovery path.
 * A 5xx is retried even for a POST: vendors refuse before acting far more often than they fail after, and a
 * duplicate would carry the same `[smartad:…]` marker, so it can be found.
 */
export function createCrmHttpClient(options: CrmHttpClientOptions): CrmHttpClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const maxWait = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  const backoffBase = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
  const { provider } = options;

  const backoff = (attempt: number) => Math.min(backoffBase * 2 ** (attempt - 1), maxWait);

  async function attemptOnce<S extends z.ZodType>(
    request: CrmHttpRequest<S>,
    url: URL,
    label: string,
    attempt: number,
  ): Promise<Attempt<z.output<S>>> {
    const idempotent =
      request.idempotent ??
      (request.method === 'GET' || request.method === 'PUT' || request.method === 'DELETE');
    const fail = (
      kind: CrmErrorKind,
      message: string,
      retry: boolean,
      extra: { status?: number; field?: string; vendorCode?: string; waitMs?: number } = {},
    ): Attempt<z.output<S>> => ({
      done: false,
      retry,
      waitMs: extra.waitMs,
      error: new CrmHttpError(provider, kind, message, attempt, extra.status, extra.field, extra.vendorCode),
    });

    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    let status: number;
    let retryAfter: string | null;
    let text: string;
    try {
      const response = await fetchImpl(url, {
        method: request.method,
        headers,
        body,
        signal: controller.signal,
        // Tokens travel in headers; a redirect must not carry them to another host.
        redirect: 'manual',
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      if (controller.signal.aborted) {
        return fail('unavailable', `${label} timed out after ${options.timeoutMs} ms`, idempotent);
      }
      const code = networkCode(error);
      const sent = code === undefined || !NOT_SENT_CODES.has(code);
      return fail('unavailable', `${label} failed: ${code ?? 'network error'}`, idempotent || !sent);
    } finally {
      clearTimeout(timer);
    }

    if (status >= 200 && status < 300) {
      let parsedBody: unknown;
      if (text.trim() !== '') {
        try {
          parsedBody = JSON.parse(text);
        } catch {
          return fail(
            'unexpected_response',
            `${label} answered ${status} with a body that is not JSON`,
            false,
            {
              status,
              field: '(body)',
            },
          );
        }
      }
      const result = request.schema.safeParse(parsedBody);
      if (result.success) return { done: true, value: result.data };
      const issue = result.error.issues[0];
      const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
      return fail(
        'unexpected_response',
        `${label} answered ${status} with an unexpected shape at ${field}: ${issue?.code ?? 'invalid'}`,
        false,
        { status, field },
      );
    }

    const vendorCode = status >= 400 ? readErrorCode(text, options.errorCode) : undefined;
    const described = `${label} answered ${status}${vendorCode ? ` (${vendorCode})` : ''}`;
    const extra = { status, ...(vendorCode ? { vendorCode } : {}) };
    if (status >= 300 && status < 400)
      return fail('rejected', `${described}: redirect not followed`, false, extra);
    if (status === 429) {
      const waitMs = parseRetryAfter(retryAfter, now(), maxWait) ?? backoff(attempt);
      return fail('rate_limited', described, true, { ...extra, waitMs });
    }
    if (vendorCode && options.rateLimitCodes?.has(vendorCode)) {
      return fail('rate_limited', described, false, extra);
    }
    if (status === 401 || status === 403) return fail('auth', described, false, extra);
    if (status >= 500) {
      // A 503 may say when to come back; otherwise the usual backoff.
      const waitMs = parseRetryAfter(retryAfter, now(), maxWait);
      return fail('unavailable', described, true, { ...extra, ...(waitMs === undefined ? {} : { waitMs }) });
    }
    return fail('rejected', described, false, extra);
  }

  return {
    async request(request) {
      const url = new URL(request.url);
      for (const [key, value] of Object.entries(request.query ?? {})) {
        if (value !== undefined) url.searchParams.append(key, String(value));
      }
      const label = `${request.method} ${url.pathname}`;
      for (let attempt = 1; ; attempt++) {
        const outcome = await attemptOnce(request, url, label, attempt);
        if (outcome.done) return outcome.value;
        if (!outcome.retry || attempt >= maxAttempts) {
          if (attempt > 1) outcome.error.message += ` after ${attempt} attempts`;
          throw outcome.error;
        }
        await sleep(outcome.waitMs ?? backoff(attempt));
      }
    },
  };
}

function readErrorCode(text: string, errorCode: CrmHttpClientOptions['errorCode']): string | undefined {
  if (!errorCode || text.trim() === '') return undefined;
  try {
    const code = errorCode(JSON.parse(text));
    // A code is an identifier; anything longer or stranger might be free text, which stays out of messages.
    return code && /^[\w.:-]{1,64}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

function networkCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = cause?.code ?? (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
