import type { AuditEntry } from '../../core/audit/audit-entry';
import { type FirmSettings, FirmSettingsSchema, type FirmSettingsStore } from '../../core/firm/firm-settings';
import type { DynamoStore } from './dynamo-store';
import type { Entity } from './entity';
import { firmSettingsKeys } from './keys/firm-keys';

/** Settings hold no client content: nothing is encrypted beyond the table's own KMS key. */
export const FirmSettingsEntity: Entity<typeof FirmSettingsSchema> = {
  name: 'firm_settings',
  schema: FirmSettingsSchema,
  encrypted: [],
  keys: (tenantId) => firmSettingsKeys(tenantId),
};

/** `FirmSettingsStore` over the tenant-scoped table store. */
export class DynamoFirmSettingsStore implements FirmSettingsStore {
  constructor(private readonly store: DynamoStore) {}

  get(tenantId: string): Promise<FirmSettings | undefined> {
    return this.store.forTenant(tenantId).get(FirmSettingsEntity, firmSettingsKeys(tenantId));
  }

  async put(settings: FirmSettings, previousUpdatedAt: string | null, audit: AuditEntry): Promise<void> {
    await this.store.forTenant(settings.tenantId).put(FirmSettingsEntity, settings, {
      ...(previousUpdatedAt === null
        ? { ifNotExists: true }
        : { unchanged: { updatedAt: previousUpdatedAt } }),
      audit,
    });
  }
}
