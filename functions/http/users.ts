import { edgeDeps, edgeRuntime } from '../composition/edge-runtime';
import { identityRuntime } from '../composition/identity-runtime';
import { acceptInvite } from '../core/identity/accept-invite';
import { assignAssistant } from '../core/identity/assign-assistant';
import { changeRole } from '../core/identity/change-role';
import { deactivateUser } from '../core/identity/deactivate-user';
import { inviteUser } from '../core/identity/invite-user';
import { listUsers } from '../core/identity/list-users';
import type { IdentityDeps } from '../core/identity/ports';
import type { Authenticator } from '../platform/http/authenticator';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { usersRoutes } from './routes/users-routes';
import { userView } from './views/identity-views';

/**
 * The firm's users, for admins (and invite acceptance, for the invited). A change to a user's role or status
 * also drops this function's cached standing for them, so it takes effect here at once (elsewhere within the
 * authenticator's cache time). Exported for tests, which pass their own deps.
 */
export function usersImplementations(
  deps: IdentityDeps,
  authenticator: Pick<Authenticator, 'forget'>,
): RouteImplementations<typeof usersRoutes> {
  return {
    inviteUser: async ({ principal, body, sourceIp }) => {
      const invitation = await inviteUser(
        { actor: principal, ip: sourceIp, email: body.email, name: body.name, role: body.role },
        deps,
      );
      return {
        body: {
          user: userView(invitation.user),
          invite_token: invitation.inviteToken,
          expires_at: invitation.expiresAt,
        },
      };
    },
    acceptInvite: async ({ body, sourceIp }) => ({
      body: await acceptInvite(
        { inviteToken: body.invite_token, password: body.password, ip: sourceIp },
        deps,
      ),
    }),
    listUsers: async ({ principal, query }) => {
      const page = await listUsers(
        { actor: principal, limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
        deps,
      );
      return { body: { items: page.items.map(userView), ...(page.cursor ? { cursor: page.cursor } : {}) } };
    },
    changeRole: async ({ principal, params, body, sourceIp }) => {
      const user = await changeRole(
        { actor: principal, ip: sourceIp, userId: params.userId, role: body.role },
        deps,
      );
      authenticator.forget(principal.tenantId, params.userId);
      return { body: userView(user) };
    },
    deactivateUser: async ({ principal, params, sourceIp }) => {
      const user = await deactivateUser({ actor: principal, ip: sourceIp, userId: params.userId }, deps);
      authenticator.forget(principal.tenantId, params.userId);
      return { body: userView(user) };
    },
    assignAdvisors: async ({ principal, params, body, sourceIp }) => {
      const user = await assignAssistant(
        { actor: principal, ip: sourceIp, assistantId: params.userId, advisorIds: body.advisor_ids },
        deps,
      );
      return { body: userView(user) };
    },
  };
}

export const handler = createHttpHandler(
  'users',
  usersRoutes,
  usersImplementations(identityRuntime(), edgeRuntime().authenticator),
  edgeDeps(),
);
