import type { Clock } from '../../contracts/clock';
import type { TeamsFirmConnection, TeamsSubscriptionSettings } from './graph-subscriptions-port';
import {
  type TeamsSubscription,
  type TeamsSubscriptionStore,
  transcriptsResourceOf,
} from './teams-subscription';

export interface SubscribeTeamsDeps {
  subscriptions: Pick<TeamsSubscriptionStore, 'listForFirm' | 'put'>;
  clock: Clock;
  settings: TeamsSubscriptionSettings;
}

/**
 * Makes sure each organizer (Graph user id or UPN) of a firm has a live transcript subscription: one is created
 * (Graph first validates both URLs) for every user without one, carrying the firm's `clientState` and the
 * lifecycle URL; users already covered are left alone, so calling it again is harmless.
 */
export async function subscribeTeamsUsers(
  input: { connection: TeamsFirmConnection; graphUserIds: readonly string[] },
  deps: SubscribeTeamsDeps,
): Promise<{ created: TeamsSubscription[]; existing: TeamsSubscription[] }> {
  const { connection } = input;
  const nowMs = deps.clock.now();
  const live = (await deps.subscriptions.listForFirm(connection.firmId)).filter(
    (s) => Date.parse(s.expiresAt) > nowMs && s.graphTenantId === connection.graphTenantId,
  );
  const covered = new Map(live.map((s) => [s.graphUserId.toLowerCase(), s]));
  const result = { created: [] as TeamsSubscription[], existing: [] as TeamsSubscription[] };
  for (const graphUserId of new Set(input.graphUserIds.map((id) => id.trim()))) {
    const existing = covered.get(graphUserId.toLowerCase());
    if (existing) {
      result.existing.push(existing);
      continue;
    }
    result.created.push(await createSubscription(connection, graphUserId, deps));
  }
  return result;
}

/** Creates one subscription at Graph and records it. Also used to replace one Graph removed. */
export async function createSubscription(
  connection: TeamsFirmConnection,
  graphUserId: string,
  deps: Pick<SubscribeTeamsDeps, 'subscriptions' | 'clock' | 'settings'>,
): Promise<TeamsSubscription> {
  const nowMs = deps.clock.now();
  const resource = transcriptsResourceOf(graphUserId);
  const created = await connection.graph.createSubscription({
    resource,
    notificationUrl: deps.settings.notificationUrl,
    lifecycleNotificationUrl: deps.settings.lifecycleNotificationUrl,
    clientState: connection.clientState,
    expirationDateTime: new Date(nowMs + deps.settings.lifetimeMinutes * 60_000).toISOString(),
  });
  const subscription: TeamsSubscription = {
    subscriptionId: created.id,
    firmId: connection.firmId,
    graphTenantId: connection.graphTenantId,
    graphUserId,
    resource,
    expiresAt: new Date(Date.parse(created.expirationDateTime)).toISOString(),
    createdAt: new Date(nowMs).toISOString(),
  };
  await deps.subscriptions.put(subscription);
  return subscription;
}
