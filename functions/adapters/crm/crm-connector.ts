import type { CrmConnector } from '../../core/crm/ports';
import { type CrmProviderOptions, createCrmProvider } from './crm-provider-factory';
import { exchangeRedtailUserKey } from './redtail-provider';
import { vetSalesforceDomain } from './salesforce-provider';

/** Vetting refused a Salesforce My Domain URL; the message is the rule it broke. */
export class SalesforceDomainRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SalesforceDomainRefusedError';
  }
}

/** The CRM adapters behind the use cases' one port, all configured alike (base URLs, timeout, attempts). */
export function createCrmConnector(options: CrmProviderOptions): CrmConnector {
  return {
    provider: (credentials) => createCrmProvider(credentials, options),
    redtailUserKey: async (login) =>
      (
        await exchangeRedtailUserKey(login, {
          baseUrl: options.baseUrls.redtail,
          timeoutMs: options.timeoutMs,
          maxAttempts: options.maxAttempts,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.sleep ? { sleep: options.sleep } : {}),
        })
      ).userKey,
    vetSalesforceDomain: (url) => {
      const check = vetSalesforceDomain(url, options.baseUrls.salesforce);
      if (!check.ok) throw new SalesforceDomainRefusedError(check.reason);
      // Stored as given (normalised to its origin): the override, if any, is applied per call, not persisted.
      return options.baseUrls.salesforce ? url : check.origin;
    },
  };
}
