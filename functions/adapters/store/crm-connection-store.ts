import type { CrmConnectionRef } from '../../contracts/pipeline-task-contracts';
import type { AuditEntry } from '../../core/audit/audit-entry';
import { type CrmConnection, CrmConnectionSchema } from '../../core/crm/crm-connection';
import type { CrmProviderName } from '../../core/crm/crm-provider';
import type { CrmConnectionRepository } from '../../core/crm/ports';
import type { CrmConnectionStore } from '../../core/pipeline/ports';
import type { DynamoStore } from './dynamo-store';
import type { Entity } from './entity';
import { advisorCrmPartition, crmConnectionKey } from './keys/crm-keys';

/** An advisor's CRM connection; the credentials are keyring ciphertext bound to the item's keys. */
export const CrmConnectionEntity: Entity<typeof CrmConnectionSchema> = {
  name: 'crm_connection',
  schema: CrmConnectionSchema,
  encrypted: ['credentials'],
  keys: (tenantId, connection) => crmConnectionKey(tenantId, connection.advisorId, connection.provider),
};

// One connection per provider per advisor: a page of the partition holds them all.
const PAGE = 10;

/** Advisors' CRM connections in the single table, for the connections API and the pipeline. */
export class DynamoCrmConnectionStore implements CrmConnectionRepository, CrmConnectionStore {
  constructor(private readonly store: DynamoStore) {}

  get(tenantId: string, advisorId: string, provider: CrmProviderName): Promise<CrmConnection | undefined> {
    return this.store
      .forTenant(tenantId)
      .get(CrmConnectionEntity, crmConnectionKey(tenantId, advisorId, provider));
  }

  async create(connection: CrmConnection, audit: AuditEntry): Promise<void> {
    await this.store
      .forTenant(connection.tenantId)
      .put(CrmConnectionEntity, connection, { ifNotExists: true, audit });
  }

  async replace(connection: CrmConnection, audit: AuditEntry): Promise<void> {
    // Only the connection the caller read: a disconnect (or reconnect) meanwhile is a conflict, not overwritten.
    await this.store.forTenant(connection.tenantId).put(CrmConnectionEntity, connection, {
      unchanged: { connectionId: connection.connectionId },
      audit,
    });
  }

  async delete(
    tenantId: string,
    advisorId: string,
    provider: CrmProviderName,
    audit: AuditEntry,
  ): Promise<void> {
    await this.store
      .forTenant(tenantId)
      .delete(CrmConnectionEntity, crmConnectionKey(tenantId, advisorId, provider), { audit });
  }

  async listForAdvisor(tenantId: string, advisorId: string): Promise<CrmConnection[]> {
    const found: CrmConnection[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.forTenant(tenantId).query(CrmConnectionEntity, {
        partition: advisorCrmPartition(tenantId, advisorId),
        sortKeyPrefix: 'CONNECTION#',
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      found.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return found;
  }

  async listActive(tenantId: string, advisorId: string): Promise<CrmConnectionRef[]> {
    return (await this.listForAdvisor(tenantId, advisorId))
      .filter((c) => c.status === 'active')
      .map((c) => ({ connectionId: c.connectionId, provider: c.provider }));
  }
}
