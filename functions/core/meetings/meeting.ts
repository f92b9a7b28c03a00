import * as z from 'zod';
import { PlatformSchema } from '../../contracts/platform';
import { LlmUsageSchema } from '../extraction/llm-call';
import { EntityIdSchema } from '../identity/user';
import { UPLOAD_EXTENSIONS } from './upload-formats';

export const MeetingStatusSchema = z.enum([
  'pending_upload',
  'awaiting_consent',
  'pending',
  'processing',
  'completed',
  'failed',
]);
export type MeetingStatus = z.infer<typeof MeetingStatusSchema>;

export const IsoDateSchema = z.iso.date();

/** US states whose wiretap laws require every party's consent to a recording. */
export const ALL_PARTY_CONSENT_STATES = [
  'CA',
  'CT',
  'DE',
  'FL',
  'IL',
  'MD',
  'MA',
  'MI',
  'MT',
  'NV',
  'NH',
  'OR',
  'PA',
  'WA',
] as const;

export const UsStateSchema = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter US state code such as OH');

export const ConsentSchema = z.object({
  grantedBy: EntityIdSchema,
  grantedAt: z.iso.datetime(),
  method: z.enum(['verbal_at_start', 'written', 'disclosure_played']),
  participantStates: z.array(UsStateSchema),
  /** The participants' states that require all-party consent (derived, kept for the record). */
  allPartyConsentStates: z.array(UsStateSchema),
});
export type Consent = z.infer<typeof ConsentSchema>;

export const MeetingSourceSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('upload'),
    kind: z.enum(['audio', 'transcript']),
    extension: z.enum(UPLOAD_EXTENSIONS),
    contentType: z.string(),
    objectKey: z.string(),
    sizeBytes: z.number().int().positive(),
    /** Set when the upload trigger saw the object arrive. */
    uploadedAt: z.iso.datetime().optional(),
  }),
  z.object({
    type: z.literal('url'),
    kind: z.literal('audio'),
    /** Kept encrypted: recording URLs often carry access tokens in their query. */
    url: z.url(),
  }),
  z.object({
    type: z.literal('platform'),
    platform: PlatformSchema,
    /** What the platform event announced; the intake task sets what it actually fetched. */
    kind: z.enum(['audio', 'transcript']),
    /** The platform's meeting id (Zoom meeting uuid, Graph online meeting id, Meet conference record). */
    externalMeetingId: z.string().min(1).max(500),
    /**
     * Set by the intake task once it has the file (before it is written to the uploads bucket, so the upload
     * trigger finds the meeting expecting it); `uploadedAt` by the trigger. Download URLs and tokens never live
     * here: they stay on the intake item (`PlatformIntake`) until the file is fetched.
     */
    artifact: z
      .object({
        extension: z.enum(UPLOAD_EXTENSIONS),
        contentType: z.string(),
        objectKey: z.string(),
        sizeBytes: z.number().int().positive(),
        uploadedAt: z.iso.datetime().optional(),
      })
      .optional(),
  }),
]);
export type MeetingSource = z.infer<typeof MeetingSourceSchema>;

/** How much the extraction found; `unverified` counts items whose evidence could not be verified. */
export const ExtractionCountsSchema = z.object({
  notes: z.number().int().nonnegative(),
  actionItems: z.number().int().nonnegative(),
  clientFacts: z.number().int().nonnegative(),
  complianceFlags: z.number().int().nonnegative(),
  /** Compliance lexicon hits in the follow-up draft (absent on meetings extracted before drafts were scanned). */
  draftFlags: z.number().int().nonnegative().optional(),
  unverified: z.number().int().nonnegative(),
});
export type ExtractionCounts = z.infer<typeof ExtractionCountsSchema>;

/**
 * One CRM connection's sync outcome as the pipeline ended it (`error` is the error name, never a message with
 * client content). The details — remote ids, unmatched contacts' candidates, why, attempts — are on the
 * meeting's CRM sync status items, which a re-sync also updates.
 */
export const CrmSyncOutcomeSchema = z.object({
  connectionId: z.string().min(1),
  provider: z.string().min(1),
  status: z.enum(['synced', 'skipped', 'failed']),
  error: z.string().max(200).optional(),
});
export type CrmSyncOutcome = z.infer<typeof CrmSyncOutcomeSchema>;

/**
 * The recording's transcription job. The task token is the pipeline's opaque handle (no client content): the
 * provider's webhook resumes the waiting execution with it.
 */
export const TranscriptionJobSchema = z.object({
  /** The transcription integration that runs the job. */
  provider: z.string().regex(/^[a-z][a-z0-9]{1,39}$/),
  jobId: z.string().min(1).max(200),
  taskToken: z.string().min(1).max(8192),
  submittedAt: z.iso.datetime(),
  /** Set once the transcript is stored (by the webhook or the fallback poll). */
  collectedAt: z.iso.datetime().optional(),
});
export type TranscriptionJob = z.infer<typeof TranscriptionJobSchema>;

/**
 * A client meeting. Title, client names and the source (URLs may carry tokens) identify clients and are
 * encrypted at rest; status, dates and ids are not, so lists can be filtered without decrypting.
 */
export const MeetingSchema = z.object({
  meetingId: EntityIdSchema,
  tenantId: EntityIdSchema,
  /** The advisor whose meeting this is (access policy: advisors see their own). */
  ownerUserId: EntityIdSchema,
  createdBy: EntityIdSchema,
  title: z.string().min(1).max(300),
  meetingDate: IsoDateSchema,
  clientNames: z.array(z.string().min(1).max(200)).max(20),
  status: MeetingStatusSchema,
  failureReason: z.string().max(1000).optional(),
  source: MeetingSourceSchema,
  consent: ConsentSchema.optional(),
  // Set by the pipeline (functions/core/pipeline): pointers, counts and outcomes, never client content.
  processingStartedAt: z.iso.datetime().optional(),
  /** Uploads-bucket key of the keyring-encrypted normalised transcript. */
  transcriptKey: z.string().min(1).optional(),
  transcription: TranscriptionJobSchema.optional(),
  /** Uploads-bucket key of the keyring-encrypted verified extraction. */
  extractionKey: z.string().min(1).optional(),
  /** Every model call the extraction made (all attempts): tokens and cost, recorded as each call returns. */
  llmUsage: LlmUsageSchema.optional(),
  /** Why the extraction is the offline extractor's although Claude is configured (it declined; the firm allows). */
  extractionFallbackReason: z.string().max(1000).optional(),
  extractor: z.enum(['offline', 'claude']).optional(),
  extractionCounts: ExtractionCountsSchema.optional(),
  archiveStatus: z.enum(['archived', 'failed']).optional(),
  /** Archive-bucket key of the WORM record. */
  archiveKey: z.string().min(1).optional(),
  crm: z.array(CrmSyncOutcomeSchema).optional(),
  completedAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Meeting = z.infer<typeof MeetingSchema>;
