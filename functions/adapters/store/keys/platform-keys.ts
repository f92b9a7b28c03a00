import type { Platform } from '../../../contracts/platform';
import type { ItemKeys } from '../entity';
import { meetingKey } from './meeting-keys';
import { tenantPrefix } from './tenant-prefix';
import { tokenDigest } from './token-digest';

/** A firm's integration with one platform: `T#<tenant>#INTEGRATION` / `PLATFORM#<platform>`. */
export function integrationKeys(tenantId: string, platform: Platform): ItemKeys {
  return { pk: `${tenantPrefix(tenantId)}INTEGRATION`, sk: `PLATFORM#${platform}` };
}

/**
 * A webhook route: `G#PLATFORM_ROUTE#<platform>#<sha256(route key)>` / `ROUTE`. Global, because an inbound
 * webhook has no firm until this item names one; the digest keeps Meet path tokens out of the table.
 */
export function platformRouteKeys(platform: Platform, routeKey: string): ItemKeys {
  return { pk: `G#PLATFORM_ROUTE#${platform}#${tokenDigest(routeKey)}`, sk: 'ROUTE' };
}

/** A delivery claim: `T#<tenant>#DELIVERY#<platform>#<sha256(event id)>` / `DELIVERY` (with a TTL). */
export function deliveryKeys(tenantId: string, platform: Platform, eventId: string): ItemKeys {
  return { pk: `${tenantPrefix(tenantId)}DELIVERY#${platform}#${tokenDigest(eventId)}`, sk: 'DELIVERY' };
}

/** A meeting's pending platform intake, beside the meeting: `T#<tenant>#MEETING#<id>` / `INTAKE`. */
export function platformIntakeKeys(tenantId: string, meetingId: string): ItemKeys {
  return { pk: meetingKey(tenantId, meetingId).pk, sk: 'INTAKE' };
}
