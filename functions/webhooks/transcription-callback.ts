import { transcriptionCallbackRuntime } from '../composition/transcription-callback-runtime';
import { transcriptionWebhookImplementations } from '../http/implementations/transcription-webhook';
import { transcriptionWebhookRoutes } from '../http/routes/transcription-webhook-routes';
import { createHttpHandler } from '../platform/http/http-handler';

/** `POST /webhooks/transcription/{assemblyai,deepgram}`: resumes the meeting's pipeline when its transcript is ready. */
export const handler = createHttpHandler(
  'transcription-webhooks',
  transcriptionWebhookRoutes,
  transcriptionWebhookImplementations(transcriptionCallbackRuntime()),
);
