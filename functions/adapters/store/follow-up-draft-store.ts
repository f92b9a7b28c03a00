import type { AuditEntry } from '../../core/audit/audit-entry';
import {
  type FollowUpDraft,
  FollowUpDraftSchema,
  type FollowUpDraftStore,
} from '../../core/meetings/follow-up-draft';
import type { DynamoStore } from './dynamo-store';
import type { Entity } from './entity';
import { followUpDraftKey } from './keys/meeting-keys';

/** Subject, body, the draft's flags (they quote it) and the adviser's instructions are client content. */
export const FollowUpDraftEntity: Entity<typeof FollowUpDraftSchema> = {
  name: 'follow_up_draft',
  schema: FollowUpDraftSchema,
  encrypted: ['subject', 'body', 'instructions', 'flags'],
  keys: (tenantId, draft) => followUpDraftKey(tenantId, draft.meetingId),
};

/** `FollowUpDraftStore` over the tenant-scoped table store; `createdAt` is the revision. */
export class DynamoFollowUpDraftStore implements FollowUpDraftStore {
  constructor(private readonly store: DynamoStore) {}

  get(tenantId: string, meetingId: string): Promise<FollowUpDraft | undefined> {
    return this.store.forTenant(tenantId).get(FollowUpDraftEntity, followUpDraftKey(tenantId, meetingId));
  }

  async put(
    tenantId: string,
    draft: FollowUpDraft,
    previous: FollowUpDraft | undefined,
    audit?: AuditEntry,
  ): Promise<void> {
    await this.store.forTenant(tenantId).put(FollowUpDraftEntity, draft, {
      ...(previous ? { unchanged: { createdAt: previous.createdAt } } : { ifNotExists: true }),
      ...(audit ? { audit } : {}),
    });
  }
}
