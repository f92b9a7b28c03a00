import * as z from 'zod';
import { EntityIdSchema } from '../identity/user';
import { CrmCredentialsSchema, CrmProviderNameSchema } from './crm-provider';

/**
 * One advisor's connection to one CRM (at most one per provider per advisor). `credentials` is the only secret
 * and is stored encrypted with the keyring; nothing else here identifies a client.
 */
export const CrmConnectionSchema = z.object({
  connectionId: EntityIdSchema,
  tenantId: EntityIdSchema,
  /** The advisor whose meetings sync through this connection. */
  advisorId: EntityIdSchema,
  provider: CrmProviderNameSchema,
  status: z.enum(['active', 'disabled']),
  credentials: CrmCredentialsSchema,
  /** What the CRM called the account when the credentials were verified (shown to the user). */
  accountLabel: z.string().max(200).optional(),
  /** The advisor's own user id in the CRM: tasks the advisor owns are assigned to it. */
  crmUserId: z.string().min(1).max(100).optional(),
  connectedBy: EntityIdSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Set by `POST /connections/{provider}/test`. */
  lastTestedAt: z.iso.datetime().optional(),
  lastTestOutcome: z.enum(['ok', 'failed']).optional(),
});
export type CrmConnection = z.infer<typeof CrmConnectionSchema>;
