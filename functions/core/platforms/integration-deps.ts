import type { Clock } from '../../contracts/clock';
import type { Ids } from '../../contracts/ids';
import type { AuditLog } from '../audit/audit-entry';
import type { User } from '../identity/user';
import type { IntegrationStore } from './ports';

/** What the integrations API's use cases need. */
export interface IntegrationDeps {
  integrations: IntegrationStore;
  users: { getUser(tenantId: string, userId: string): Promise<User | undefined> };
  audit: AuditLog;
  clock: Clock;
  ids: Pick<Ids, 'uuid'>;
}
