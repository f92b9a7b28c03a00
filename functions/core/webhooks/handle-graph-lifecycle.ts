import { constantTimeEqual } from './constant-time-equal';
import type { GraphLifecycleNotification } from './graph-notification';
import type { TeamsFirmConnection } from './graph-subscriptions-port';
import { type RenewTeamsDeps, renewOne } from './renew-teams-subscriptions';

export interface LifecycleOutcome {
  /** Items whose subscription we do not know, or whose clientState is not its firm's. */
  rejected: number;
  /** `reauthorizationRequired` answered by renewing; `subscriptionRemoved` by creating it again. */
  renewed: number;
  recreated: number;
  /**
   * `missed`: Graph dropped notifications it could not deliver. Graph cannot say which; the subscription
   * itself is fine. Counted and logged so the operator can ask advisers to upload what did not arrive.
   */
  missed: number;
  /** Lifecycle events Graph may add later. */
  ignored: number;
}

const NO_SECRET = 'no-subscription-no-secret-matches-this';

/**
 * Graph's lifecycle notifications for our subscriptions. Each item is checked like a change notification (the
 * subscription must be ours, for the same Entra tenant, with its firm's `clientState`, compared in constant
 * time) and then acted on at once: a subscription that needs reauthorization is renewed (which reauthorizes
 * it), a removed one is created again.
 */
export async function handleGraphLifecycle(
  items: readonly GraphLifecycleNotification[],
  deps: Pick<RenewTeamsDeps, 'subscriptions' | 'clock' | 'settings' | 'connectionOf'>,
): Promise<LifecycleOutcome> {
  const outcome: LifecycleOutcome = { rejected: 0, renewed: 0, recreated: 0, missed: 0, ignored: 0 };
  for (const item of items) {
    const subscription = await deps.subscriptions.get(item.subscriptionId);
    const connection: TeamsFirmConnection | undefined =
      subscription === undefined ? undefined : await deps.connectionOf(subscription.firmId);
    const verified =
      constantTimeEqual(item.clientState, connection?.clientState ?? NO_SECRET) &&
      subscription !== undefined &&
      connection !== undefined &&
      subscription.graphTenantId === item.tenantId.toLowerCase();
    if (!verified) {
      outcome.rejected += 1;
      continue;
    }
    switch (item.lifecycleEvent) {
      case 'reauthorizationRequired':
      case 'subscriptionRemoved': {
        const result = await renewOne(subscription, connection, deps);
        if (result === 'renewed') outcome.renewed += 1;
        else if (result === 'recreated') outcome.recreated += 1;
        break;
      }
      case 'missed':
        outcome.missed += 1;
        break;
      default:
        outcome.ignored += 1;
    }
  }
  return outcome;
}
