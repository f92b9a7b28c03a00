import { constantTimeEqual } from '../../platform/crypto/constant-time-equal';
import type { GraphLifecycleNotification } from './graph-notification';
import type { TeamsFirmConnection } from './graph-subscriptions-port';
import {
  emptyReconcileCounts,
  type MissedReconcileDeps,
  type ReconcileCounts,
  type ReconcileFailure,
  reconcileMissedTranscripts,
} from './reconcile-missed-transcripts';
import { type RenewTeamsDeps, renewOne } from './renew-teams-subscriptions';

export type GraphLifecycleDeps = Pick<
  RenewTeamsDeps,
  'subscriptions' | 'clock' | 'settings' | 'connectionOf'
> & {
  reconcile: Omit<MissedReconcileDeps, 'clock'>;
};

export interface LifecycleOutcome {
  /** Items whose subscription we do not know, or whose clientState is not its firm's. */
  rejected: number;
  /** `reauthorizationRequired` answered by renewing; `subscriptionRemoved` by creating it again. */
  renewed: number;
  recreated: number;
  /**
   * `missed`: Graph dropped notifications it could not deliver. Graph cannot say which, so the organizer's
   * recent transcripts are listed and each taken in like a notification (duplicates create nothing): `reconcile`.
   */
  missed: number;
  reconcile: ReconcileCounts;
  /** Reconciles that failed (Graph refused or did not answer): left for the next `missed`. */
  reconcileFailures: ReconcileFailure[];
  /** Lifecycle events Graph may add later. */
  ignored: number;
}

const NO_SECRET = 'no-subscription-no-secret-matches-this';

/**
 * Graph's lifecycle notifications for our subscriptions. Each item is checked like a change notification (the
 * subscription must be ours, for the same Entra tenant, with its firm's `clientState`, compared in constant
 * time) and then acted on at once: a subscription that needs reauthorization is renewed (which reauthorizes
 * it), a removed one is created again, and a `missed` one has its organizer's recent transcripts reconciled
 * (once per subscription per delivery, all of them inside one time budget, never failing the answer).
 */
export async function handleGraphLifecycle(
  items: readonly GraphLifecycleNotification[],
  deps: GraphLifecycleDeps,
): Promise<LifecycleOutcome> {
  const outcome: LifecycleOutcome = {
    rejected: 0,
    renewed: 0,
    recreated: 0,
    missed: 0,
    reconcile: emptyReconcileCounts(),
    reconcileFailures: [],
    ignored: 0,
  };
  const deadlineMs = deps.clock.now() + deps.reconcile.settings.budgetMs;
  const reconciled = new Set<string>();
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
      case 'missed': {
        outcome.missed += 1;
        if (reconciled.has(subscription.subscriptionId)) break;
        reconciled.add(subscription.subscriptionId);
        if (deps.clock.now() >= deadlineMs) {
          outcome.reconcile.deferred += 1;
          break;
        }
        const failure = await reconcileMissedTranscripts(
          subscription,
          connection,
          deadlineMs,
          outcome.reconcile,
          {
            ...deps.reconcile,
            clock: deps.clock,
          },
        );
        if (failure) outcome.reconcileFailures.push(failure);
        break;
      }
      default:
        outcome.ignored += 1;
    }
  }
  return outcome;
}
