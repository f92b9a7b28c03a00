import type { CrmCredentials, CrmProvider } from '../../core/crm/crm-provider';
import { createRedtailProvider } from './redtail-provider';
import { createSalesforceProvider } from './salesforce-provider';
import { createWealthboxProvider } from './wealthbox-provider';

/** Where each CRM lives and how patiently to call it; base URLs come from config so tests can use fakes. */
export interface CrmProviderOptions {
  baseUrls: {
    wealthbox: string;
    redtail: string;
    /** Replaces every connection's My Domain (token and data calls): for fakes. Absent in production. */
    salesforce?: string;
  };
  /** Per request attempt. */
  timeoutMs: number;
  /** Per request, including the first. */
  maxAttempts: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** The adapter for a connection's provider, speaking to the configured base URL. */
export function createCrmProvider(credentials: CrmCredentials, options: CrmProviderOptions): CrmProvider {
  const transport = {
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
  switch (credentials.provider) {
    case 'wealthbox':
      return createWealthboxProvider(credentials, { ...transport, baseUrl: options.baseUrls.wealthbox });
    case 'redtail':
      return createRedtailProvider(credentials, { ...transport, baseUrl: options.baseUrls.redtail });
    case 'salesforce':
      return createSalesforceProvider(credentials, {
        ...transport,
        ...(options.baseUrls.salesforce ? { overrideBaseUrl: options.baseUrls.salesforce } : {}),
      });
  }
}
