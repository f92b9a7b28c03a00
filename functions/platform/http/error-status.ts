import { AppError, MethodNotAllowedError, UnauthorizedError } from '../errors';
import type { ErrorResponseBody } from './error-response-schema';

/** The one map from error code to HTTP status. An `AppError` whose code is missing here answers 500. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  validation_failed: 400,
  malformed_body: 400,
  invalid_cursor: 400,
  url_refused: 400,
  crm_credentials_rejected: 400,
  unauthorized: 401,
  webhook_rejected: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // Well-formed request whose file content cannot be processed: 422, not 400 (the request itself was fine).
  malformed_transcript: 422,
  rate_limited: 429,
  // The request was fine; the CRM or meeting platform it depends on was not (a 5xx would hide its answer).
  crm_unreachable: 424,
  platform_fetch_failed: 424,
  // A stored record whose encryption key is gone: the server's fault, but the caller is told which kind.
  encryption_key_unavailable: 500,
  // Claude (a follow-up draft written on request): busy or over the spend limit, try later; or it declined.
  llm_unavailable: 424,
  llm_spend_limit: 424,
  model_refused: 422,
};

/** 5xx codes whose message is written for callers (it names nothing internal) and is answered as it is. */
const PUBLIC_SERVER_ERRORS: ReadonlySet<string> = new Set(['encryption_key_unavailable']);

export interface MappedError {
  status: number;
  body: ErrorResponseBody;
  headers: Record<string, string>;
}

/**
 * Turns any thrown value into the API's error answer. 4xx answers say what was wrong, field by field; 5xx
 * answers carry only a generic message and the request id — the log has the rest — except the few codes in
 * `PUBLIC_SERVER_ERRORS`, whose fixed message says what kind of failure it is (never its detail).
 */
export function mapError(error: unknown, requestId: string): MappedError {
  const status = error instanceof AppError ? (ERROR_STATUS[error.code] ?? 500) : 500;
  if (error instanceof AppError && status >= 500 && PUBLIC_SERVER_ERRORS.has(error.code)) {
    return {
      status,
      headers: {},
      body: { error: { code: error.code, message: error.message, issues: [], request_id: requestId } },
    };
  }
  if (status >= 500 || !(error instanceof AppError)) {
    return {
      status: 500,
      headers: {},
      body: {
        error: { code: 'internal_error', message: 'Internal error.', issues: [], request_id: requestId },
      },
    };
  }
  const headers: Record<string, string> = {};
  if (error instanceof MethodNotAllowedError) headers.allow = error.allowed.join(', ');
  if (error instanceof UnauthorizedError) headers['www-authenticate'] = 'Bearer';
  const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(Math.ceil(retryAfter));
  return {
    status,
    headers,
    body: {
      error: { code: error.code, message: error.message, issues: error.issues, request_id: requestId },
    },
  };
}
