import * as z from 'zod';
import { PlatformSchema } from '../../contracts/platform';
import { EntityIdSchema } from '../identity/user';
import { IntegrationCredentialsSchema } from './integration-credentials';

/**
 * A firm's connection to one meeting platform: one per (firm, platform). `credentials` (secrets and the advisor
 * mapping, which holds people's emails) is keyring ciphertext at rest; the rest is plaintext bookkeeping.
 * `integrationId` is a random public handle: it appears in webhook URLs (Zoom's `?firm=`), never a secret.
 */
export const PlatformIntegrationSchema = z.object({
  tenantId: EntityIdSchema,
  platform: PlatformSchema,
  integrationId: EntityIdSchema,
  credentials: IntegrationCredentialsSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  updatedBy: EntityIdSchema,
});
export type PlatformIntegration = z.infer<typeof PlatformIntegrationSchema>;

/**
 * How an inbound webhook finds its firm without a scan: a lookup item per route key. Route keys are
 * platform-specific strings (`account:<zoom account id>`, `endpoint:<integration id>`, `tenant:<entra tenant>`,
 * `subscription:<entra tenant>:<graph subscription id>`, `token:<meet path token>`); the store keeps only their
 * SHA-256, so a path token is never stored in plaintext.
 */
export const PlatformRouteSchema = z.object({
  platform: PlatformSchema,
  tenantId: EntityIdSchema,
  integrationId: EntityIdSchema,
});
export type PlatformRoute = z.infer<typeof PlatformRouteSchema>;
