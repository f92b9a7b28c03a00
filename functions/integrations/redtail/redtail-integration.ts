import { defineCrmIntegration } from '../crm/crm-integration';
import { RedtailConnectSchema, RedtailCredentialsSchema } from './redtail-credentials';
import { createRedtailProvider, exchangeRedtailUserKey } from './redtail-provider';

/** Redtail: the password is exchanged for a user key at connect time and then forgotten; only the key is stored. */
export const redtailIntegration = defineCrmIntegration({
  connectBody: RedtailConnectSchema,
  connectFields: {
    api_key: 'Redtail: the integration API key',
    username: 'Redtail: the adviser’s user name',
    password: 'Redtail: exchanged for a user key at connect time; never stored',
  },
  refusedField: 'body.password',
  credentials: RedtailCredentialsSchema,
  connect: async (fields, setup) => {
    const { userKey } = await exchangeRedtailUserKey(
      { apiKey: fields.api_key, username: fields.username, password: fields.password },
      setup,
    );
    return { provider: 'redtail' as const, apiKey: fields.api_key, userKey };
  },
  client: (credentials, setup) => createRedtailProvider(credentials, setup),
});
