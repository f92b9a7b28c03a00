import { EntityIdSchema, UserIdSchema } from '../../../core/identity/user';
import type { ItemKeys } from '../entity';
import { tenantPrefix } from './tenant-prefix';

/** A user's own partition; it holds their refresh-token families, so all of them are one Query away. */
export function userPartition(tenantId: string, userId: string): string {
  return `${tenantPrefix(tenantId)}USER#${UserIdSchema.parse(userId)}`;
}

export const FAMILY_SK_PREFIX = 'FAMILY#';

/** A refresh-token family (one sign-in): `T#<tenant>#USER#<userId>` / `FAMILY#<familyId>`. */
export function tokenFamilyKeys(tenantId: string, userId: string, familyId: string): ItemKeys {
  return { pk: userPartition(tenantId, userId), sk: `${FAMILY_SK_PREFIX}${EntityIdSchema.parse(familyId)}` };
}
