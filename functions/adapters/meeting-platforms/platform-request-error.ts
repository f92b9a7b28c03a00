import { PlatformArtifactNotReadyError, PlatformFetchError } from '../../core/platforms/errors';

/**
 * A failed call: 429 and 5xx are the platform being busy, retried by the intake state machine like a file not
 * ready yet; anything else is for good. The message names the platform and operation, never a token or a body.
 */
export function requestError(
  platform: string,
  operation: string,
  status: number,
  detail: string,
  cause?: unknown,
): PlatformArtifactNotReadyError | PlatformFetchError {
  const message = `${platform} ${operation} failed: ${detail}`;
  if (status === 429 || status >= 500)
    return new PlatformArtifactNotReadyError(`${message}; retrying`, cause);
  return new PlatformFetchError(message, { status, cause });
}
