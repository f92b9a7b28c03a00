import { defineCrmIntegration } from '../crm/crm-integration';
import { WealthboxConnectSchema, WealthboxCredentialsSchema } from './wealthbox-credentials';
import { createWealthboxProvider } from './wealthbox-provider';

/** Wealthbox: a personal API token, stored as given. */
export const wealthboxIntegration = defineCrmIntegration({
  connectBody: WealthboxConnectSchema,
  connectFields: { api_token: 'Wealthbox: personal API access token' },
  refusedField: 'body.api_token',
  credentials: WealthboxCredentialsSchema,
  connect: async (fields) => ({ provider: 'wealthbox' as const, apiToken: fields.api_token }),
  client: (credentials, setup) => createWealthboxProvider(credentials, setup),
});
