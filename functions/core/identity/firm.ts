import * as z from 'zod';
import { EntityIdSchema } from './user';

export const FirmNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200, 'must be at most 200 characters');

/** A firm is a tenant: every record of the firm is keyed by its `tenantId`. */
export const FirmSchema = z.object({
  tenantId: EntityIdSchema,
  name: z.string().min(1).max(200),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Firm = z.infer<typeof FirmSchema>;
