import * as z from 'zod';
import { EmailSchema } from './email';
import { type Firm, FirmNameSchema } from './firm';
import { parseInput } from './parse-input';
import { PasswordSchema } from './password-policy';
import type { IdentityDeps } from './ports';
import { startSession, type TokenPair } from './token-pair';
import { PersonNameSchema, type User } from './user';

export const RegisterInputSchema = z.object({
  firmName: FirmNameSchema,
  name: PersonNameSchema,
  email: EmailSchema,
  password: PasswordSchema,
});
export type RegisterInput = z.input<typeof RegisterInputSchema> & { ip: string };

export type RegisterDeps = Pick<
  IdentityDeps,
  'identities' | 'refreshTokens' | 'passwords' | 'accessTokens' | 'clock' | 'ids' | 'settings'
>;

/**
 * Creates a firm and its first admin (active, with the given password) and signs the admin in. The firm, the
 * user and the email's login entry are written in one transaction; an email already in use anywhere is a
 * `ConflictError` that does not say where.
 */
export async function register(input: RegisterInput, deps: RegisterDeps): Promise<TokenPair> {
  const { firmName, name, email, password } = parseInput(RegisterInputSchema, input);
  const passwordHash = await deps.passwords.hash(password);
  const nowMs = deps.clock.now();
  const now = new Date(nowMs).toISOString();
  const firm: Firm = { tenantId: deps.ids.uuid(), name: firmName, createdAt: now, updatedAt: now };
  const admin: User = {
    userId: deps.ids.uuid(),
    tenantId: firm.tenantId,
    email,
    name,
    role: 'admin',
    status: 'active',
    passwordHash,
    tokensNotBefore: 0,
    assignedAdvisorIds: [],
    createdAt: now,
    updatedAt: now,
  };
  await deps.identities.registerFirm(firm, admin, {
    action: 'firm.registered',
    outcome: 'success',
    actor: { userId: admin.userId, role: admin.role },
    target: { type: 'firm', id: firm.tenantId },
    ip: input.ip,
    details: {},
  });
  const principal = { tenantId: firm.tenantId, userId: admin.userId, role: admin.role };
  return startSession(principal, deps);
}
