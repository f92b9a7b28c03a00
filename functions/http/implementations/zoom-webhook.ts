import { WebhookRejectedError } from '../../core/platforms/errors';
import { receiveZoomWebhook, type ZoomWebhookDeps } from '../../integrations/zoom/receive-zoom-webhook';
import { AppError } from '../../platform/errors';
import type { RouteImplementations } from '../../platform/http/http-handler';
import type { zoomWebhookRoutes } from '../routes/zoom-webhook-routes';

/**
 * `POST /webhooks/zoom`. Log lines name the event type, the firm and the outcome — never the topic, the host's
 * email or a download URL. A refused delivery (401/400) is logged with its reason and changes nothing.
 */
export function zoomWebhookImplementations(
  deps: ZoomWebhookDeps,
): RouteImplementations<typeof zoomWebhookRoutes> {
  return {
    zoomWebhook: async ({ rawBody, headers, query, edge }) => {
      try {
        const result = await receiveZoomWebhook(
          {
            rawBody,
            signature: headers['x-zm-signature'],
            timestamp: headers['x-zm-request-timestamp'],
            firm: query.firm,
          },
          deps,
        );
        const log = edge.log.child({ tenant: result.tenantId, platform: 'zoom' });
        if (result.kind === 'url_validation') {
          log.info('zoom url validation answered');
          return { body: { plainToken: result.plainToken, encryptedToken: result.encryptedToken } };
        }
        if (result.kind === 'ignored') log.info('zoom event ignored', { event: result.event });
        else log.info('zoom recording event', { event: result.event, ...result.result });
        return { body: { received: true } };
      } catch (error) {
        if (error instanceof WebhookRejectedError) {
          edge.log.warn('zoom webhook rejected', { reason: error.reason });
        } else if (error instanceof AppError) {
          edge.log.warn('zoom webhook refused', {
            code: error.code,
            fields: error.issues.map((i) => i.path),
          });
        }
        throw error;
      }
    },
  };
}
