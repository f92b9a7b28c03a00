import * as z from 'zod';

/**
 * `admin` manages users and firm settings; `advisor` owns clients and meetings; `compliance` reads everything
 * in the firm and reviews flags but cannot change client data; `assistant` acts for the advisors assigned to it.
 */
export const RoleSchema = z.enum(['admin', 'advisor', 'compliance', 'assistant']).meta({ id: 'Role' });
export type Role = z.infer<typeof RoleSchema>;

export const ALL_ROLES: readonly Role[] = RoleSchema.options;

/** Who is calling, taken only from a verified access token (never from the request body or path). */
export interface Principal {
  userId: string;
  tenantId: string;
  role: Role;
}
