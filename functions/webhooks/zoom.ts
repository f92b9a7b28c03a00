import { platformRuntime } from '../http/composition/platform-runtime';
import { zoomWebhookImplementations } from '../http/implementations/zoom-webhook';
import { zoomWebhookRoutes } from '../http/routes/zoom-webhook-routes';
import { createHttpHandler } from '../platform/http/http-handler';

const platforms = platformRuntime();

/** `POST /webhooks/zoom`: verifies, dedups, creates the meeting awaiting its file and consent, answers. */
export const handler = createHttpHandler(
  'zoom-webhooks',
  zoomWebhookRoutes,
  zoomWebhookImplementations({
    integrations: platforms.webhookIntegrations,
    intake: platforms.intake,
    clock: platforms.intake.clock,
  }),
);
