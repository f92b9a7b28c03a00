import * as z from 'zod';
import { ConflictError, UnauthorizedError } from '../../platform/errors';
import { emailDigest, normaliseEmail } from './email';
import { parseInput } from './parse-input';
import { PresentedPasswordSchema } from './password-policy';
import type { IdentityDeps } from './ports';
import { startSession, type TokenPair } from './token-pair';
import type { User } from './user';

/** The email is not format-checked: a malformed one is simply unknown, and answered like any other. */
export const LoginInputSchema = z.object({
  email: z
    .string()
    .min(1, 'is required')
    .max(320, 'must be at most 320 characters')
    .transform(normaliseEmail),
  password: PresentedPasswordSchema,
});
export type LoginInput = z.input<typeof LoginInputSchema> & { ip: string };

export type LoginDeps = Pick<
  IdentityDeps,
  'identities' | 'refreshTokens' | 'passwords' | 'accessTokens' | 'audit' | 'clock' | 'ids' | 'settings'
>;

/** The one answer to every failed sign-in: unknown email, wrong password, invited or deactivated user. */
export const INVALID_CREDENTIALS = 'The email or password is incorrect.';

/**
 * Signs a user in with email and password and starts a new session (token family). Every failure costs one
 * password verification (a dummy one for an unknown email) and throws the same `UnauthorizedError`, and is
 * audited: on the firm's chain when the email is known, on the system chain (email as a digest only) when not.
 * A hash made with weaker parameters than today's is upgraded on success.
 */
export async function login(input: LoginInput, deps: LoginDeps): Promise<TokenPair> {
  const { email, password } = parseInput(LoginInputSchema, input);
  const entry = await deps.identities.findLogin(email);
  const user = entry ? await deps.identities.getUser(entry.tenantId, entry.userId) : undefined;

  if (!user?.passwordHash) {
    await deps.passwords.dummyVerify(password);
    await auditFailure(user, email, input.ip, deps, user ? 'user_not_active' : 'unknown_email');
    throw new UnauthorizedError(INVALID_CREDENTIALS);
  }
  const verified = await deps.passwords.verify(password, user.passwordHash);
  if (!verified || user.status !== 'active') {
    await auditFailure(user, email, input.ip, deps, verified ? 'user_not_active' : 'wrong_password');
    throw new UnauthorizedError(INVALID_CREDENTIALS);
  }

  if (deps.passwords.needsRehash(user.passwordHash)) await upgradeHash(user, password, deps);
  await deps.audit.append(user.tenantId, {
    action: 'auth.login_succeeded',
    outcome: 'success',
    actor: { userId: user.userId, role: user.role },
    target: { type: 'user', id: user.userId },
    ip: input.ip,
    details: {},
  });
  return startSession({ tenantId: user.tenantId, userId: user.userId, role: user.role }, deps);
}

async function auditFailure(
  user: User | undefined,
  email: string,
  ip: string,
  deps: Pick<IdentityDeps, 'audit'>,
  reason: 'unknown_email' | 'wrong_password' | 'user_not_active',
): Promise<void> {
  if (!user) {
    // No firm to file it under; the digest lets an investigator who knows an address find its attempts.
    await deps.audit.append(null, {
      action: 'auth.login_failed',
      outcome: 'failure',
      ip,
      details: { reason, emailSha256: emailDigest(email) },
    });
    return;
  }
  await deps.audit.append(user.tenantId, {
    action: 'auth.login_failed',
    outcome: 'failure',
    target: { type: 'user', id: user.userId },
    ip,
    details: { reason },
  });
}

/** Re-hashes with today's parameters while the plaintext is at hand (it never is otherwise). */
async function upgradeHash(
  user: User,
  password: string,
  deps: Pick<IdentityDeps, 'identities' | 'passwords' | 'clock'>,
) {
  const passwordHash = await deps.passwords.hash(password);
  try {
    await deps.identities.updateUser(
      user.tenantId,
      user.userId,
      { role: user.role, status: user.status },
      { passwordHash, updatedAt: new Date(deps.clock.now()).toISOString() },
    );
  } catch (error) {
    // A concurrent change to the user (role, status) wins; the next sign-in upgrades instead.
    if (!(error instanceof ConflictError)) throw error;
  }
}
