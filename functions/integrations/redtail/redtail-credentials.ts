import * as z from 'zod';

const Secret = z.string().trim().min(1).max(500);

/** What connecting to Redtail asks for: the integration's API key and the adviser's own login. */
export const RedtailConnectSchema = z.object({
  api_key: Secret,
  username: z.string().trim().min(1).max(200),
  password: Secret,
});

/** Redtail credentials as stored on a connection. */
export const RedtailCredentialsSchema = z.object({
  provider: z.literal('redtail'),
  apiKey: z.string().min(1).max(500),
  /**
   * The user key `GET /authentication` returned for the adviser's username and password at connect time. The
   * password itself is never stored: a 401 later means "reconnect", which the sync reports.
   */
  userKey: z.string().min(1).max(500),
});
export type RedtailCredentials = z.infer<typeof RedtailCredentialsSchema>;
