import type { Clock } from '../../contracts/clock';
import { intakePlatformMeeting } from '../../core/platforms/intake-platform-meeting';
import type { PlatformIntakeDeps } from '../../core/platforms/ports';
import { graphArtifactRef } from './graph-resource';
import type { TeamsFirmConnection } from './graph-subscriptions-port';
import { teamsMeetingEvent } from './receive-teams-notifications';
import type { TeamsSubscription, TeamsSubscriptionStore } from './teams-subscription';
import { teamsArtifactEvent } from './verify-graph-notifications';

/**
 * How far back a reconcile looks, and how much it may do while Graph waits for the lifecycle answer.
 *
 * - The window starts where the last reconcile of the subscription did, less `retryOverlapMs`: Graph retries a
 *   notification for up to 4 h before dropping it, so a transcript created before the last reconcile may have
 *   been dropped after it. It never starts before the subscription was created (less `clockSkewMs`: Graph's
 *   clock is not ours), nor more than `windowCapMs` ago. 24 h is six times Graph's retry span, and well inside
 *   the 8-day dedup claims, so everything the window returns that was admitted before is found as a duplicate.
 * - `pageSize` and `maxTranscripts` bound the Graph reads and the admissions per organizer: 50 transcribed
 *   meetings of one organizer in a day is far past what an adviser holds.
 * - `budgetMs` bounds the whole lifecycle request; `listTimeoutMs` each Graph request.
 */
export interface MissedReconcileSettings {
  windowCapMs: number;
  retryOverlapMs: number;
  clockSkewMs: number;
  pageSize: number;
  maxTranscripts: number;
  listTimeoutMs: number;
  budgetMs: number;
}

export const MISSED_RECONCILE_SETTINGS: MissedReconcileSettings = {
  windowCapMs: 24 * 3_600_000,
  retryOverlapMs: 4 * 3_600_000,
  clockSkewMs: 5 * 60_000,
  pageSize: 25,
  maxTranscripts: 50,
  listTimeoutMs: 1_500,
  budgetMs: 2_000,
};

export interface MissedReconcileDeps {
  subscriptions: Pick<TeamsSubscriptionStore, 'markReconciled'>;
  intake: PlatformIntakeDeps;
  clock: Clock;
  settings: MissedReconcileSettings;
}

/** Counts only: a log line of them names no meeting, subject or organizer. */
export interface ReconcileCounts {
  /** Subscriptions whose organizer's transcripts were listed. */
  subscriptions: number;
  listed: number;
  /** Admitted now: their change notification was the one Graph dropped. */
  created: number;
  /** Admitted before (their notification did arrive): nothing new. */
  duplicate: number;
  /** The organizer maps to no active advisor, as a notification would have found. */
  ignored: number;
  /** Ids that break Graph's id rules, or a transcript of another organizer. */
  skipped: number;
  /** Graph had more than `maxTranscripts`, or the budget ran out: the rest waits for the next `missed`. */
  truncated: number;
  /** `missed` items not reconciled because the request's budget was spent. */
  deferred: number;
  /** Graph refused or did not answer, or an admission failed; the reason is in `failures`. */
  failed: number;
}

export interface ReconcileFailure {
  subscriptionId: string;
  firmId: string;
  /** The error's message: names the platform, the operation and the status, never an id of the meeting. */
  reason: string;
}

