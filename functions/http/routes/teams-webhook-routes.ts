import * as z from 'zod';
import { GraphValidationTokenSchema } from '../../core/webhooks/graph-notification';
import { defineRoute } from '../../platform/http/route';

const receipt = z
  .union([z.string(), z.object({ received: z.literal(true) })])
  .meta({ id: 'GraphWebhookAnswer', description: 'The validation token as text/plain, or a receipt' });
const query = z.object({
  validationToken: GraphValidationTokenSchema.optional().meta({
    description: 'Sent by Graph when a subscription is created; echoed back as text/plain',
  }),
});

/**
 * Microsoft Graph's change and lifecycle notifications for Teams transcripts and recordings. Public (Graph has
 * no user token) and outside `/api/v1`. No body schema: a validation request has no JSON body, and the
 * implementation verifies each item's `clientState` before it trusts anything else.
 */
export const teamsWebhookRoutes = [
  defineRoute({
    id: 'teamsNotifications',
    method: 'POST',
    path: '/webhooks/teams',
    summary: 'Graph change notifications (transcript or recording available); subscription validation',
    tags: ['webhooks'],
    auth: 'public',
    rateLimit: 'standard',
    request: { query },
    status: 200,
    response: receipt,
  }),
  defineRoute({
    id: 'teamsLifecycleNotifications',
    method: 'POST',
    path: '/webhooks/teams/lifecycle',
    summary:
      'Graph lifecycle notifications: reauthorizationRequired, subscriptionRemoved, missed; validation',
    tags: ['webhooks'],
    auth: 'public',
    rateLimit: 'standard',
    request: { query },
    status: 200,
    response: receipt,
  }),
] as const;
