import type { ItemKeys } from '../entity';
import { tenantPrefix } from './tenant-prefix';

/** The firm's profile: one item per tenant, `T#<tenant>#FIRM` / `PROFILE`. */
export function firmKeys(tenantId: string): ItemKeys {
  return { pk: `${tenantPrefix(tenantId)}FIRM`, sk: 'PROFILE' };
}

/** The firm's settings: `T#<tenant>#FIRM` / `SETTINGS`, beside its profile. */
export function firmSettingsKeys(tenantId: string): ItemKeys {
  return { pk: `${tenantPrefix(tenantId)}FIRM`, sk: 'SETTINGS' };
}
