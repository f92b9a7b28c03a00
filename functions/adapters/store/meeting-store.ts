import type { Page } from '../../contracts/page';
import type { AuditEntry } from '../../core/audit/audit-entry';
import { type Meeting, MeetingSchema } from '../../core/meetings/meeting';
import type { MeetingExpectation, MeetingListQuery, MeetingStore } from '../../core/meetings/ports';
import type { DynamoStore } from './dynamo-store';
import type { Entity } from './entity';
import {
  firmMeetingsPartition,
  meetingKey,
  meetingKeys,
  meetingSortKey,
  ownerMeetingsPartition,
} from './keys/meeting-keys';

/** Title, client names and source identify clients (and URLs may carry tokens): encrypted at rest. */
export const MeetingEntity: Entity<typeof MeetingSchema> = {
  name: 'meeting',
  schema: MeetingSchema,
  encrypted: ['title', 'clientNames', 'source', 'failureReason'],
  keys: (tenantId, meeting) => meetingKeys(tenantId, meeting),
};

/** `MeetingStore` over the tenant-scoped table store. */
export class DynamoMeetingStore implements MeetingStore {
  constructor(private readonly store: DynamoStore) {}

  async create(meeting: Meeting, audit?: AuditEntry): Promise<void> {
    await this.store
      .forTenant(meeting.tenantId)
      .put(MeetingEntity, meeting, { ifNotExists: true, ...(audit ? { audit } : {}) });
  }

  async get(tenantId: string, meetingId: string): Promise<Meeting | undefined> {
    return this.store.forTenant(tenantId).get(MeetingEntity, meetingKey(tenantId, meetingId));
  }

  async list(tenantId: string, query: MeetingListQuery): Promise<Page<Meeting>> {
    const owner = query.ownerUserId;
    return this.store.forTenant(tenantId).query(MeetingEntity, {
      index: owner ? 'gsi1' : 'gsi2',
      partition: owner ? ownerMeetingsPartition(tenantId, owner) : firmMeetingsPartition(tenantId),
      ...(query.from || query.to
        ? {
            sortKeyBetween: [
              meetingSortKey(query.from ?? '0000-00-00', ''),
              meetingSortKey(query.to ?? '9999-99-99', '~'),
            ] as const,
          }
        : {}),
      ...(query.status ? { equals: { status: query.status } } : {}),
      limit: query.limit,
      descending: true,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  }

  async replace(next: Meeting, expected: MeetingExpectation, audit?: AuditEntry): Promise<void> {
    await this.store.forTenant(next.tenantId).put(MeetingEntity, next, {
      expect: { attribute: 'status', oneOf: expected.status },
      unchanged: { updatedAt: expected.updatedAt },
      ...(audit ? { audit } : {}),
    });
  }
}
