import type { ErrorCode } from '../../contracts/error-code';
import { AppError, UnauthorizedError } from '../errors';
import type { ErrorResponseBody } from './error-response-schema';
import { MethodNotAllowedError } from './errors';

/**
 * The one map from error code to HTTP status. Every `ErrorCode` is named (the compiler refuses a missing one),
 * so an error answers 500 only where this map says so.
 */
export const ERROR_STATUS = {
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
  // The server's or a dependency's fault: the caller gets "internal error" and a request id, the log the rest.
  config_invalid: 500,
  decryption_failed: 500,
  secret_unavailable: 500,
  blob_key_invalid: 500,
  corrupt_item: 500,
  tenant_isolation_violation: 500,
  unregistered_ciphertext: 500,
  key_retirement_refused: 500,
  invalid_audit_entry: 500,
  audit_chain_corrupt: 500,
  audit_chain_busy: 500,
  transcript_too_long: 500,
  transcription_unavailable: 500,
  transcription_failed: 500,
  transcription_provider_unavailable: 500,
  transcription_rejected: 500,
  stale_task_token: 500,
  llm_request_rejected: 500,
  output_truncated: 500,
  model_output_invalid: 500,
  token_budget_exceeded: 500,
  extraction_continues: 500,
  platform_artifact_not_ready: 500,
} as const satisfies Record<ErrorCode, number>;

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
