import { WebhookRejectedError } from '../../core/platforms/errors';
import { GraphLifecycleCollectionSchema } from '../../integrations/teams/graph-notification';
import {
  type GraphLifecycleDeps,
  handleGraphLifecycle,
  type LifecycleOutcome,
} from '../../integrations/teams/handle-graph-lifecycle';
import {
  receiveTeamsNotifications,
  type TeamsWebhookDeps,
} from '../../integrations/teams/receive-teams-notifications';
import { AppError, MalformedBodyError, ValidationError } from '../../platform/errors';
import type { RouteImplementations } from '../../platform/http/http-handler';
import type { Logger } from '../../platform/logging/logger';
import { issuesFromZod } from '../../platform/validation-issues';
import type { teamsWebhookRoutes } from '../routes/teams-webhook-routes';

/**
 * `POST /webhooks/teams` and `/webhooks/teams/lifecycle`. A validation request (`?validationToken=`) is answered
 * at once with the token as text/plain, as Graph requires. Log lines carry counts, firms and outcomes — never a
 * resource, a meeting id or a clientState.
 */
export function teamsWebhookImplementations(
  deps: TeamsWebhookDeps & { lifecycle: GraphLifecycleDeps },
): RouteImplementations<typeof teamsWebhookRoutes> {
  return {
    teamsNotifications: async ({ query, rawBody, edge }) => {
      if (query.validationToken !== undefined) {
        edge.log.info('graph subscription validation answered');
        return { body: query.validationToken, plainText: query.validationToken };
      }
      const result = await logRefusals(edge.log, () => receiveTeamsNotifications(rawBody, deps));
      edge.log.info('graph notifications', {
        rejected: result.rejected,
        ignored: result.ignored,
        outcomes: result.outcomes.map((o) => ({ tenant: o.tenantId, outcome: o.outcome })),
      });
      return { body: { received: true } };
    },

    teamsLifecycleNotifications: async ({ query, rawBody, edge }) => {
      if (query.validationToken !== undefined) {
        edge.log.info('graph lifecycle validation answered');
        return { body: query.validationToken, plainText: query.validationToken };
      }
      const outcome = await logRefusals(edge.log, async () => {
        const items = parseLifecycle(rawBody);
        const result: LifecycleOutcome = await handleGraphLifecycle(items, deps.lifecycle);
        if (result.rejected === items.length) throw new WebhookRejectedError('bad_client_state');
        return result;
      });
      const { reconcileFailures, ...counts } = outcome;
      for (const failure of reconcileFailures) {
        edge.log.warn('graph missed notifications: reconcile failed', { ...failure });
      }
      const { truncated, deferred, failed } = outcome.reconcile;
      if (truncated + deferred + failed > 0) {
        edge.log.warn(
          'graph missed notifications: reconcile incomplete, some Teams meetings may need a manual upload',
          {
            missed: outcome.missed,
            truncated,
            deferred,
            failed,
          },
        );
      }
      edge.log.info('graph lifecycle notifications', { ...counts });
      return { body: { received: true } };
    },
  };
}

function parseLifecycle(rawBody: string) {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    throw new MalformedBodyError('The request body is not valid JSON.', error);
  }
  const result = GraphLifecycleCollectionSchema.safeParse(json);
  if (!result.success) {
    throw new ValidationError(
      'The Graph lifecycle notification is malformed.',
      issuesFromZod(result.error, { prefix: 'body' }),
      result.error,
    );
  }
  return result.data.value;
}

async function logRefusals<T>(log: Logger, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WebhookRejectedError) log.warn('graph webhook rejected', { reason: error.reason });
    else if (error instanceof AppError) {
      log.warn('graph webhook refused', { code: error.code, fields: error.issues.map((i) => i.path) });
    }
    throw error;
  }
}
