import { teamsRuntime } from '../composition/teams-runtime';
import {
  type RenewTeamsDeps,
  renewTeamsSubscriptions,
} from '../integrations/teams/renew-teams-subscriptions';
import { createScheduleHandler } from '../platform/handlers/schedule-handler';
import type { Logger } from '../platform/logging/logger';

/**
 * The hourly EventBridge Scheduler job: renews every firm's Graph subscriptions that expire within the window.
 * A subscription Graph refused is logged (firm and id, never the organizer) and left for the next run; the
 * function fails only when the renewal could not run at all, so Scheduler retries that.
 */
export function renewTeamsSubscriptionsJob(deps: RenewTeamsDeps, log: Pick<Logger, 'info' | 'warn'>) {
  return async (): Promise<void> => {
    const outcome = await renewTeamsSubscriptions(deps);
    for (const failure of outcome.failed) {
      log.warn('teams subscription renewal failed', failure);
    }
    log.info('teams subscriptions renewed', {
      renewed: outcome.renewed,
      recreated: outcome.recreated,
      dropped: outcome.dropped,
      failed: outcome.failed.length,
    });
  };
}

export const handler = createScheduleHandler({
  name: 'renew-teams-subscriptions',
  deps: teamsRuntime,
  run: (deps, log) => renewTeamsSubscriptionsJob(deps, log)(),
});
