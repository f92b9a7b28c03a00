import type { User } from '../identity/user';
import type { IntegrationCredentials } from './integration-credentials';

export type AdvisorResolution =
  | { found: true; advisorUserId: string }
  | { found: false; reason: 'unmapped_host' | 'advisor_inactive' };

/**
 * The advisor a platform meeting belongs to: the first of the host's identities (email or platform user id)
 * the firm's mapping names, if that user is an active advisor or admin of the firm. Emails compare
 * case-insensitively; ids exactly as the platform sends them, also case-insensitively (Zoom ids are
 * case-sensitive in theory, never colliding by case in practice).
 */
export async function resolveAdvisor(
  tenantId: string,
  hostIdentities: readonly string[],
  credentials: IntegrationCredentials,
  users: { getUser(tenantId: string, userId: string): Promise<User | undefined> },
): Promise<AdvisorResolution> {
  const byIdentity = new Map(
    credentials.advisorMappings.map((m) => [m.platformUser.trim().toLowerCase(), m.advisorUserId]),
  );
  const advisorUserId = hostIdentities
    .map((identity) => byIdentity.get(identity.trim().toLowerCase()))
    .find((id) => id !== undefined);
  if (advisorUserId === undefined) return { found: false, reason: 'unmapped_host' };
  const user = await users.getUser(tenantId, advisorUserId);
  if (user?.status !== 'active' || (user.role !== 'advisor' && user.role !== 'admin')) {
    return { found: false, reason: 'advisor_inactive' };
  }
  return { found: true, advisorUserId };
}
