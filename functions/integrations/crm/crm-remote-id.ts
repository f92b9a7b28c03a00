import { type CrmProviderName, CrmRequestError } from '../../core/crm/crm-provider';

/**
 * A CRM id we are about to put in a URL path or a request body, checked against the vendor's id format first:
 * ids come from our own store, but a wrong one must fail as `rejected` naming the field, never reach the vendor
 * as a different path (`../`) or a SOQL fragment.
 */
export function checkRemoteId(provider: CrmProviderName, id: string, pattern: RegExp, field: string): string {
  if (!pattern.test(id)) {
    throw new CrmRequestError(provider, 'rejected', `${field} is not a ${provider} id`, undefined, field);
  }
  return id;
}

/** Wealthbox and Redtail ids are positive integers. */
export const NUMERIC_ID = /^[1-9]\d{0,17}$/;
