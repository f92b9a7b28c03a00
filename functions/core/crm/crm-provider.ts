import * as z from 'zod';

/**
 * The one small interface every CRM adapter implements. The sync use case (`sync-meeting-to-crm.ts`) decides
 * what to create and remembers what it created; adapters only speak their vendor's wire format. Which CRMs exist
 * is the integrations' business (`functions/integrations/crm-registry.ts`): here a CRM is a name. Every adapter
 * call may throw `CrmRequestError` (below).
 */
export const CrmProviderNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,39}$/, 'must be a CRM integration name');
export type CrmProviderName = z.infer<typeof CrmProviderNameSchema>;

/**
 * Credentials as stored (encrypted with the keyring) on a connection: opaque here, tagged with their CRM. The
 * CRM's integration supplies the schema of the rest and validates it before every use.
 */
export const CrmCredentialsSchema = z.looseObject({ provider: CrmProviderNameSchema });
export type CrmCredentials = z.infer<typeof CrmCredentialsSchema>;

/** A contact (person or household) the CRM holds. */
export interface CrmContact {
  /** The CRM's own id, as a string whatever its native type. */
  id: string;
  /** Display name as the CRM shows it. */
  name: string;
  firstName?: string;
  lastName?: string;
  emails: string[];
}

export interface CrmNoteInput {
  /** Absent: the note is created unlinked (where the CRM allows it; otherwise the adapter throws `CrmUnsupportedError`). */
  contactId?: string;
  subject: string;
  /** Plain text; adapters escape it for formats that need it (e.g. an HTML note body). */
  body: string;
  /** Stable id of this note in Smart Advisor OS (`<meetingId>:note`): written into the note as a marker. */
  externalId: string;
}

export interface CrmTaskInput {
  contactId?: string;
  title: string;
  description?: string;
  /** `YYYY-MM-DD` or absent. */
  dueDate?: string;
  priority: 'high' | 'medium' | 'low';
  /** The CRM user id to assign to, when the sync could map the owner; absent = the CRM's default. */
  assigneeId?: string;
  /** Stable id in Smart Advisor OS (`<meetingId>:task:<actionItemId>`). */
  externalId: string;
}

export interface CrmRemoteRecord {
  externalId: string;
  remoteId: string;
}

export interface CrmProvider {
  readonly provider: CrmProviderName;
  /** One cheap authenticated call; throws `CrmRequestError` (kind `auth`) when the CRM refuses the credentials. */
  verifyCredentials(): Promise<{ accountLabel?: string }>;
  /** Candidates for a client name (and email when known); the caller decides what counts as a match. */
  findContacts(query: { name: string; email?: string }): Promise<CrmContact[]>;
  createNote(note: CrmNoteInput): Promise<CrmRemoteRecord>;
  /**
   * Creates the tasks in order, calling `onCreated` after each one succeeds (so the caller can record it before
   * the next is attempted; a failure part-way leaves the earlier ones recorded). Resolves with all of them.
   */
  createTasks(
    tasks: readonly CrmTaskInput[],
    onCreated?: (record: CrmRemoteRecord) => Promise<void>,
  ): Promise<CrmRemoteRecord[]>;
}

export type CrmErrorKind =
  /** Credentials refused (401/403 after any refresh): the connection needs reconnecting. */
  | 'auth'
  /** 429 after the client's retries. */
  | 'rate_limited'
  /** 5xx, timeout or connection failure after the client's retries. */
  | 'unavailable'
  /** 4xx other than the above: our request was wrong for this CRM. */
  | 'rejected'
  /** The response did not have the shape the vendor documents (zod). */
  | 'unexpected_response';

/**
 * A CRM call that failed, naming the provider, what kind of failure and (for `unexpected_response`) the field.
 * The message never carries client content or credentials: only status codes, vendor error codes and paths.
 */
export class CrmRequestError extends Error {
  constructor(
    readonly provider: CrmProviderName,
    readonly kind: CrmErrorKind,
    message: string,
    readonly status?: number,
    readonly field?: string,
  ) {
    super(`${provider}: ${message}`);
    this.name = 'CrmRequestError';
  }
}

/** The CRM cannot do what was asked (e.g. a note linked to no contact). */
export class CrmUnsupportedError extends Error {
  constructor(
    readonly provider: CrmProviderName,
    message: string,
  ) {
    super(`${provider}: ${message}`);
    this.name = 'CrmUnsupportedError';
  }
}
