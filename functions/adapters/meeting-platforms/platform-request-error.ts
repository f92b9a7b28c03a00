import { AppError } from '../../platform/errors';

/**
 * A meeting platform's API (Microsoft Graph, Google's token, Meet or Drive endpoints) answered with an error or
 * not at all. `status` is the vendor's HTTP status (0 when there was no answer); the message names the platform
 * and the operation, never a token or the response body, which may hold client content.
 */
export class PlatformRequestError extends AppError {
  readonly platform: string;
  readonly operation: string;
  readonly status: number;

  constructor(platform: string, operation: string, status: number, detail: string, cause?: unknown) {
    super('platform_request_failed', `${platform} ${operation} failed: ${detail}`, { cause });
    this.platform = platform;
    this.operation = operation;
    this.status = status;
  }
}
