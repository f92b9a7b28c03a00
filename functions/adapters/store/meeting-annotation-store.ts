import type { AuditEntry } from '../../core/audit/audit-entry';
import { type ActionItemState, ActionItemStateSchema } from '../../core/meetings/action-item-state';
import { type FlagReview, FlagReviewSchema } from '../../core/meetings/flag-review';
import type { MeetingAnnotationStore, MeetingAnnotations } from '../../core/meetings/ports';
import type { DynamoStore } from './dynamo-store';
import type { Entity, Page } from './entity';
import { actionItemStateKey, flagReviewKey, meetingKey } from './keys/meeting-keys';

/** The assignee may be a client's name. */
export const ActionItemStateEntity: Entity<typeof ActionItemStateSchema> = {
  name: 'action_item_state',
  schema: ActionItemStateSchema,
  encrypted: ['assignee'],
  keys: (tenantId, state) => actionItemStateKey(tenantId, state.meetingId, state.itemId),
};

/** The note may quote the meeting. */
export const FlagReviewEntity: Entity<typeof FlagReviewSchema> = {
  name: 'flag_review',
  schema: FlagReviewSchema,
  encrypted: ['note'],
  keys: (tenantId, review) => flagReviewKey(tenantId, review.meetingId, review.flagId, review.reviewedAt),
};

/** `MeetingAnnotationStore` over the tenant-scoped table store: two key-condition queries per meeting, or one
 * item's state by its key. */
export class DynamoMeetingAnnotationStore implements MeetingAnnotationStore {
  constructor(private readonly store: DynamoStore) {}

  async list(tenantId: string, meetingId: string): Promise<MeetingAnnotations> {
    const partition = meetingKey(tenantId, meetingId).pk;
    const [actionItems, flagReviews] = await Promise.all([
      this.all((cursor) =>
        this.store.forTenant(tenantId).query(ActionItemStateEntity, {
          partition,
          sortKeyPrefix: 'ACTION#',
          limit: 100,
          ...(cursor ? { cursor } : {}),
        }),
      ),
      this.all((cursor) =>
        this.store.forTenant(tenantId).query(FlagReviewEntity, {
          partition,
          sortKeyPrefix: 'FLAG_REVIEW#',
          limit: 100,
          ...(cursor ? { cursor } : {}),
        }),
      ),
    ]);
    return { actionItems, flagReviews };
  }

  async getActionItem(tenantId: string, meetingId: string, itemId: string) {
    return this.store
      .forTenant(tenantId)
      .get(ActionItemStateEntity, actionItemStateKey(tenantId, meetingId, itemId));
  }

  async putActionItem(
    tenantId: string,
    state: ActionItemState,
    previousUpdatedAt: string | null,
    audit: AuditEntry,
  ): Promise<void> {
    await this.store.forTenant(tenantId).put(ActionItemStateEntity, state, {
      ...(previousUpdatedAt === null
        ? { ifNotExists: true }
        : { unchanged: { updatedAt: previousUpdatedAt } }),
      audit,
    });
  }

  async addFlagReview(tenantId: string, review: FlagReview, audit: AuditEntry): Promise<void> {
    await this.store.forTenant(tenantId).put(FlagReviewEntity, review, { ifNotExists: true, audit });
  }

  private async all<T>(page: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const next = await page(cursor);
      items.push(...next.items);
      cursor = next.cursor;
    } while (cursor);
    return items;
  }
}
