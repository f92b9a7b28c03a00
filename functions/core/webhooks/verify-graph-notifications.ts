import { createHash } from 'node:crypto';
import { constantTimeEqual } from './constant-time-equal';
import type { GraphChangeNotification } from './graph-notification';
import { type GraphArtifactRef, parseGraphArtifactResource } from './graph-resource';
import type { TeamsSubscription, TeamsSubscriptionStore } from './teams-subscription';

/** A verified notification that a transcript or recording of a firm's Teams meeting is available. */
export interface TeamsArtifactEvent {
  firmId: string;
  advisorId: string;
  graphTenantId: string;
  /** Stable across Graph's redeliveries of the same artifact: the dedup key. */
  eventId: string;
  artifact: GraphArtifactRef & { userId: string };
}

export interface VerifiedGraphBatch {
  events: TeamsArtifactEvent[];
  /** Items whose subscription is unknown, whose tenant differs, or whose `clientState` does not match. */
  rejected: number;
  /** Verified items that are not a created transcript or recording (updates, deletions, other resources). */
  ignored: number;
}

/** Compared against when the subscription is unknown, so an unknown id costs the same as a wrong secret. */
const NO_SECRET = 'no-subscription-no-secret-matches';

/**
 * Checks every item of a Graph notification batch on its own: its subscription must be one we created, for the
 * same Entra tenant, and its `clientState` must equal that subscription's secret (constant time). One Graph
 * endpoint serves every firm, so a batch may mix subscriptions: a failing item is dropped (Microsoft's advice:
 * discard notifications whose clientState does not match) and the rest proceed. The caller refuses the request
 * when nothing verified. Pure but for the store read; nothing is written here.
 */
export async function verifyGraphNotifications(
  items: readonly GraphChangeNotification[],
  deps: { subscriptions: Pick<TeamsSubscriptionStore, 'get'> },
): Promise<VerifiedGraphBatch> {
  const batch: VerifiedGraphBatch = { events: [], rejected: 0, ignored: 0 };
  const known = new Map<string, TeamsSubscription | undefined>();
  for (const item of items) {
    if (!known.has(item.subscriptionId)) {
      known.set(item.subscriptionId, await deps.subscriptions.get(item.subscriptionId));
    }
    const subscription = known.get(item.subscriptionId);
    const secretMatches = constantTimeEqual(item.clientState, subscription?.clientState ?? NO_SECRET);
    if (subscription === undefined || !secretMatches || subscription.graphTenantId !== item.tenantId) {
      batch.rejected += 1;
      continue;
    }
    const artifact = item.changeType.split(',').includes('created')
      ? parseGraphArtifactResource(item.resource)
      : undefined;
    if (artifact === undefined) {
      batch.ignored += 1;
      continue;
    }
    batch.events.push({
      firmId: subscription.firmId,
      advisorId: subscription.advisorId,
      graphTenantId: subscription.graphTenantId,
      eventId: teamsEventId(subscription.graphTenantId, artifact),
      artifact: { ...artifact, userId: artifact.userId ?? subscription.graphUserId },
    });
  }
  return batch;
}

/** `teams:` + a digest of tenant, kind, meeting and artifact: Graph ids are long, dedup keys should not be. */
export function teamsEventId(graphTenantId: string, artifact: GraphArtifactRef): string {
  const digest = createHash('sha256')
    .update([graphTenantId, artifact.kind, artifact.meetingId, artifact.artifactId].join('\n'))
    .digest('base64url');
  return `teams:${digest}`;
}
