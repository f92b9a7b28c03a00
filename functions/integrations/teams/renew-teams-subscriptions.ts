import type { Clock } from '../../contracts/clock';
import type { TeamsFirmConnection, TeamsSubscriptionSettings } from './graph-subscriptions-port';
import { createSubscription } from './subscribe-teams-users';
import type { TeamsSubscription, TeamsSubscriptionStore } from './teams-subscription';

export interface RenewTeamsDeps {
  subscriptions: Pick<TeamsSubscriptionStore, 'get' | 'expiringBefore' | 'put' | 'delete' | 'listForFirm'>;
  /** The firm's current Teams connection; undefined when the firm removed its Teams integration. */
  connectionOf(firmId: string): Promise<TeamsFirmConnection | undefined>;
  clock: Clock;
  settings: TeamsSubscriptionSettings & {
    /** Renew subscriptions expiring within this many minutes (more than the schedule's period). */
    renewWithinMinutes: number;
    /** At most this many per run; the next run takes the rest. */
    batchSize: number;
  };
}

export interface RenewalOutcome {
  renewed: number;
  /** Graph no longer had them (removed, or expired first): created anew. */
  recreated: number;
  /** The firm has no Teams integration any more: our records dropped. */
  dropped: number;
  /** Graph refused or did not answer; left for the next run (the error's message, no secrets). */
  failed: { subscriptionId: string; firmId: string; reason: string }[];
}

/**
 * The renewal schedule's work: every subscription of every firm expiring within the window (a keyed query by
 * expiry, not a scan) is extended by PATCH, or created again when Graph no longer has it. One firm's failure
 * never stops the others; a subscription that failed is still expiring, so the next run tries it again.
 */
export async function renewTeamsSubscriptions(deps: RenewTeamsDeps): Promise<RenewalOutcome> {
  const nowMs = deps.clock.now();
  const before = new Date(nowMs + deps.settings.renewWithinMinutes * 60_000).toISOString();
  const due = await deps.subscriptions.expiringBefore(before, deps.settings.batchSize);
  const outcome: RenewalOutcome = { renewed: 0, recreated: 0, dropped: 0, failed: [] };
  const connections = new Map<string, Promise<TeamsFirmConnection | undefined>>();
  for (const subscription of due) {
    if (!connections.has(subscription.firmId)) {
      connections.set(subscription.firmId, deps.connectionOf(subscription.firmId));
    }
    try {
      const connection = await connections.get(subscription.firmId);
      const result = await renewOne(subscription, connection, deps);
      outcome[result] += 1;
    } catch (error) {
      outcome.failed.push({
        subscriptionId: subscription.subscriptionId,
        firmId: subscription.firmId,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return outcome;
}

/**
 * Extends one subscription (or replaces it when Graph lost it). Also what a `reauthorizationRequired` or
 * `subscriptionRemoved` lifecycle event triggers.
 */
export async function renewOne(
  subscription: TeamsSubscription,
  connection: TeamsFirmConnection | undefined,
  deps: Pick<RenewTeamsDeps, 'subscriptions' | 'clock' | 'settings'>,
): Promise<'renewed' | 'recreated' | 'dropped'> {
  if (connection === undefined || connection.graphTenantId !== subscription.graphTenantId) {
    await deps.subscriptions.delete(subscription);
    return 'dropped';
  }
  const expiration = new Date(deps.clock.now() + deps.settings.lifetimeMinutes * 60_000).toISOString();
  const renewed = await connection.graph.renewSubscription(subscription.subscriptionId, expiration);
  if (renewed === 'gone') {
    await createSubscription(connection, subscription.graphUserId, deps);
    await deps.subscriptions.delete(subscription);
    return 'recreated';
  }
  await deps.subscriptions.put({
    ...subscription,
    expiresAt: new Date(Date.parse(renewed.expirationDateTime)).toISOString(),
  });
  return 'renewed';
}
