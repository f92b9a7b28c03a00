import type * as z from 'zod';
import type { CrmCredentials, CrmProvider } from '../../core/crm/crm-provider';
import type { CrmTransportOptions } from './crm-transport-options';

/** How an integration reaches its CRM: the transport every CRM shares, and the configured API base if any. */
export interface CrmSetup extends CrmTransportOptions {
  /** `CRM_<NAME>_BASE_URL`: replaces the integration's own default (tests and sandboxes point it at fakes). */
  baseUrl?: string;
}

/**
 * One CRM vendor as a module, found through `crm-registry.ts`: what connecting asks for, what is stored, and the
 * client that speaks the vendor's API. Core sees only the `CrmConnector` port built from these.
 */
export interface CrmIntegration<
  Fields extends Record<string, unknown> = Record<string, unknown>,
  Credentials extends CrmCredentials = CrmCredentials,
> {
  /** What a connect request carries (snake_case, as the API speaks), validated before anything else. */
  connectBody: z.ZodType<Fields>;
  /** Each connect field as the API document describes it (`<Vendor>: what it is`). */
  connectFields: Readonly<Record<keyof NoInfer<Fields> & string, string>>;
  /** The connect field a refusal of the credentials is reported against. */
  refusedField: `body.${keyof NoInfer<Fields> & string}`;
  /** The credentials as stored (encrypted with the keyring); `provider` is the registry name. */
  credentials: z.ZodType<Credentials>;
  /** The validated request → the credentials to store, exchanging what must be exchanged. */
  connect(fields: NoInfer<Fields>, setup: CrmSetup): Promise<NoInfer<Credentials>>;
  client(credentials: NoInfer<Credentials>, setup: CrmSetup): CrmProvider;
}

/**
 * Erases an integration's own field and credential types for the registry. Sound because the connector parses
 * the request with `connectBody` and stored credentials with `credentials` before it calls `connect` or `client`.
 */
export function defineCrmIntegration<
  Fields extends Record<string, unknown>,
  Credentials extends CrmCredentials,
>(integration: CrmIntegration<Fields, Credentials>): CrmIntegration {
  return integration as unknown as CrmIntegration;
}
