import { CrmRequestError } from './crm-provider';

/**
 * Whether trying the same sync again later can help: a CRM that was down or rate-limiting may answer next time;
 * refused credentials, a rejected request or a response of the wrong shape will not change by waiting, so the
 * pipeline records those as failed at once instead of spending its retries (and minutes) on them.
 */
export function isRetryableCrmFailure(error: unknown): boolean {
  if (!(error instanceof CrmRequestError)) return true;
  return error.kind === 'unavailable' || error.kind === 'rate_limited';
}
