import * as z from 'zod';
import { ZoomEnvelopeSchema } from '../../integrations/zoom/zoom-event';
import { defineRoute } from '../../platform/http/route';
import { IdSchema } from './identity-schemas';

/**
 * Zoom's event notification endpoint. Public (Zoom has no user token) and outside `/api/v1`. The body schema is
 * only Zoom's envelope (an event name and a payload object), so a malformed body is a 400 before anything is
 * looked up; the signature covers the raw bytes, and the implementation verifies it over them before it trusts
 * any field, then validates the event's own shape.
 */
export const zoomWebhookRoutes = [
  defineRoute({
    id: 'zoomWebhook',
    method: 'POST',
    path: '/webhooks/zoom',
    summary:
      'Zoom events: URL validation, recording.completed and recording.transcript_completed (signed, x-zm-signature)',
    tags: ['webhooks'],
    auth: 'public',
    rateLimit: 'standard',
    request: {
      body: ZoomEnvelopeSchema.meta({ id: 'ZoomEvent' }),
      query: z.object({
        firm: IdSchema.optional().meta({
          description: 'The integration id from PUT /api/v1/integrations/zoom; needed for URL validation',
        }),
      }),
    },
    status: 200,
    response: z
      .union([
        z.object({ plainToken: z.string(), encryptedToken: z.string() }),
        z.object({ received: z.literal(true) }),
      ])
      .meta({ id: 'ZoomWebhookAnswer' }),
  }),
] as const;
