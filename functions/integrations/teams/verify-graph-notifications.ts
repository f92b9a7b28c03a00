import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../../platform/crypto/constant-time-equal';
import type { GraphChangeNotification } from './graph-notification';
import { type GraphArtifactRef, parseGraphArtifactResource } from './graph-resource';
import type { TeamsSubscriptionStore } from './teams-subscription';

/** The firm that connected an Entra tenant, and the `clientState` its subscriptions carry. */
export interface GraphTenantFirm {
  firmId: string;
  clientState: string;
}

/** A verified notification that a transcript or recording of a firm's Teams meeting is available. */
export interface TeamsArtifactEvent {
  firmId: string;
  graphTenantId: string;
  subscriptionId: string;
  /** Stable across Graph's redeliveries of the same artifact: the dedup key. */
  eventId: string;
  artifact: GraphArtifactRef & { userId: string };
}

export interface VerifiedGraphBatch {
  events: TeamsArtifactEvent[];
  /** Items whose tenant no firm connected, or whose `clientState` is not that firm's. */
  rejected: number;
  /** Verified items that are not a created transcript or recording (updates, deletions, other resources). */
  ignored: number;
}

/** Compared against when no firm has the tenant, so an unknown tenant costs the same as a wrong secret. */
const NO_SECRET = 'no-firm-no-secret-matches-this-value';

/**
 * Checks every item of a Graph notification batch on its own: its Entra tenant must be one a firm connected,
 * and its `clientState` must equal that firm's secret (constant time). One Graph endpoint serves every firm, so
 * a batch may mix tenants: a failing item is dropped (Microsoft's advice: discard a notification whose
 * clientState does not match) and the rest proceed; the caller refuses the request when nothing verified.
 * Items that verify but are not a created transcript or recording are `ignored`. Nothing is written here.
 */
export async function verifyGraphNotifications(
  items: readonly GraphChangeNotification[],
  deps: {
    firms: { byGraphTenant(graphTenantId: string): Promise<GraphTenantFirm | undefined> };
    subscriptions: Pick<TeamsSubscriptionStore, 'get'>;
  },
): Promise<VerifiedGraphBatch> {
  const batch: VerifiedGraphBatch = { events: [], rejected: 0, ignored: 0 };
  const firms = new Map<string, GraphTenantFirm | undefined>();
  for (const item of items) {
    const tenant = item.tenantId.toLowerCase();
    if (!firms.has(tenant)) firms.set(tenant, await deps.firms.byGraphTenant(tenant));
    const firm = firms.get(tenant);
    if (!constantTimeEqual(item.clientState, firm?.clientState ?? NO_SECRET) || firm === undefined) {
      batch.rejected += 1;
      continue;
    }
    const artifact = item.changeType.split(',').includes('created')
      ? parseGraphArtifactResource(item.resource)
      : undefined;
    // A tenant-wide resource names no organizer: the subscription (one per organizer) does.
    const userId = artifact?.userId ?? (await deps.subscriptions.get(item.subscriptionId))?.graphUserId;
    if (artifact === undefined || userId === undefined) {
      batch.ignored += 1;
      continue;
    }
    batch.events.push(teamsArtifactEvent(firm.firmId, tenant, item.subscriptionId, { ...artifact, userId }));
  }
  return batch;
}

/** A Teams artifact as an intake event: keyed by `teamsEventId`, so however it was learnt of, it is one event. */
export function teamsArtifactEvent(
  firmId: string,
  graphTenantId: string,
  subscriptionId: string,
  artifact: TeamsArtifactEvent['artifact'],
): TeamsArtifactEvent {
  return {
    firmId,
    graphTenantId,
    subscriptionId,
    eventId: teamsEventId(graphTenantId, artifact),
    artifact,
  };
}

/** `teams:` + a digest of tenant, kind, meeting and artifact: Graph ids are long, dedup keys should not be. */
export function teamsEventId(graphTenantId: string, artifact: GraphArtifactRef): string {
  const digest = createHash('sha256')
    .update([graphTenantId, artifact.kind, artifact.meetingId, artifact.artifactId].join('\n'))
    .digest('base64url');
  return `teams:${digest}`;
}
