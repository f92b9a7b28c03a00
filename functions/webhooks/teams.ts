import { teamsRuntime } from '../http/composition/teams-runtime';
import { teamsWebhookImplementations } from '../http/implementations/teams-webhook';
import { teamsWebhookRoutes } from '../http/routes/teams-webhook-routes';
import { MISSED_RECONCILE_SETTINGS } from '../integrations/teams/reconcile-missed-transcripts';
import { createHttpHandler } from '../platform/http/http-handler';

const teams = teamsRuntime();
const { platforms } = teams;

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
    intake: platforms.intake,
    clock: platforms.intake.clock,
    lifecycle: {
      ...teams,
      reconcile: {
        subscriptions: teams.subscriptions,
        intake: platforms.intake,
        settings: MISSED_RECONCILE_SETTINGS,
      },
    },
  }),
);
