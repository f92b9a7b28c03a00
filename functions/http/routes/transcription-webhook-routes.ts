import * as z from 'zod';
import { defineRoute } from '../../platform/http/route';
import { IdSchema } from './identity-schemas';

/**
 * The transcription providers' callbacks. Public (the provider has no user token) and outside `/api/v1`: not
 * part of the client API. The per-meeting auth header is checked in the implementation, in constant time.
 */
export const transcriptionWebhookRoutes = [
  defineRoute({
    id: 'assemblyAiTranscriptionCallback',
    method: 'POST',
    path: '/webhooks/transcription/assemblyai',
    summary: 'AssemblyAI reports a transcription job finished (completed or error)',
    tags: ['webhooks'],
    auth: 'public',
    rateLimit: 'standard',
    request: {
      // Set by the Transcribe task in the webhook URL; the auth header is an HMAC over both.
      query: z.object({ tenant: IdSchema, meeting: IdSchema }),
      body: z
        .looseObject({
          transcript_id: z.string().min(1).max(200),
          status: z.string().min(1).max(50),
        })
        .meta({ id: 'AssemblyAiWebhookNotification' }),
    },
    status: 200,
    response: z.object({ received: z.literal(true) }).meta({ id: 'WebhookReceipt' }),
  }),
] as const;
