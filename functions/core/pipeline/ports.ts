import type { Clock } from '../../contracts/clock';
import type { CrmConnectionRef, MeetingRef } from '../../contracts/pipeline-task-contracts';
import type { AuditLog } from '../audit/audit-entry';
import type { Extractor } from '../extraction/extractor';
import type { LlmCall } from '../extraction/llm-call';
import type { FirmSettingsStore } from '../firm/firm-settings';
import type { User } from '../identity/user';
import type { MeetingStore } from '../meetings/ports';

export type { MeetingRef };

/**
 * The meeting's own pipeline artefacts (normalised transcript, extraction), encrypted with the keyring under
 * `tenants/{tenantId}/meetings/{meetingId}/{name}` in the uploads bucket.
 */
export interface MeetingBlobStore {
  /** Stores `value` as `name` of the meeting, replacing any earlier one; returns the object key. */
  putJson(ref: MeetingRef, name: string, value: unknown): Promise<string>;
  /** The JSON stored under `key`, which must belong to `tenantId`; `NotFoundError` if there is none. */
  getJson(tenantId: string, key: string): Promise<unknown>;
  /** The JSON stored as `name` of the meeting, or undefined when there is none. */
  findJson(ref: MeetingRef, name: string): Promise<unknown>;
}

/** The raw uploaded objects (`uploads/…`), as the browser put them. */
export interface UploadObjects {
  get(key: string): Promise<Uint8Array>;
  /** Removes an uploaded file (its content is stored encrypted by then); one already gone is not an error. */
  remove(key: string): Promise<void>;
}

export type ArchiveWriteOutcome = 'written' | 'already_archived';

/** The WORM archive bucket: every object written once, locked in COMPLIANCE mode until `retainUntil`. */
export interface ArchiveWriter {
  /** `already_archived` when an object exists under `key` (a retry after a write whose answer was lost). */
  write(input: { key: string; body: Uint8Array; retainUntil: Date }): Promise<ArchiveWriteOutcome>;
}

/** An advisor's active CRM connections: the ones a meeting of theirs syncs to. */
export interface CrmConnectionStore {
  listActive(tenantId: string, advisorId: string): Promise<CrmConnectionRef[]>;
}

/** Where the pipeline reports what an operator must act on (structured logs and EMF metrics). */
export interface PipelineSignals {
  /** An error-level log line carrying the `COMPLIANCE ACTION REQUIRED` marker. */
  complianceActionRequired(message: string): void;
  /** One `ArchiveFailures` metric datum. */
  archiveFailure(): void;
  /** One model call's tokens and cost as metric data (`LlmTokens`, `LlmCostUsd`, by model and purpose). */
  llmCall(call: LlmCall): void;
}

export interface PipelineSettings {
  /** `BUCKET_DEFINITIONS.archive.objectLock.retentionDays`. */
  archiveRetentionDays: number;
  /** `TRANSCRIPT_MAX_CHARS`: a longer transcript fails the meeting before any model call. */
  transcriptMaxChars: number;
}

export interface PipelineDeps {
  meetings: MeetingStore;
  users: { getUser(tenantId: string, userId: string): Promise<User | undefined> };
  blobs: MeetingBlobStore;
  uploads: UploadObjects;
  archive: ArchiveWriter;
  crm: CrmConnectionStore;
  extractor: Extractor;
  /** Kept instead when the model declines and the firm allows it (`offline_on_refusal`): the offline extractor. */
  fallbackExtractor: Extractor;
  audit: AuditLog;
  signals: PipelineSignals;
  clock: Clock;
  settings: PipelineSettings;
  /** The firm's own choices (follow-up disclaimer, transcript in the archive), read when a meeting is processed. */
  firmSettings: Pick<FirmSettingsStore, 'get'>;
}

/** The audit log's `ip` for entries the pipeline writes: no caller, the system acted. */
export const PIPELINE_ACTOR_IP = 'pipeline';
