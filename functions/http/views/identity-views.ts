import type * as z from 'zod';
import type { Firm } from '../../core/identity/firm';
import type { PublicUser } from '../../core/identity/user';
import type { FirmViewSchema, UserViewSchema } from '../routes/identity-schemas';

/** A user as the API shows it (snake_case; the core's `PublicUser` already holds no secrets). */
export function userView(user: PublicUser): z.input<typeof UserViewSchema> {
  return {
    id: user.userId,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    assigned_advisor_ids: user.assignedAdvisorIds,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

export function firmView(firm: Firm): z.input<typeof FirmViewSchema> {
  return { id: firm.tenantId, name: firm.name, created_at: firm.createdAt };
}
