import { meetingKey } from './meeting-keys';
import { tenantPrefix } from './tenant-prefix';

/**
 * CRM items. Connections: one partition per advisor (`T#<tenant>#ADVISOR#<id>#CRM`), sort key the provider, so
 * "one connection per provider per advisor" is the key itself and listing an advisor's is one query. A meeting's
 * sync records live in the meeting's own partition: `CRM#STATUS#<connection>` per connection and
 * `CRM#LEDGER#<connection>#<externalId>` per remote record created.
 */
export function advisorCrmPartition(tenantId: string, advisorId: string): string {
  return `${tenantPrefix(tenantId)}ADVISOR#${advisorId}#CRM`;
}

export function crmConnectionKey(tenantId: string, advisorId: string, provider: string) {
  return { pk: advisorCrmPartition(tenantId, advisorId), sk: `CONNECTION#${provider}` };
}

export const CRM_STATUS_PREFIX = 'CRM#STATUS#';

export function crmStatusKey(tenantId: string, meetingId: string, connectionId: string) {
  return { pk: meetingKey(tenantId, meetingId).pk, sk: `${CRM_STATUS_PREFIX}${connectionId}` };
}

export function crmLedgerPrefix(connectionId: string): string {
  return `CRM#LEDGER#${connectionId}#`;
}

export function crmLedgerKey(tenantId: string, meetingId: string, connectionId: string, externalId: string) {
  return { pk: meetingKey(tenantId, meetingId).pk, sk: `${crmLedgerPrefix(connectionId)}${externalId}` };
}
