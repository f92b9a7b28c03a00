import { platformIntakeRuntime } from '../composition/platform-intake-runtime';
import { platformRuntime } from '../composition/platform-runtime';
import { zoomWebhookImplementations } from '../http/implementations/zoom-webhook';
import { zoomWebhookRoutes } from '../http/routes/zoom-webhook-routes';
import { createHttpHandler } from '../platform/http/http-handler';

const platforms = platformRuntime();
const intake = platformIntakeRuntime();

/** `POST /webhooks/zoom`: verifies, dedups, creates the meeting awaiting its file and consent, answers. */
export const handler = createHttpHandler(
  'zoom-webhooks',
  zoomWebhookRoutes,
  zoomWebhookImplementations({
    integrations: platforms.webhookIntegrations,
    intake,
    clock: intake.clock,
  }),
);
