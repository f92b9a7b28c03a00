import { AppError } from '../../platform/errors';

/**
 * A CRM refused the credentials offered at connect or test time. The message names the provider and what it
 * answered (status and vendor error code, never the credentials); nothing is stored.
 */
export class CrmCredentialsRejectedError extends AppError {
  constructor(provider: string, answer: string, path: string, cause?: unknown) {
    super('crm_credentials_rejected', `${provider} refused the credentials: ${answer}`, {
      cause,
      issues: [{ path, message: `${provider} answered: ${answer}` }],
    });
  }
}

/** A CRM did not answer usably (down, rate limited, an unexpected response) while connecting or testing. */
export class CrmUnreachableError extends AppError {
  constructor(provider: string, answer: string, cause?: unknown) {
    super('crm_unreachable', `${provider} could not be reached to verify the credentials: ${answer}`, {
      cause,
    });
  }
}
