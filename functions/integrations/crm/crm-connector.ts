import type { CrmCredentials, CrmProvider } from '../../core/crm/crm-provider';
import type { CrmConnector } from '../../core/crm/ports';
import { CRM_REGISTRY } from '../crm-registry';
import type { CrmIntegration, CrmSetup } from './crm-integration';
import type { CrmTransportOptions } from './crm-transport-options';

/** Where each CRM lives and how patiently to call it; base URLs come from config so tests can use fakes. */
export interface CrmConnectorOptions extends CrmTransportOptions {
  /** Configured API bases by CRM name (`CRM_<NAME>_BASE_URL`); a CRM without one uses its own default. */
  baseUrls: Readonly<Record<string, string | undefined>>;
}

function integrationNamed(provider: string): CrmIntegration {
  const integration = Object.hasOwn(CRM_REGISTRY, provider)
    ? CRM_REGISTRY[provider as keyof typeof CRM_REGISTRY]
    : undefined;
  if (!integration) throw new Error(`No CRM integration is named "${provider}".`);
  return integration;
}

function setupFor(provider: string, options: CrmConnectorOptions): CrmSetup {
  const baseUrl = options.baseUrls[provider];
  return {
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(baseUrl ? { baseUrl } : {}),
  };
}

/** The adapter for a connection's credentials (validated against its CRM's schema), at the configured base URL. */
export function createCrmProvider(credentials: CrmCredentials, options: CrmConnectorOptions): CrmProvider {
  const integration = integrationNamed(credentials.provider);
  return integration.client(
    integration.credentials.parse(credentials),
    setupFor(credentials.provider, options),
  );
}

/** The registry's CRM integrations behind the use cases' one port, all configured alike. */
export function createCrmConnector(options: CrmConnectorOptions): CrmConnector {
  return {
    connection: (provider) => {
      const integration = integrationNamed(provider);
      return {
        body: integration.connectBody,
        refusedField: integration.refusedField,
        credentials: (fields) => integration.connect(fields, setupFor(provider, options)),
      };
    },
    provider: (credentials) => createCrmProvider(credentials, options),
  };
}
