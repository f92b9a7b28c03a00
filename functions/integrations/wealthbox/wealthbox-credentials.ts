import * as z from 'zod';

const Secret = z.string().trim().min(1).max(500);

/** What connecting to Wealthbox asks for. */
export const WealthboxConnectSchema = z.object({ api_token: Secret });

/** Wealthbox credentials as stored on a connection. */
export const WealthboxCredentialsSchema = z.object({
  provider: z.literal('wealthbox'),
  /** Personal API access token, sent as the `ACCESS_TOKEN` header. */
  apiToken: z.string().min(1).max(500),
});
export type WealthboxCredentials = z.infer<typeof WealthboxCredentialsSchema>;
