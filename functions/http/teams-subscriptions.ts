import type * as z from 'zod';
import { edgeDeps } from '../composition/edge-runtime';
import { type TeamsRuntime, teamsRuntime } from '../composition/teams-runtime';
import { subscribeTeamsUsers } from '../integrations/teams/subscribe-teams-users';
import type { TeamsSubscription } from '../integrations/teams/teams-subscription';
import { NotFoundError } from '../platform/errors';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { teamsSubscriptionsRoutes } from './routes/teams-subscriptions-routes';

type SubscriptionView = z.input<(typeof teamsSubscriptionsRoutes)[0]['response']>['created'][number];

const toView = (s: TeamsSubscription): SubscriptionView => ({
  subscription_id: s.subscriptionId,
  graph_user: s.graphUserId,
  expires_at: s.expiresAt,
});

/** Admins subscribe their firm's mapped Teams organizers; exported for tests. */
export function teamsSubscriptionsImplementations(
  deps: Pick<TeamsRuntime, 'platforms' | 'subscriptions' | 'clock' | 'settings' | 'connectionOf'>,
): RouteImplementations<typeof teamsSubscriptionsRoutes> {
  return {
    subscribeTeams: async ({ principal, edge }) => {
      const integration = await deps.platforms.integrations.get(principal.tenantId, 'teams');
      const connection = await deps.connectionOf(principal.tenantId);
      if (integration?.credentials.platform !== 'teams' || connection === undefined) {
        throw new NotFoundError('The firm has no Teams integration: PUT /api/v1/integrations/teams first.');
      }
      const result = await subscribeTeamsUsers(
        { connection, graphUserIds: integration.credentials.advisorMappings.map((m) => m.platformUser) },
        deps,
      );
      edge.log.info('teams subscriptions', {
        created: result.created.length,
        existing: result.existing.length,
      });
      return { body: { created: result.created.map(toView), existing: result.existing.map(toView) } };
    },
  };
}

export const handler = createHttpHandler(
  'teams-subscriptions',
  teamsSubscriptionsRoutes,
  teamsSubscriptionsImplementations(teamsRuntime()),
  edgeDeps(),
);