export function emptyReconcileCounts(): ReconcileCounts {
  return {
    subscriptions: 0,
    listed: 0,
    created: 0,
    duplicate: 0,
    ignored: 0,
    skipped: 0,
    truncated: 0,
    deferred: 0,
    failed: 0,
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * After a verified `missed` lifecycle event: list the subscription's organizer's transcripts created in the
 * window and take each in exactly as its change notification would have been — the same `TeamsArtifactEvent`,
 * the same `teamsEventId` digest, the same one-transaction admission — so a transcript already admitted is a
 * duplicate and nothing is created twice. A failure is counted and reported, never thrown: the lifecycle webhook
 * still answers 200, and the window is not moved, so the next `missed` looks again. The reconcile time is
 * recorded only when the whole window was seen.
 *
 * Runs inline, before the webhook answers: one token (usually cached), at most a few Graph pages under a short
 * timeout, and one admission transaction per transcript, all inside `budgetMs` (checked between steps), which
 * keeps the answer within Graph's few seconds. An asynchronous hand-off would need a new function and queue for
 * work this small; what the budget cuts off is counted as `truncated` / `deferred` and logged.
 */
export async function reconcileMissedTranscripts(
  subscription: TeamsSubscription,
  connection: TeamsFirmConnection,
  deadlineMs: number,
  counts: ReconcileCounts,
  deps: MissedReconcileDeps,
): Promise<ReconcileFailure | undefined> {
  const { settings } = deps;
  const startedMs = deps.clock.now();
  const createdSince = windowStart(subscription, startedMs, settings);
  const failure = (error: unknown): ReconcileFailure => {
    counts.failed += 1;
    return {
      subscriptionId: subscription.subscriptionId,
      firmId: subscription.firmId,
      reason: error instanceof Error ? error.message : String(error),
    };
  };
  let listing: Awaited<ReturnType<TeamsFirmConnection['graph']['transcriptsByOrganizer']>>;
  try {
    listing = await connection.graph.transcriptsByOrganizer({
      userId: subscription.graphUserId,
      createdSince: new Date(createdSince).toISOString(),
      pageSize: settings.pageSize,
      maxTranscripts: settings.maxTranscripts,
      timeoutMs: Math.max(1, Math.min(settings.listTimeoutMs, deadlineMs - startedMs)),
    });
  } catch (error) {
    return failure(error);
  }
  counts.subscriptions += 1;
  counts.listed += listing.transcripts.length;
  let complete = !listing.truncated;
  for (const transcript of listing.transcripts) {
    if (deps.clock.now() >= deadlineMs) {
      complete = false;
      break;
    }
    const ref = graphArtifactRef('transcript', subscription.graphUserId, transcript.meetingId, transcript.id);
    if (ref === undefined || foreignOrganizer(subscription.graphUserId, transcript.organizerId)) {
      counts.skipped += 1;
      continue;
    }
    const event = teamsArtifactEvent(
      subscription.firmId,
      subscription.graphTenantId,
      subscription.subscriptionId,
      ref,
    );
    // The transcript's creation dates the meeting better than now does; the intake replaces it with the start.
    const createdMs = Date.parse(transcript.createdDateTime ?? '');
    try {
      const result = await intakePlatformMeeting(
        {
          event: teamsMeetingEvent(event, Number.isNaN(createdMs) ? startedMs : createdMs),
          credentials: connection.credentials,
        },
        deps.intake,
      );
      if (result.outcome === 'created') counts.created += 1;
      else if (result.outcome === 'duplicate') counts.duplicate += 1;
      else counts.ignored += 1;
    } catch (error) {
      return failure(error);
    }
  }
  if (!complete) {
    counts.truncated += 1;
    return undefined;
  }
  try {
    await deps.subscriptions.markReconciled(subscription.subscriptionId, new Date(startedMs).toISOString());
  } catch (error) {
    return failure(error);
  }
  return undefined;
}

/** Epoch ms: the last reconcile less the retry overlap, not before the subscription, at most the cap ago. */
export function windowStart(
  subscription: Pick<TeamsSubscription, 'createdAt' | 'reconciledAt'>,
  nowMs: number,
  settings: Pick<MissedReconcileSettings, 'windowCapMs' | 'retryOverlapMs' | 'clockSkewMs'>,
): number {
  const created = Date.parse(subscription.createdAt) - settings.clockSkewMs;
  const reconciled =
    subscription.reconciledAt === undefined
      ? Number.NEGATIVE_INFINITY
      : Date.parse(subscription.reconciledAt) - settings.retryOverlapMs;
  return Math.max(created, reconciled, nowMs - settings.windowCapMs);
}

/** Graph names organizers by object id; a subscription's user may be a UPN, which cannot be compared. */
function foreignOrganizer(subscriptionUser: string, organizerId: string | undefined): boolean {
  return (
    organizerId !== undefined &&
    GUID.test(subscriptionUser) &&
    organizerId.toLowerCase() !== subscriptionUser.toLowerCase()
  );
}
