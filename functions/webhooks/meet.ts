import { platformIntakeRuntime } from '../composition/platform-intake-runtime';
import { platformRuntime } from '../composition/platform-runtime';
import { meetWebhookImplementations } from '../http/implementations/meet-webhook';
import { meetWebhookRoutes } from '../http/routes/meet-webhook-routes';
import { createGoogleOidcVerifier } from '../integrations/meet/google-oidc-verifier';
import { createHttpHandler } from '../platform/http/http-handler';

const platforms = platformRuntime();
const intake = platformIntakeRuntime();
const oidc = platforms.config.meetingPlatforms.meetPushOidc;

/** `POST /webhooks/meet/{token}`: path token (and optional OIDC), Pub/Sub decode, intake; other events ignored. */
export const handler = createHttpHandler(
  'meet-webhooks',
  meetWebhookRoutes,
  meetWebhookImplementations({
    integrations: platforms.webhookIntegrations,
    intake,
    clock: intake.clock,
    oidc: oidc === undefined ? undefined : createGoogleOidcVerifier(oidc, intake.clock.now),
  }),
);
