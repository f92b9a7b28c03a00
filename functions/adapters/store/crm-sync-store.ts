import {
  type CrmLedgerEntry,
  CrmLedgerEntrySchema,
  type CrmSyncStatus,
  CrmSyncStatusSchema,
} from '../../core/crm/crm-sync-status';
import type { CrmSyncLedger } from '../../core/crm/ports';
import { ConflictError } from '../../platform/errors';
import type { DynamoStore } from './dynamo-store';
import type { Entity } from './entity';
import { CRM_STATUS_PREFIX, crmLedgerKey, crmLedgerPrefix, crmStatusKey } from './keys/crm-keys';
import { meetingKey } from './keys/meeting-keys';

/** One remote record created by a sync: ids only, nothing to encrypt. */
export const CrmLedgerEntity: Entity<typeof CrmLedgerEntrySchema> = {
  name: 'crm_ledger_entry',
  schema: CrmLedgerEntrySchema,
  encrypted: [],
  keys: (tenantId, e) => crmLedgerKey(tenantId, e.meetingId, e.connectionId, e.externalId),
};

/** A connection's sync status on a meeting; `contact` holds client names (candidates), so it is encrypted. */
export const CrmSyncStatusEntity: Entity<typeof CrmSyncStatusSchema> = {
  name: 'crm_sync_status',
  schema: CrmSyncStatusSchema,
  encrypted: ['contact'],
  keys: (tenantId, s) => crmStatusKey(tenantId, s.meetingId, s.connectionId),
};

const PAGE = 100;

/** The CRM sync ledger and statuses, in each meeting's own partition. */
export class DynamoCrmSyncStore implements CrmSyncLedger {
  constructor(private readonly store: DynamoStore) {}

  private async all<T>(tenantId: string, meetingId: string, entity: Entity, prefix: string): Promise<T[]> {
    const found: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.forTenant(tenantId).query(entity, {
        partition: meetingKey(tenantId, meetingId).pk,
        sortKeyPrefix: prefix,
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      found.push(...(page.items as T[]));
      cursor = page.cursor;
    } while (cursor);
    return found;
  }

  entries(tenantId: string, meetingId: string, connectionId: string): Promise<CrmLedgerEntry[]> {
    return this.all(tenantId, meetingId, CrmLedgerEntity, crmLedgerPrefix(connectionId));
  }

  async record(entry: CrmLedgerEntry): Promise<void> {
    try {
      await this.store.forTenant(entry.tenantId).put(CrmLedgerEntity, entry, { ifNotExists: true });
    } catch (error) {
      // Already recorded (a retried write): the first remote id stands.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  status(tenantId: string, meetingId: string, connectionId: string): Promise<CrmSyncStatus | undefined> {
    return this.store
      .forTenant(tenantId)
      .get(CrmSyncStatusEntity, crmStatusKey(tenantId, meetingId, connectionId));
  }

  async putStatus(status: CrmSyncStatus): Promise<void> {
    await this.store.forTenant(status.tenantId).put(CrmSyncStatusEntity, status);
  }

  statuses(tenantId: string, meetingId: string): Promise<CrmSyncStatus[]> {
    return this.all(tenantId, meetingId, CrmSyncStatusEntity, CRM_STATUS_PREFIX);
  }
}
