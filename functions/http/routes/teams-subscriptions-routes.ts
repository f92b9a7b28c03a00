import * as z from 'zod';
import { defineRoute } from '../../platform/http/route';

const SubscriptionViewSchema = z
  .object({
    subscription_id: z.string(),
    graph_user: z.string(),
    expires_at: z.iso.datetime(),
  })
  .meta({ id: 'TeamsSubscription' });

/** Admin upkeep of the firm's Graph subscriptions (renewal itself is scheduled). */
export const teamsSubscriptionsRoutes = [
  defineRoute({
    id: 'subscribeTeams',
    method: 'POST',
    path: '/api/v1/integrations/teams/subscriptions',
    summary:
      "Subscribes to transcripts of every organizer in the firm's Teams advisor mapping (Graph validates the URLs)",
    tags: ['integrations'],
    auth: 'user',
    roles: ['admin'],
    rateLimit: 'standard',
    request: {
      body: z
        .strictObject({})
        .meta({ id: 'SubscribeTeamsRequest', description: 'Empty: the mapping decides who' }),
    },
    status: 200,
    response: z
      .object({ created: z.array(SubscriptionViewSchema), existing: z.array(SubscriptionViewSchema) })
      .meta({ id: 'TeamsSubscriptions' }),
  }),
] as const;
