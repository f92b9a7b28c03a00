import * as z from 'zod';
import type { AuditEntry } from '../audit/audit-entry';
import {
  type ActionItem,
  DraftFlagSchema,
  ExtractorKindSchema,
  type FollowUpEmailText,
  type Notes,
} from '../extraction/extraction-schema';
import { EntityIdSchema } from '../identity/user';
import type { AnnotatedActionItem } from './annotated-extraction';

/**
 * A follow-up email draft written after the meeting was processed, on the adviser's request (with their
 * instructions, taking the team's action-item changes into account). The latest one replaces the extraction's
 * draft on `GET /meetings/{id}/follow-up-email`. Still a draft: the system never sends it.
 */
export const FollowUpDraftSchema = z.object({
  meetingId: EntityIdSchema,
  /** Client content: encrypted at rest. */
  subject: z.string().min(1).max(300),
  body: z.string().min(1).max(20_000),
  disclaimer: z.string().max(2000),
  /** The compliance lexicon's hits in this draft (client content: encrypted at rest). */
  flags: z.array(DraftFlagSchema).max(50).default([]),
  writer: ExtractorKindSchema,
  /** 1 for the first regeneration; the extraction's own draft is version 0. */
  version: z.number().int().min(1),
  instructions: z.string().max(1000).optional(),
  createdBy: EntityIdSchema,
  createdAt: z.iso.datetime(),
});
export type FollowUpDraft = z.infer<typeof FollowUpDraftSchema>;

/**
 * What a writer is given: the meeting's notes and its open action items as they stand now, only those whose
 * evidence verified against the transcript, and — apart from them — the adviser's instructions. Never the
 * firm's disclaimer: code adds it to whatever the writer returns (`firmFollowUpEmail`).
 */
export interface FollowUpRequest {
  meetingDate: string;
  advisorName: string;
  clients: readonly string[];
  /** Verified notes only: transcript-derived data, never instructions. */
  notes: Notes;
  /** Verified, not done, with the due dates and assignees in force (`assignee` absent: as the meeting said). */
  openActionItems: readonly (ActionItem & Partial<Pick<AnnotatedActionItem, 'assignee'>>)[];
  /** The adviser's words ("shorter", "mention the Roth conversion first"); the offline writer cannot follow them. */
  instructions?: string;
}

/** Writes a follow-up email draft's subject and body: Claude when configured, the offline composer otherwise. */
export interface FollowUpEmailWriter {
  kind: z.infer<typeof ExtractorKindSchema>;
  write(request: FollowUpRequest): Promise<FollowUpEmailText>;
}

/** The meeting's regenerated draft, one item per meeting, replaced by each regeneration. */
export interface FollowUpDraftStore {
  get(tenantId: string, meetingId: string): Promise<FollowUpDraft | undefined>;
  /** `previous`: the draft the caller read (undefined: none); a concurrent regeneration is a `ConflictError`. */
  put(
    tenantId: string,
    draft: FollowUpDraft,
    previous: FollowUpDraft | undefined,
    audit?: AuditEntry,
  ): Promise<void>;
}
