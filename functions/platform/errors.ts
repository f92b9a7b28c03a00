import type { ErrorCode } from '../contracts/error-code';

/**
 * The system's error vocabulary. Every error a caller can cause is a named subclass; the HTTP edge maps
 * `code` (an `ErrorCode`) to a status in one place (`http/error-status.ts`). Shared errors live here; a
 * module's own errors live beside it (`core/<module>/errors.ts`), the HTTP edge's in `http/errors.ts`. `cause` is always kept for the logs.
 */
export interface ErrorIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[];

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; issues?: ErrorIssue[] } = {}) {
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

export class ConflictError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('conflict', message, { cause });
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
