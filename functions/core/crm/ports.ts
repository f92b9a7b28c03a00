import type { Clock } from '../../contracts/clock';
import type { Ids } from '../../contracts/ids';
import type { AuditEntry, AuditLog } from '../audit/audit-entry';
import type { MeetingDeps } from '../meetings/ports';
import type { CrmConnection } from './crm-connection';
import type { CrmCredentials, CrmProvider, CrmProviderName } from './crm-provider';
import type { CrmLedgerEntry, CrmSyncStatus } from './crm-sync-status';

/** The advisors' CRM connections (credentials decrypted on read, encrypted on write). */
export interface CrmConnectionRepository {
  get(tenantId: string, advisorId: string, provider: CrmProviderName): Promise<CrmConnection | undefined>;
  /** `ConflictError` when the advisor already has a connection to this provider. */
  create(connection: CrmConnection, audit: AuditEntry): Promise<void>;
  /** Replaces the stored connection (same advisor and provider). */
  replace(connection: CrmConnection, audit: AuditEntry): Promise<void>;
  /** `NotFoundError` when there is none. */
  delete(tenantId: string, advisorId: string, provider: CrmProviderName, audit: AuditEntry): Promise<void>;
  listForAdvisor(tenantId: string, advisorId: string): Promise<CrmConnection[]>;
}

/**
 * What turns stored credentials into a talking CRM adapter, and the two connect-time exchanges: Redtail's
 * username/password → user key, and the vetting of a Salesforce My Domain URL.
 */
export interface CrmConnector {
  provider(credentials: CrmCredentials): CrmProvider;
  redtailUserKey(input: { apiKey: string; username: string; password: string }): Promise<string>;
  /** Throws when the URL is not a Salesforce My Domain; returns the URL as it should be stored. */
  vetSalesforceDomain(url: string): string;
}

/**
 * The per-meeting, per-connection sync record (`status`) and the ledger of what was created remotely. Entries
 * are written one by one, right after each remote create, so a retry knows exactly what already exists.
 */
export interface CrmSyncLedger {
  entries(tenantId: string, meetingId: string, connectionId: string): Promise<CrmLedgerEntry[]>;
  /** Idempotent: recording the same external id again keeps the first remote id. */
  record(entry: CrmLedgerEntry): Promise<void>;
  status(tenantId: string, meetingId: string, connectionId: string): Promise<CrmSyncStatus | undefined>;
  putStatus(status: CrmSyncStatus): Promise<void>;
  /** Every connection's status for the meeting (its details page). */
  statuses(tenantId: string, meetingId: string): Promise<CrmSyncStatus[]>;
}

export interface CrmSyncSettings {
  /** Where the adviser opens a meeting in the app (`<base>/meetings/<id>`), linked from the CRM note; optional. */
  appBaseUrl?: string;
}

/** Everything the CRM use cases use; each takes the `Pick` it needs. */
export interface CrmDeps {
  connections: CrmConnectionRepository;
  connector: CrmConnector;
  ledger: CrmSyncLedger;
  meetings: MeetingDeps['meetings'];
  users: MeetingDeps['users'];
  /** The meeting's verified extraction (keyring-encrypted in the uploads bucket). */
  extractions: { getJson(tenantId: string, key: string): Promise<unknown> };
  audit: AuditLog;
  clock: Clock;
  ids: Ids;
  settings: CrmSyncSettings;
}
