import * as z from 'zod';
import { RoleSchema } from '../../contracts/principal';
import { TokenPairSchema as CoreTokenPairSchema } from '../../core/identity/token-pair';
import { EntityIdSchema, UserStatusSchema } from '../../core/identity/user';

export { EmailSchema } from '../../core/identity/email';
export { PasswordSchema, PresentedPasswordSchema } from '../../core/identity/password-policy';
export { OpaqueTokenSchema } from '../../core/identity/token-pair';
export { PersonNameSchema } from '../../core/identity/user';

/** The API's view of identity records: snake_case, never a password hash or a token hash. */
export const TokenPairSchema = CoreTokenPairSchema.meta({ id: 'TokenPair' });

export const UserViewSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    status: UserStatusSchema,
    assigned_advisor_ids: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'User' });

export const FirmViewSchema = z
  .object({ id: z.string(), name: z.string(), created_at: z.string() })
  .meta({ id: 'Firm' });

export const IdSchema = EntityIdSchema;

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
