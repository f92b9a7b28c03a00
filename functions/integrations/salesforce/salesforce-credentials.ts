import * as z from 'zod';

const Secret = z.string().trim().min(1).max(500);

/** What connecting to Salesforce asks for: an External Client App's key and secret, and the org's My Domain. */
export const SalesforceConnectSchema = z.object({
  client_id: Secret,
  client_secret: Secret,
  my_domain_url: z.url({ protocol: /^https$/ }).max(300),
});

/** Salesforce credentials as stored on a connection. */
export const SalesforceCredentialsSchema = z.object({
  provider: z.literal('salesforce'),
  clientId: z.string().min(1).max(500),
  clientSecret: z.string().min(1).max(500),
  /** `https://<domain>.my.salesforce.com` (vetted at connect time). */
  myDomainUrl: z.url(),
});
export type SalesforceCredentials = z.infer<typeof SalesforceCredentialsSchema>;
