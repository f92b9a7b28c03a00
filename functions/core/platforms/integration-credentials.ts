import * as z from 'zod';
import { EntityIdSchema } from '../identity/user';

/**
 * Who on the platform is which advisor of the firm. `platformUser` is what the platform names the meeting's
 * host or organiser with: an email (compared case-insensitively) or the platform's own user id (Zoom `host_id`,
 * an Entra object id, a Google user id). A meeting whose host maps to no active advisor creates nothing.
 */
export const AdvisorMappingSchema = z.object({
  platformUser: z.string().trim().min(1).max(320),
  advisorUserId: EntityIdSchema,
});
export type AdvisorMapping = z.infer<typeof AdvisorMappingSchema>;

const AdvisorMappingsSchema = z
  .array(AdvisorMappingSchema)
  .min(1, 'must map at least one platform user to an advisor')
  .max(1000)
  .refine((mappings) => new Set(mappings.map((m) => m.platformUser.toLowerCase())).size === mappings.length, {
    message: 'maps the same platform user twice',
  });

/**
 * A firm's Zoom app (one webhook endpoint per app). The secret token signs every event (`x-zm-signature`) and
 * the URL validation answer; the account id routes an event to the firm before its signature can be checked.
 */
export const ZoomCredentialsSchema = z.object({
  platform: z.literal('zoom'),
  /** `payload.account_id` of the firm's events. */
  accountId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Zoom account id (letters, digits, _ -)'),
  /** The app's "Secret Token" (Zoom shows 22 characters). */
  webhookSecretToken: z.string().min(16).max(200),
  /** Zoom host email or `host_id` → advisor. */
  advisorMappings: AdvisorMappingsSchema,
});

/**
 * A firm's Entra (Azure AD) app for Microsoft Graph: client-credentials sign-in (`clientId` + `clientSecret`
 * at `login.microsoftonline.com/{azureTenantId}`), and the `clientState` secret every change notification of the
 * firm's subscriptions must carry (Graph allows at most 128 characters).
 */
export const TeamsCredentialsSchema = z.object({
  platform: z.literal('teams'),
  azureTenantId: z.uuid(),
  clientId: z.uuid(),
  clientSecret: z.string().min(1).max(1000),
  clientState: z.string().min(32).max(128),
  /** Organiser's Entra object id or user principal name → advisor. */
  advisorMappings: AdvisorMappingsSchema,
});

/** The Google service account's key, as the JSON key file has it (only what signing a token needs). */
export const GoogleServiceAccountSchema = z.object({
  clientEmail: z.email(),
  privateKey: z
    .string()
    .max(10_000)
    .refine((key) => key.includes('-----BEGIN PRIVATE KEY-----'), {
      message: 'must be the PEM private key of the service account JSON (-----BEGIN PRIVATE KEY-----)',
    }),
  privateKeyId: z.string().min(1).max(200).optional(),
  /** Default `https://oauth2.googleapis.com/token`. */
  tokenUri: z.url({ protocol: /^https$/ }).optional(),
});

/**
 * A firm's Google Workspace access for Meet: the service account that reads Meet artifacts and Drive files
 * (impersonating `delegatedUser` through domain-wide delegation when set), and the secret path token of its
 * Pub/Sub push endpoint (`/webhooks/meet/{pathToken}`), which routes and authenticates the push.
 */
export const MeetCredentialsSchema = z.object({
  platform: z.literal('meet'),
  serviceAccount: GoogleServiceAccountSchema,
  delegatedUser: z.email().optional(),
  pathToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{32,128}$/, 'must be 32–128 of A–Z a–z 0–9 _ - (e.g. openssl rand -hex 32)'),
  /** Organiser's Google user id or email → advisor. */
  advisorMappings: AdvisorMappingsSchema,
});

/**
 * A firm's credentials for one platform, stored whole as keyring ciphertext on the integration item
 * (`PlatformIntegration.credentials`) and never returned by the API. Discriminated by `platform`.
 */
export const IntegrationCredentialsSchema = z.discriminatedUnion('platform', [
  ZoomCredentialsSchema,
  TeamsCredentialsSchema,
  MeetCredentialsSchema,
]);
export type IntegrationCredentials = z.infer<typeof IntegrationCredentialsSchema>;
export type ZoomCredentials = z.infer<typeof ZoomCredentialsSchema>;
export type TeamsCredentials = z.infer<typeof TeamsCredentialsSchema>;
export type MeetCredentials = z.infer<typeof MeetCredentialsSchema>;

/** The credentials of one platform, by its name. */
export type CredentialsOf<P extends IntegrationCredentials['platform']> = Extract<
  IntegrationCredentials,
  { platform: P }
>;
