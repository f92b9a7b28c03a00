import { ValidationError } from '../../platform/errors';
import { defineCrmIntegration } from '../crm/crm-integration';
import { SalesforceConnectSchema, SalesforceCredentialsSchema } from './salesforce-credentials';
import { vetSalesforceDomain } from './salesforce-domain';
import { createSalesforceProvider } from './salesforce-provider';

/**
 * Salesforce: the client credentials are stored; the My Domain URL is vetted first, since the secret will be
 * sent there. A configured base URL (fakes only) replaces every connection's My Domain, per call, never stored.
 */
export const salesforceIntegration = defineCrmIntegration({
  connectBody: SalesforceConnectSchema,
  connectFields: {
    client_id: 'Salesforce: External Client App consumer key',
    client_secret: 'Salesforce: consumer secret',
    my_domain_url: 'Salesforce: https://<domain>.my.salesforce.com',
  },
  refusedField: 'body.client_secret',
  credentials: SalesforceCredentialsSchema,
  connect: async (fields, setup) => {
    const check = vetSalesforceDomain(fields.my_domain_url, setup.baseUrl);
    if (!check.ok) {
      throw new ValidationError('The Salesforce My Domain URL was refused.', [
        { path: 'body.my_domain_url', message: check.reason },
      ]);
    }
    return {
      provider: 'salesforce' as const,
      clientId: fields.client_id,
      clientSecret: fields.client_secret,
      myDomainUrl: setup.baseUrl ? fields.my_domain_url : check.origin,
    };
  },
  client: (credentials, setup) =>
    createSalesforceProvider(credentials, {
      timeoutMs: setup.timeoutMs,
      maxAttempts: setup.maxAttempts,
      ...(setup.fetch ? { fetch: setup.fetch } : {}),
      ...(setup.sleep ? { sleep: setup.sleep } : {}),
      ...(setup.baseUrl ? { overrideBaseUrl: setup.baseUrl } : {}),
    }),
});
