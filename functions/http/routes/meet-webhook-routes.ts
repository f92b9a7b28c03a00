import * as z from 'zod';
import { PubSubPushSchema } from '../../integrations/meet/pubsub-push';
import { defineRoute } from '../../platform/http/route';

/**
 * Google Workspace Events for Meet, delivered by a Pub/Sub push subscription to the firm's secret URL. Public and
 * outside `/api/v1`; the path token (and, when configured, the push's OIDC token) authenticate it.
 */
export const meetWebhookRoutes = [
  defineRoute({
    id: 'meetPush',
    method: 'POST',
    path: '/webhooks/meet/{token}',
    summary: 'Pub/Sub push of Meet transcript and recording fileGenerated events',
    tags: ['webhooks'],
    auth: 'public',
    rateLimit: 'standard',
    request: {
      params: z.object({
        token: z.string().min(1).max(200).meta({ description: "The firm's secret path token" }),
      }),
      // The envelope only (a malformed one is a 400 that reveals nothing); the event inside is read after the
      // path token has authenticated the push.
      body: PubSubPushSchema.meta({ id: 'PubSubPush' }),
    },
    status: 200,
    response: z.object({ received: z.literal(true) }).meta({ id: 'MeetWebhookReceipt' }),
  }),
] as const;
