import * as z from 'zod';
import { defineRoute } from '../../platform/http/route';
import { IdSchema } from './identity-schemas';

/** Lambda accepts at most 6 MB per synchronous invocation, the event's headers and envelope included. */
export const DEEPGRAM_CALLBACK_MAX_BYTES = 6_000_000 - 64 * 1024;

/**
 * The transcription providers' callbacks. Public (the provider has no user token) and outside `/api/v1`: not
 * part of the client API. The per-meeting auth value (AssemblyAI's header, Deepgram's `callback_secret`) is
 * checked in the implementation, in constant time, before anything is read or written.
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
  defineRoute({
    id: 'deepgramTranscriptionCallback',
    method: 'POST',
    path: '/webhooks/transcription/deepgram',
    summary: 'Deepgram delivers a finished transcription (the whole pre-recorded response)',
    tags: ['webhooks'],
    auth: 'public',
    rateLimit: 'standard',
    // The body is the whole transcript, words included (about 2.5 MB an hour of speech): the client API's 1 MiB
    // default would refuse every long meeting. Lambda's synchronous payload limit caps it (see the README).
    maxBodyBytes: DEEPGRAM_CALLBACK_MAX_BYTES,
    request: {
      query: z.object({ tenant: IdSchema, meeting: IdSchema }),
      // Only the envelope is checked here; the transcript itself is parsed (and refused with its reason) after
      // the callback is authenticated, so a malformed one fails the meeting instead of being retried forever.
      body: z
        .looseObject({
          metadata: z.looseObject({
            request_id: z.string().min(1).max(200),
            // Set by `extra=callback_secret:<value>` on submission: the meeting's HMAC, not the secret itself.
            extra: z.looseObject({ callback_secret: z.string().max(200).optional() }).optional(),
          }),
          results: z.looseObject({}).optional(),
        })
        .meta({ id: 'DeepgramCallback' }),
    },
    status: 200,
    response: z.object({ received: z.literal(true) }).meta({ id: 'WebhookReceipt' }),
  }),
] as const;
