import * as z from 'zod';
import type { CrmConnectionRef } from '../../../lib/pipeline-task-contracts';
import type { CrmConnectionStore } from '../../core/pipeline/ports';
import type { DynamoStore } from './dynamo-store';
import type { Entity } from './entity';
import { tenantPrefix } from './keys/tenant-prefix';

/**
 * A firm's CRM connection as the pipeline needs it. The CRM issue owns this item (credentials, settings) and
 * extends the schema; the pipeline only reads id, provider and status.
 */
export const CrmConnectionSchema = z.looseObject({
  connectionId: z.string().min(1),
  provider: z.string().min(1),
  status: z.enum(['active', 'disabled']),
});
export type CrmConnection = z.infer<typeof CrmConnectionSchema>;

/** `T#<tenant>#CRM` / `CONNECTION#<id>`: one partition per firm. */
export function crmConnectionsPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}CRM`;
}

export const CrmConnectionEntity: Entity<typeof CrmConnectionSchema> = {
  name: 'crm_connection',
  schema: CrmConnectionSchema,
  encrypted: [],
  keys: (tenantId, connection) => ({
    pk: crmConnectionsPartition(tenantId),
    sk: `CONNECTION#${connection.connectionId}`,
  }),
};

export class DynamoCrmConnectionStore implements CrmConnectionStore {
  constructor(private readonly store: DynamoStore) {}

  async listActive(tenantId: string): Promise<CrmConnectionRef[]> {
    const found: CrmConnectionRef[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.forTenant(tenantId).query(CrmConnectionEntity, {
        partition: crmConnectionsPartition(tenantId),
        sortKeyPrefix: 'CONNECTION#',
        equals: { status: 'active' },
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const c of page.items) found.push({ connectionId: c.connectionId, provider: c.provider });
      cursor = page.cursor;
    } while (cursor);
    return found;
  }
}
