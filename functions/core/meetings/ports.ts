import type { Clock } from '../../contracts/clock';
import type { Ids } from '../../contracts/ids';
import type { Page } from '../../contracts/page';
import type { AuditEntry, AuditLog } from '../audit/audit-entry';
import type { CrmSyncStatus } from '../crm/crm-sync-status';
import type { FirmSettingsStore } from '../firm/firm-settings';
import type { User } from '../identity/user';
import type { ActionItemState } from './action-item-state';
import type { FlagReview } from './flag-review';
import type { FollowUpDraftStore, FollowUpEmailWriter } from './follow-up-draft';
import type { Meeting, MeetingStatus } from './meeting';
import type { SourceKind } from './upload-formats';

/** What the stored meeting must still be for a replace to apply. */
export interface MeetingExpectation {
  status: readonly MeetingStatus[];
  /** The `updatedAt` of the meeting the caller read. */
  updatedAt: string;
}

export interface MeetingListQuery {
  /** Only this advisor's meetings (uses the per-owner index). */
  ownerUserId?: string;
  status?: MeetingStatus;
  /** Inclusive ISO dates on the meeting date. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** Meetings in the single table, tenant-keyed; every read is of one firm. */
export interface MeetingStore {
  /**
   * `ConflictError` if the id exists (ids are random: a retry of the same create). `audit`: recorded with the
   * meeting, in the same write (both or neither) — so with every audited port method below.
   */
  create(meeting: Meeting, audit?: AuditEntry): Promise<void>;
  get(tenantId: string, meetingId: string): Promise<Meeting | undefined>;
  /** Newest meeting date first. `ownerUserId` absent = the whole firm. */
  list(tenantId: string, query: MeetingListQuery): Promise<Page<Meeting>>;
  /**
   * Writes `next` only if the stored meeting still has one of `expected.status` AND is the revision the caller
   * read (`expected.updatedAt`): a write built on a stale read never overwrites a concurrent one (a consent
   * recorded while the upload trigger ran, say). `ConflictError` otherwise; re-read and retry.
   */
  replace(next: Meeting, expected: MeetingExpectation, audit?: AuditEntry): Promise<void>;
}

/** Everything recorded beside a meeting's extraction: action-item edits and compliance flag reviews. */
export interface MeetingAnnotations {
  actionItems: ActionItemState[];
  /** Oldest first. */
  flagReviews: FlagReview[];
}

/** Action-item states and flag reviews, kept in the meeting's own partition. */
export interface MeetingAnnotationStore {
  list(tenantId: string, meetingId: string): Promise<MeetingAnnotations>;
  /** One action item's state, or undefined while it is as extracted. */
  getActionItem(tenantId: string, meetingId: string, itemId: string): Promise<ActionItemState | undefined>;
  /**
   * Writes an item's state. `previousUpdatedAt`: the `updatedAt` of the state the caller read, or `null` if it
   * read none; a concurrent change in between is a `ConflictError`.
   */
  putActionItem(
    tenantId: string,
    state: ActionItemState,
    previousUpdatedAt: string | null,
    audit: AuditEntry,
  ): Promise<void>;
  /** Appends a review; never overwrites one. */
  addFlagReview(tenantId: string, review: FlagReview, audit: AuditEntry): Promise<void>;
}

export interface PresignedUpload {
  url: string;
  /** Headers the client must send with the PUT exactly as given: they are part of the signature. */
  headers: Record<string, string>;
}

/** Presigned S3 PUTs into the uploads bucket, with content type and length signed. */
export interface UploadSigner {
  presignPut(input: {
    key: string;
    contentType: string;
    contentLength: number;
    expiresInSeconds: number;
  }): Promise<PresignedUpload>;
}

/** Starts the meeting pipeline (Step Functions on AWS, the local interpreter on the laptop). */
export interface PipelineStarter {
  start(input: {
    tenantId: string;
    meetingId: string;
    consentGiven: boolean;
    sourceKind: SourceKind;
  }): Promise<void>;
}

export interface MeetingSettings {
  uploadMaxBytes: number;
  /** `TRANSCRIPT_UPLOAD_MAX_BYTES`: transcript files (not audio) over it are refused when the upload is asked for. */
  transcriptUploadMaxBytes: number;
  uploadUrlTtlSeconds: number;
}

/** Reads a meeting's stored extraction (keyring-encrypted in the uploads bucket) by its key. */
export interface ExtractionReader {
  getJson(tenantId: string, key: string): Promise<unknown>;
}

export interface MeetingDeps {
  meetings: MeetingStore;
  /** For owner checks: assistants' assignments and whether an owner is an active advisor. */
  users: { getUser(tenantId: string, userId: string): Promise<User | undefined> };
  uploads: UploadSigner;
  pipeline: PipelineStarter;
  audit: AuditLog;
  clock: Clock;
  ids: Ids;
  settings: MeetingSettings;
  /** For a meeting's details; without it details show no extraction. */
  extractions?: ExtractionReader;
  annotations: MeetingAnnotationStore;
  followUpDrafts: FollowUpDraftStore;
  followUpWriter: FollowUpEmailWriter;
  firmSettings: Pick<FirmSettingsStore, 'get'>;
  /** Each CRM connection's sync status, for a meeting's details; without it details show the pipeline's outcomes. */
  crmSync?: { statuses(tenantId: string, meetingId: string): Promise<CrmSyncStatus[]> };
}

/**
 * Every meeting use case's deps but the follow-up writer: only drafting a follow-up calls a model, so the
 * functions that never draft need not carry the model's SDK.
 */
export type MeetingDepsWithoutWriter = Omit<MeetingDeps, 'followUpWriter'>;
