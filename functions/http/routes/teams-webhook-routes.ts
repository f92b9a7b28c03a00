import * as z from 'zod';
import {
  GraphLifecycleCollectionSchema,
  GraphNotificationCollectionSchema,
  GraphValidationTokenSchema,
} from '../../integrations/teams/graph-notification';
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
 * no user token) and outside `/api/v1`. The body is optional because a validation request has none; the
 * implementation verifies each item's `clientState` before it acts on anything.
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
    // Optional: the validation handshake has no body. Each item's clientState is checked in the implementation.
    request: { query, body: GraphNotificationCollectionSchema.optional().meta({ id: 'GraphNotifications' }) },
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
    request: {
      query,
      body: GraphLifecycleCollectionSchema.optional().meta({ id: 'GraphLifecycleNotifications' }),
    },
    status: 200,
    response: receipt,
  }),
] as const;
