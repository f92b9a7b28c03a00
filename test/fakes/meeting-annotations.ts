import type { AuditEntry } from '../../functions/core/audit/audit-entry';
import type { MeetingAnnotationStore, MeetingAnnotations } from '../../functions/core/meetings/ports';
import { ConflictError } from '../../functions/platform/errors';

/**
 * An in-memory `MeetingAnnotationStore` with the Dynamo adapter's conditions; each change's audit entry goes to
 * `audited` once the change is made, as the adapter writes both in one transaction.
 */
export function inMemoryAnnotations(
  audited: (entry: AuditEntry) => void = () => undefined,
): MeetingAnnotationStore & { all: MeetingAnnotations } {
  const all: MeetingAnnotations = { actionItems: [], flagReviews: [] };
  return {
    all,
    list: async (_tenantId, meetingId) => ({
      actionItems: all.actionItems.filter((s) => s.meetingId === meetingId),
      flagReviews: all.flagReviews
        .filter((r) => r.meetingId === meetingId)
        .sort((a, b) => a.reviewedAt.localeCompare(b.reviewedAt)),
    }),
    getActionItem: async (_tenantId, meetingId, itemId) =>
      all.actionItems.find((s) => s.meetingId === meetingId && s.itemId === itemId),
    putActionItem: async (_tenantId, state, previousUpdatedAt, audit) => {
      const i = all.actionItems.findIndex(
        (s) => s.meetingId === state.meetingId && s.itemId === state.itemId,
      );
      const current = i === -1 ? null : (all.actionItems[i]?.updatedAt ?? null);
      if (current !== previousUpdatedAt)
        throw new ConflictError('action_item_state changed meanwhile; try again.');
      if (i === -1) all.actionItems.push(state);
      else all.actionItems[i] = state;
      audited(audit);
    },
    addFlagReview: async (_tenantId, review, audit) => {
      if (all.flagReviews.some((r) => r.flagId === review.flagId && r.reviewedAt === review.reviewedAt))
        throw new ConflictError('flag_review already exists.');
      all.flagReviews.push(review);
      audited(audit);
    },
  };
}
