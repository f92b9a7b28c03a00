import type { ItemKeys } from '../entity';
import { tenantPrefix } from './tenant-prefix';

/** The firm's profile: one item per tenant, `T#<tenant>#FIRM` / `PROFILE`. */
export function firmKeys(tenantId: string): ItemKeys {
  return { pk: `${tenantPrefix(tenantId)}FIRM`, sk: 'PROFILE' };
}
