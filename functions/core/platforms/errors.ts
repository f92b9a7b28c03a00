import { AppError } from '../../platform/errors';

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
