import type { ItemKeys } from '../entity';
import { tenantPrefix } from './tenant-prefix';

/** The one partition of the renewal index: every firm's subscriptions, sorted by expiry. */
export const TEAMS_SUBSCRIPTIONS_BY_EXPIRY = 'G#TEAMS_SUBSCRIPTIONS_BY_EXPIRY';

/**
 * A Graph subscription: `G#TEAMS_SUBSCRIPTION#<id>` / `SUBSCRIPTION` (global: a notification names the
 * subscription before any firm), listed per firm on `gsi1` (`T#<tenant>#TEAMS_SUBSCRIPTIONS`) and across firms by
 * expiry on `gsi2` (`<expiresAt>#<id>`), so the renewal job queries a key range instead of scanning.
 */
export function teamsSubscriptionKeys(
  firmId: string,
  subscription: { subscriptionId: string; expiresAt: string },
): ItemKeys {
  return {
    ...teamsSubscriptionKey(subscription.subscriptionId),
    gsi1pk: firmTeamsSubscriptionsPartition(firmId),
    gsi1sk: `SUBSCRIPTION#${subscription.subscriptionId}`,
    gsi2pk: TEAMS_SUBSCRIPTIONS_BY_EXPIRY,
    gsi2sk: `${subscription.expiresAt}#${subscription.subscriptionId}`,
  };
}

export function teamsSubscriptionKey(subscriptionId: string): Pick<ItemKeys, 'pk' | 'sk'> {
  return { pk: `G#TEAMS_SUBSCRIPTION#${subscriptionId}`, sk: 'SUBSCRIPTION' };
}

export function firmTeamsSubscriptionsPartition(firmId: string): string {
  return `${tenantPrefix(firmId)}TEAMS_SUBSCRIPTIONS`;
}
