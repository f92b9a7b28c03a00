/**
 * Every `code` an `AppError` may carry, across every module. The HTTP edge's status map must name each one
 * (`ERROR_STATUS satisfies Record<ErrorCode, number>`), so a new error cannot silently become a 500; a code
 * that is meant to be a 500 says so there.
 */
export const ERROR_CODES = [
  // Input and the HTTP edge.
  'validation_failed',
  'malformed_body',
  'payload_too_large',
  'unsupported_media_type',
  'invalid_cursor',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'conflict',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'url_refused',
  'config_invalid',
  // Keys, secrets and stored data.
  'decryption_failed',
  'encryption_key_unavailable',
  'secret_unavailable',
  'blob_key_invalid',
  'corrupt_item',
  'tenant_isolation_violation',
  'unregistered_ciphertext',
  'key_retirement_refused',
  // The audit trail.
  'invalid_audit_entry',
  'audit_chain_corrupt',
  'audit_chain_busy',
  // Transcripts, transcription and the pipeline.
  'malformed_transcript',
  'transcript_too_long',
  'transcription_unavailable',
  'transcription_failed',
  'transcription_provider_unavailable',
  'transcription_rejected',
  'stale_task_token',
  // The model.
  'llm_unavailable',
  'llm_spend_limit',
  'llm_request_rejected',
  'model_refused',
  'output_truncated',
  'model_output_invalid',
  'token_budget_exceeded',
  'extraction_continues',
  // CRMs and meeting platforms.
  'crm_credentials_rejected',
  'crm_unreachable',
  'webhook_rejected',
  'platform_artifact_not_ready',
  'platform_fetch_failed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
