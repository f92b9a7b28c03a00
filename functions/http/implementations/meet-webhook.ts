import { WebhookRejectedError } from '../../core/platforms/errors';
import { type MeetWebhookDeps, receiveMeetPush } from '../../integrations/meet/receive-meet-push';
import { AppError } from '../../platform/errors';
import type { RouteImplementations } from '../../platform/http/http-handler';
import type { meetWebhookRoutes } from '../routes/meet-webhook-routes';

/**
 * `POST /webhooks/meet/{token}`. Pub/Sub treats any non-2xx as "redeliver": a refusal (401/400) is final for
 * this message only in the sense that it will keep failing, which is what a forged or broken push deserves.
 * Logs name the firm, the event type and the outcome; never the token, the resource name or the payload.
 */
export function meetWebhookImplementations(
  deps: MeetWebhookDeps,
): RouteImplementations<typeof meetWebhookRoutes> {
  return {
    meetPush: async ({ params, headers, rawBody, edge }) => {
      try {
        const result = await receiveMeetPush(
          { pathToken: params.token, authorization: headers.authorization, rawBody },
          deps,
        );
        const log = edge.log.child({ tenant: result.tenantId, platform: 'meet' });
        if (result.kind === 'ignored') log.info('meet event ignored', { event: result.eventType });
        else log.info('meet artifact event', { event: result.eventType, outcome: result.result.outcome });
        return { body: { received: true } };
      } catch (error) {
        if (error instanceof WebhookRejectedError)
          edge.log.warn('meet push rejected', { reason: error.reason });
        else if (error instanceof AppError) {
          edge.log.warn('meet push refused', { code: error.code, fields: error.issues.map((i) => i.path) });
        }
        throw error;
      }
    },
  };
}
