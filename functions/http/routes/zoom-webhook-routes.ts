import * as z from 'zod';
import { defineRoute } from '../../platform/http/route';
import { IdSchema } from './identity-schemas';

/**
 * Zoom's event notification endpoint. Public (Zoom has no user token) and outside `/api/v1`. There is no body
 * schema on purpose: the signature covers the raw bytes, so the implementation verifies before it trusts any
 * field, and validates the body itself.
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
