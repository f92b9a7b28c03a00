import { platformIntakeRuntime } from '../composition/platform-intake-runtime';
import { teamsRuntime } from '../composition/teams-runtime';
import { teamsWebhookImplementations } from '../http/implementations/teams-webhook';
import { teamsWebhookRoutes } from '../http/routes/teams-webhook-routes';
import { MISSED_RECONCILE_SETTINGS } from '../integrations/teams/reconcile-missed-transcripts';
import { createHttpHandler } from '../platform/http/http-handler';

const teams = teamsRuntime();
const { platforms } = teams;
const intake = platformIntakeRuntime();

/**
 * `POST /webhooks/teams[/lifecycle]`: validation echo, clientState per item, intake; subscription lifecycle, with
 * a bounded inline reconcile of the organizer's transcripts on `missed`.
 */
export const handler = createHttpHandler(
  'teams-webhooks',
  teamsWebhookRoutes,
  teamsWebhookImplementations({
    integrations: platforms.webhookIntegrations,
    subscriptions: teams.subscriptions,
    intake,
    clock: intake.clock,
    lifecycle: {
      ...teams,
      reconcile: {
        subscriptions: teams.subscriptions,
        intake,
        settings: MISSED_RECONCILE_SETTINGS,
      },
    },
  }),
);
