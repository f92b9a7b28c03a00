import type * as z from 'zod';
import type { IntegrationCredentials } from '../../core/platforms/integration-credentials';
import type { PlatformIntegration } from '../../core/platforms/platform-integration';
import type { IntegrationRequest, IntegrationViewSchema } from '../routes/integrations-routes';

/** The request's snake_case fields as core credentials (already validated by the route's schema). */
export function credentialsFromRequest(body: IntegrationRequest): IntegrationCredentials {
  const advisorMappings = body.advisor_mappings.map((m) => ({
    platformUser: m.platform_user,
    advisorUserId: m.advisor_user_id,
  }));
  switch (body.platform) {
    case 'zoom':
      return {
        platform: 'zoom',
        accountId: body.account_id,
        webhookSecretToken: body.webhook_secret_token,
        advisorMappings,
      };
    case 'teams':
      return {
        platform: 'teams',
        azureTenantId: body.azure_tenant_id,
        clientId: body.client_id,
        clientSecret: body.client_secret,
        clientState: body.client_state,
        advisorMappings,
      };
    case 'meet':
      return {
        platform: 'meet',
        serviceAccount: {
          clientEmail: body.service_account.client_email,
          privateKey: body.service_account.private_key,
          ...(body.service_account.private_key_id
            ? { privateKeyId: body.service_account.private_key_id }
            : {}),
          ...(body.service_account.token_uri ? { tokenUri: body.service_account.token_uri } : {}),
        },
        ...(body.delegated_user ? { delegatedUser: body.delegated_user } : {}),
        pathToken: body.path_token,
        advisorMappings,
      };
  }
}

function settingsOf(credentials: IntegrationCredentials): {
  settings: Record<string, string>;
  secrets: string[];
} {
  switch (credentials.platform) {
    case 'zoom':
      return { settings: { account_id: credentials.accountId }, secrets: ['webhook_secret_token'] };
    case 'teams':
      return {
        settings: { azure_tenant_id: credentials.azureTenantId, client_id: credentials.clientId },
        secrets: ['client_secret', 'client_state'],
      };
    case 'meet':
      return {
        settings: {
          client_email: credentials.serviceAccount.clientEmail,
          ...(credentials.delegatedUser ? { delegated_user: credentials.delegatedUser } : {}),
        },
        secrets: ['service_account.private_key', 'path_token'],
      };
  }
}

/** Where the platform sends webhooks. Meet's path holds its secret token, so only its shape is shown. */
function webhookPathOf(integration: PlatformIntegration): string {
  switch (integration.platform) {
    case 'zoom':
      return `/webhooks/zoom?firm=${integration.integrationId}`;
    case 'teams':
      return '/webhooks/teams';
    case 'meet':
      return '/webhooks/meet/{path_token}';
  }
}

/** An integration without any secret: settings, the advisor mapping, and the names of what is stored. */
export function integrationView(integration: PlatformIntegration): z.input<typeof IntegrationViewSchema> {
  const { settings, secrets } = settingsOf(integration.credentials);
  return {
    platform: integration.platform,
    integration_id: integration.integrationId,
    webhook_path: webhookPathOf(integration),
    settings,
    advisor_mappings: integration.credentials.advisorMappings.map((m) => ({
      platform_user: m.platformUser,
      advisor_user_id: m.advisorUserId,
    })),
    secrets_stored: secrets,
    created_at: integration.createdAt,
    updated_at: integration.updatedAt,
    updated_by: integration.updatedBy,
  };
}
