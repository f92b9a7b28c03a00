import * as z from 'zod';
import { RoleSchema } from '../../contracts/principal';

/** Ids of users and firms: opaque, URL-safe, never containing the `#` table-key separator. */
export const EntityIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A–Z a–z 0–9 _ -');

export const UserIdSchema = EntityIdSchema;

/** `invited` until the invite is accepted; `deactivated` is final (the email stays reserved for the audit trail). */
export const UserStatusSchema = z.enum(['active', 'invited', 'deactivated']);
export type UserStatus = z.infer<typeof UserStatusSchema>;

export const PersonNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200, 'must be at most 200 characters');

/**
 * A user as stored. `email` (normalised) and `name` identify a person and are encrypted at rest; the password
 * hash is stored but never leaves the identity use cases (`PublicUser` is what callers see).
 */
export const UserSchema = z.object({
  userId: UserIdSchema,
  tenantId: EntityIdSchema,
  email: z.email(),
  name: z.string().min(1).max(200),
  role: RoleSchema,
  status: UserStatusSchema,
  passwordHash: z.string().min(1).optional(),
  /** Epoch seconds: access tokens issued before this are void (role change, deactivation). */
  tokensNotBefore: z.number().int().nonnegative(),
  /** For assistants: the advisors they act for. Empty for every other role. */
  assignedAdvisorIds: z.array(UserIdSchema),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type User = z.infer<typeof UserSchema>;

/** What the API shows of a user: no password hash, no revocation bookkeeping. */
export const PublicUserSchema = UserSchema.omit({ passwordHash: true, tokensNotBefore: true });
export type PublicUser = z.infer<typeof PublicUserSchema>;

/** Strips what callers must never see; zod drops keys the public schema does not name. */
export function toPublicUser(user: User | PublicUser): PublicUser {
  return PublicUserSchema.parse(user);
}

/** Counts towards the firm's "at least one active admin" rule. */
export function isActiveAdmin(user: Pick<User, 'role' | 'status'>): boolean {
  return user.role === 'admin' && user.status === 'active';
}
