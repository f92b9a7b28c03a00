import type { Role } from '../../contracts/principal';
import type { IntegrationCredentials } from './integration-credentials';

/** Who may own a meeting a platform delivers (when also `active`): the roles that run client meetings. */
export const MEETING_OWNER_ROLES: readonly Role[] = ['advisor', 'admin'];

/**
 * The user a platform meeting belongs to: the first of the host's identities (email or platform user id) the
 * firm's mapping names. Emails compare case-insensitively; ids exactly as the platform sends them, also
 * case-insensitively (Zoom ids are case-sensitive in theory, never colliding by case in practice). Whether
 * that user is still an active advisor or admin is checked when the meeting is admitted, in the same write.
 */
export function mappedAdvisor(
  hostIdentities: readonly string[],
  credentials: IntegrationCredentials,
): string | undefined {
  const byIdentity = new Map(
    credentials.advisorMappings.map((m) => [m.platformUser.trim().toLowerCase(), m.advisorUserId]),
  );
  return hostIdentities
    .map((identity) => byIdentity.get(identity.trim().toLowerCase()))
    .find((id) => id !== undefined);
}
