import type * as z from 'zod';
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

/** How a connection to one CRM is made; each CRM's integration supplies it. */
export interface CrmConnectionForm {
  /** What the connect request must carry (the HTTP body, snake_case as the API speaks). */
  body: z.ZodType<Record<string, unknown>>;
  /** The body field a refusal of the credentials is reported against. */
  refusedField: string;
  /**
   * The validated body → the credentials to store, after any exchange the CRM needs (e.g. a password traded for a
   * key that is stored instead). Throws `CrmRequestError` when the CRM refuses, `ValidationError` for a field it
   * vets itself.
   */
  credentials(fields: Record<string, unknown>): Promise<CrmCredentials>;
}

/** The CRM integrations behind one port: how to connect to each, and the adapter for stored credentials. */
export interface CrmConnector {
  /** Throws for a CRM no integration provides (routes accept only the registry's names). */
  connection(provider: CrmProviderName): CrmConnectionForm;
  /** The adapter for a connection's credentials, which it validates against its CRM's schema first. */
  provider(credentials: CrmCredentials): CrmProvider;
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
