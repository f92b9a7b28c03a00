import { AppError } from '../../platform/errors';

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
 * The transcription provider could not be reached or answered with a transient failure (5xx, 429 after the
 * in-process retries, a timeout, a dropped connection). Worth trying again later: the pipeline retries it.
 */
export class TranscriptionProviderUnavailableError extends AppError {
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('transcription_provider_unavailable', message, { cause: options.cause });
    this.status = options.status;
  }
}

/**
 * The transcription provider refused the request for a reason a retry cannot fix (a wrong key, a request it
 * calls invalid, an unknown job). The pipeline does not retry it; the meeting fails with this message.
 */
export class TranscriptionRejectedError extends AppError {
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('transcription_rejected', message, { cause: options.cause });
    this.status = options.status;
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
