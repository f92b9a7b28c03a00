import { UserIdSchema } from '../../../core/identity/user';
import type { ItemKeys } from '../entity';
import { tenantPrefix } from './tenant-prefix';

/** All users of a firm share one partition, so listing them is one Query (firms have tens of users, not millions). */
export function usersPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}USERS`;
}

export const USER_SK_PREFIX = 'USER#';

/** A user: `T#<tenant>#USERS` / `USER#<userId>`. */
export function userKeys(tenantId: string, userId: string): ItemKeys {
  return { pk: usersPartition(tenantId), sk: `${USER_SK_PREFIX}${UserIdSchema.parse(userId)}` };
}
