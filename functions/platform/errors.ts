/**
 * The system's error vocabulary. Every error a caller can cause is a named subclass; the HTTP edge maps
 * `code` to a status in one place (`http/error-status.ts`). `cause` is always kept for the logs.
 */
export interface ErrorIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly issues: ErrorIssue[];

  constructor(code: string, message: string, options: { cause?: unknown; issues?: ErrorIssue[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/** Input that fails its schema: one issue per offending field. */
export class ValidationError extends AppError {
  constructor(message: string, issues: ErrorIssue[], cause?: unknown) {
    super('validation_failed', message, { issues, cause });
  }
}

/** A body that is not the JSON it claims to be. */
export class MalformedBodyError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('malformed_body', message, { cause, issues: [{ path: 'body', message }] });
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number, actualBytes: number) {
    super('payload_too_large', `Request body is ${actualBytes} bytes; the limit is ${limitBytes} bytes.`, {
      issues: [{ path: 'body', message: `must be at most ${limitBytes} bytes` }],
    });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(contentType: string) {
    super('unsupported_media_type', `Content-Type '${contentType}' is not accepted; send application/json.`, {
      issues: [{ path: 'headers.content-type', message: 'must be application/json' }],
    });
  }
}

/** A pagination cursor that was not issued by this system for this query (tampered, truncated or foreign). */
export class InvalidCursorError extends AppError {
  constructor(cause?: unknown) {
    super('invalid_cursor', 'The pagination cursor is invalid. Start again from the first page.', {
      cause,
      issues: [{ path: 'query.cursor', message: 'is not a cursor this API issued for this list' }],
    });
  }
}

/** Missing, or belongs to another tenant: callers cannot tell the two apart, by design. */
export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super('not_found', message);
  }
}

export class RouteNotFoundError extends AppError {
  constructor(method: string, path: string) {
    super('route_not_found', `No route for ${method} ${path}.`);
  }
}

export class MethodNotAllowedError extends AppError {
  readonly allowed: string[];

  constructor(method: string, path: string, allowed: string[]) {
    super('method_not_allowed', `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`);
    this.allowed = allowed;
  }
}

export class ConflictError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('conflict', message, { cause });
  }
}

/** A change that would leave a firm without an active admin (demotion or deactivation of the last one). */
export class LastAdminError extends ConflictError {
  constructor(cause?: unknown) {
    super('A firm must keep at least one active admin: make another user an admin first.', cause);
  }
}

/** A stored ciphertext that cannot be authenticated or whose key is unknown. Never answered as empty data. */
export class DecryptionError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('decryption_failed', message, { cause });
  }
}

/** The process was started with a missing or malformed setting. */
export class ConfigError extends AppError {
  constructor(message: string, issues: ErrorIssue[]) {
    super('config_invalid', message, { issues });
  }
}

/** No credentials, or credentials that do not verify. Always the same message: nothing to learn from it. */
export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required.', cause?: unknown) {
    super('unauthorized', message, { cause });
  }
}

/** Authenticated, but the role may not do this. */
export class ForbiddenError extends AppError {
  constructor(message = 'Your role may not do this.') {
    super('forbidden', message);
  }
}

/** Over a rate limit; `retryAfterSeconds` becomes the `Retry-After` header. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('rate_limited', `Too many requests. Retry after ${retryAfterSeconds} seconds.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * A transcript file (WebVTT, SRT, plain text, AssemblyAI or Deepgram JSON) that cannot be read. The message is
 * the precise reason and place (`line 14: cue timing … is not HH:MM:SS.mmm --> HH:MM:SS.mmm`): the pipeline
 * shows it to the adviser when it fails the meeting. `format` is the parser that refused it, when one was chosen.
 */
export class MalformedTranscriptError extends AppError {
  readonly format: string | undefined;

  constructor(reason: string, options: { format?: string; cause?: unknown } = {}) {
    super('malformed_transcript', reason, {
      cause: options.cause,
      issues: [{ path: 'transcript', message: reason }],
    });
    this.format = options.format;
  }
}

/** Why the SSRF guard would not fetch a URL, or why its download stopped; one word per cause. */
export type UrlRefusalReason =
  | 'invalid_url'
  | 'scheme'
  | 'userinfo'
  | 'port'
  | 'private_address'
  | 'dns_failure'
  | 'too_many_redirects'
  | 'invalid_redirect'
  | 'too_large'
  | 'timeout'
  | 'connection_failed'
  | 'tls_failure';

/**
 * A URL fetched on a user's or webhook's behalf that the SSRF guard refused, or whose download broke a limit.
 * The message is for the meeting's owner; `url` is already redacted (no query, no userinfo) and `address` (a
 * refused IP) is for the log only, so neither leaks tokens or internal addresses into a response.
 */
export class UrlRefusedError extends AppError {
  readonly reason: UrlRefusalReason;
  readonly url: string | undefined;
  readonly address: string | undefined;

  constructor(
    reason: UrlRefusalReason,
    message: string,
    options: { url?: string; address?: string; cause?: unknown } = {},
  ) {
    super('url_refused', message, { cause: options.cause, issues: [{ path: 'url', message }] });
    this.reason = reason;
    this.url = options.url;
    this.address = options.address;
  }
}

/**
 * Audio arrived but this deployment cannot transcribe it (no provider key). The message names the missing
 * setting and what to do instead; the pipeline fails the meeting with it.
 */
export class TranscriptionUnavailableError extends AppError {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super('transcription_unavailable', message);
    this.setting = setting;
  }
}

/** The transcription provider reported the job failed; the message is its reason (URLs redacted). */
export class TranscriptionFailedError extends AppError {
  constructor(reason: string, cause?: unknown) {
    super('transcription_failed', reason, { cause });
  }
}

/**
 * A task token that can no longer be answered: the task already got its callback (a duplicate webhook), timed
 * out (the fallback poll took over) or never existed. Step Functions' `TaskDoesNotExist`, `InvalidToken` and
 * `TaskTimedOut`, under one name for both hosts.
 */
export class StaleTaskTokenError extends AppError {
  readonly reason: string;

  constructor(reason: string, cause?: unknown) {
    super('stale_task_token', `The task token can no longer be answered (${reason}).`, { cause });
    this.reason = reason;
  }
}

/** Why an inbound platform webhook was refused; for the log only, never the response. */
export type WebhookRejection =
  | 'unknown_account'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'missing_headers'
  | 'bad_client_state'
  | 'bad_token';

/**
 * A platform webhook that does not authenticate: unknown account, bad signature or client state, stale
 * timestamp. Always the same message (401): a caller learns nothing about which firms or accounts exist;
 * `reason` goes to the log.
 */
export class WebhookRejectedError extends AppError {
  readonly reason: WebhookRejection;

  constructor(reason: WebhookRejection) {
    super('webhook_rejected', 'The webhook could not be authenticated.');
    this.reason = reason;
  }
}

/**
 * A platform's transcript or recording is not available yet (Graph answers 404 for a while after the meeting).
 * The intake state machine retries this error by name with backoff for about two hours; after the last retry
 * the meeting fails with a reason. Never thrown for a permanent failure.
 */
export class PlatformArtifactNotReadyError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('platform_artifact_not_ready', message, { cause });
  }
}

/** A platform refused or failed a download or API call for good (the intake task fails the meeting with it). */
export class PlatformFetchError extends AppError {
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('platform_fetch_failed', message, { cause: options.cause });
    this.status = options.status;
  }
}
