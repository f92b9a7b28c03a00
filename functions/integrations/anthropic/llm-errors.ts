import { APIError } from '@anthropic-ai/sdk/core/error';
import { AppError } from '../../platform/errors';

/**
 * The errors a model call ends in, named so the state machine can tell them apart (`Retry` matches on the
 * name): only `ModelUnavailableError` is worth retrying. Messages carry statuses and request ids, never
 * content.
 */

/** Rate limited (429), overloaded (529), a 5xx, a timeout or no connection: try again later. */
export class ModelUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('llm_unavailable', message, { cause });
  }
}

/** The organisation's spend limit is reached (429 `enforced_spend_limit_reached`): retrying only spends attempts. */
export class ModelSpendLimitError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('llm_spend_limit', message, { cause });
  }
}

/** The API refused the request itself (400, 401, 403, 404, 413): the same request would be refused again. */
export class ModelRequestRejectedError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('llm_request_rejected', message, { cause });
  }
}

/** The model declined to answer (`stop_reason: refusal`). Asking again is asking for the same refusal. */
export class ModelRefusalError extends AppError {
  constructor(message: string) {
    super('model_refused', message);
  }
}

/**
 * The answer hit `max_tokens` and could not be completed by splitting the work: the part that truncated is
 * already a single utterance, or splitting went as deep as it may.
 */
export class OutputTruncatedError extends AppError {
  constructor(message: string) {
    super('output_truncated', message);
  }
}

/** The answer is not the schema's JSON, even after local repair of small slips. */
export class ModelOutputInvalidError extends AppError {
  constructor(message: string) {
    super('model_output_invalid', message);
  }
}

const SPEND_LIMITS = new Set(['enforced_spend_limit_reached', 'contract_spend_limit_reached']);

/** An SDK error as one of the above; anything that is not an API error (a bug, a config error) as it is. */
export function classifyModelError(error: unknown): unknown {
  if (!(error instanceof APIError)) return error;
  const id = error.requestID ? ` (request ${error.requestID})` : '';
  const status = error.status;
  if (status === undefined)
    return new ModelUnavailableError(`The model API did not answer${id}: ${error.message}`, error);
  if (status === 429 && error.errorCode && SPEND_LIMITS.has(error.errorCode)) {
    return new ModelSpendLimitError(
      `The Anthropic spend limit is reached (${error.errorCode})${id}; raise it in the Anthropic console.`,
      error,
    );
  }
  if (status === 408 || status === 409 || status === 429 || status >= 500) {
    return new ModelUnavailableError(`The model API answered ${status} ${error.type ?? ''}${id}.`, error);
  }
  return new ModelRequestRejectedError(
    `The model API refused the request: ${status} ${error.type ?? ''}${id}.`,
    error,
  );
}

/** The error names the pipeline's `Extract` state never retries (kept equal to the ASL file by a test). */
export const NON_RETRYABLE_MODEL_ERRORS = [
  ModelSpendLimitError.name,
  ModelRequestRejectedError.name,
  ModelRefusalError.name,
  OutputTruncatedError.name,
  ModelOutputInvalidError.name,
] as const;
