import * as z from 'zod';
import { PlatformSchema } from '../../contracts/platform';
import {
  ActionItemIdSchema,
  DraftFlagSchema,
  FlagIdSchema,
  VerifiedExtractionSchema,
} from '../../core/extraction/extraction-schema';
import { FlagDecisionSchema } from '../../core/meetings/flag-review';
import {
  ConsentSchema,
  IsoDateSchema,
  MeetingStatusSchema,
  UsStateSchema,
} from '../../core/meetings/meeting';
import { UPLOAD_EXTENSIONS } from '../../core/meetings/upload-formats';
import { defineRoute } from '../../platform/http/route';
import { CrmSyncViewSchema } from './crm-routes';
import { IdSchema, PageQuerySchema } from './identity-schemas';

export const MeetingParams = z.object({ meetingId: IdSchema });

/** An extracted action item with the team's changes merged in. */
export const ActionItemViewSchema = VerifiedExtractionSchema.shape.action_items.element
  .extend({
    done: z.boolean(),
    assignee: z
      .string()
      .nullable()
      .meta({ description: 'Assigned after the meeting; `owner` is who the meeting named' }),
    due_date: z.iso
      .date()
      .nullable()
      .meta({ description: 'In force: the team’s change if any, else as extracted' }),
    extracted_due_date: z.iso.date().nullable(),
    updated_by: z.string().optional(),
    updated_at: z.string().optional(),
  })
  .meta({ id: 'ActionItem' });

export const FlagReviewViewSchema = z
  .object({
    decision: FlagDecisionSchema,
    note: z.string().optional().meta({ description: 'Shown to compliance and admins only' }),
    reviewer_id: z.string(),
    reviewed_at: z.string(),
    reviews: z.number().int().min(1).meta({ description: 'Reviews so far; the newest is shown' }),
  })
  .meta({ id: 'FlagReview' });

/** A compliance flag with its newest review (`null` while it awaits one). */
export const ComplianceFlagViewSchema = VerifiedExtractionSchema.shape.compliance_flags.element
  .extend({ review: FlagReviewViewSchema.nullable() })
  .meta({ id: 'ComplianceFlag' });

export const MeetingViewSchema = z
  .object({
    id: z.string(),
    owner_id: z.string(),
    title: z.string(),
    meeting_date: z.string(),
    client_names: z.array(z.string()),
    status: MeetingStatusSchema,
    failure_reason: z.string().optional(),
    source: z.object({
      type: z.enum(['upload', 'url', 'platform']),
      kind: z.enum(['audio', 'transcript']),
      platform: PlatformSchema.optional().meta({ description: 'For meetings a platform webhook created' }),
    }),
    consent: z
      .object({
        granted_by: z.string(),
        granted_at: z.string(),
        method: ConsentSchema.shape.method,
        participant_states: z.array(z.string()),
        all_party_consent_states: z.array(z.string()),
      })
      .optional(),
    extractor: z.enum(['offline', 'claude']).optional(),
    extraction_fallback_reason: z
      .string()
      .optional()
      .meta({ description: 'Why the extraction is the offline extractor’s although Claude is configured' }),
    llm_usage: z
      .object({
        calls: z.number().int().nonnegative(),
        tokens: z.number().int().nonnegative(),
        cost_usd: z.number().nonnegative(),
      })
      .optional()
      .meta({
        description:
          "The model calls the meeting's extraction made (all attempts): billed tokens, cost at list prices",
      }),
    archive_status: z.enum(['archived', 'failed']).optional(),
    completed_at: z.string().optional(),
    /** On `GET /meetings/{id}`: each of the owner's CRM connections' sync result. */
    crm: z.array(CrmSyncViewSchema).optional(),
    /** On `GET /meetings/{id}` once extracted: every item with its evidence and `evidence_status`. */
    extraction: VerifiedExtractionSchema.pick({
      notes: true,
      client_facts: true,
      follow_up_email: true,
      model: true,
    })
      .extend({
        action_items: z.array(ActionItemViewSchema),
        compliance_flags: z.array(ComplianceFlagViewSchema),
      })
      .meta({ id: 'MeetingExtraction' })
      .optional(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Meeting' });

const MeetingFieldsSchema = {
  title: z.string().trim().min(1).max(300),
  meeting_date: IsoDateSchema,
  client_names: z.array(z.string().trim().min(1).max(200)).min(1).max(20),
  owner_id: IdSchema.optional().meta({
    description: 'The advisor the meeting belongs to (assistants and admins)',
  }),
};

export const TranscriptViewSchema = z
  .object({
    source: z.string(),
    duration_ms: z.number().int(),
    speakers: z.array(z.string()),
    utterances: z.array(
      z.object({
        index: z.number().int(),
        speaker: z.string(),
        role: z.literal('advisor').optional(),
        start_ms: z.number().int(),
        end_ms: z.number().int(),
        text: z.string(),
      }),
    ),
  })
  .meta({ id: 'Transcript' });

export const FollowUpEmailViewSchema = z
  .object({
    status: z.literal('draft').meta({ description: 'Always a draft: nothing is ever sent to a client' }),
    subject: z.string(),
    body: z.string(),
    disclaimer: z.string().meta({ description: 'The firm’s disclaimer, verbatim, set by the system' }),
    flags: z.array(DraftFlagSchema).meta({
      description:
        'Compliance lexicon hits in this draft (a promise of results, a projection, a testimonial…): fix before sending',
    }),
    extractor: z
      .enum(['offline', 'claude'])
      .meta({ description: 'Who wrote it; offline drafts say so in the body' }),
    version: z
      .number()
      .int()
      .min(0)
      .meta({ description: '0: drafted with the extraction; n: the n-th regeneration' }),
    generated_at: z.string().optional(),
    instructions: z.string().optional().meta({ description: 'What the adviser asked for when regenerating' }),
  })
  .meta({ id: 'FollowUpEmailDraft' });

export const meetingsRoutes = [
  defineRoute({
    id: 'requestMeetingUpload',
    method: 'POST',
    path: '/api/v1/meetings/upload',
    summary: 'Create a meeting and a presigned PUT for its recording or transcript file',
    tags: ['meetings'],
    auth: 'user',
    roles: ['admin', 'advisor', 'assistant'],
    rateLimit: 'standard',
    request: {
      body: z
        .object({
          ...MeetingFieldsSchema,
          file_name: z
            .string()
            .min(1)
            .max(255)
            .meta({ description: `Ends in .${UPLOAD_EXTENSIONS.join(', .')}` }),
          content_type: z.string().min(1).max(100),
          size_bytes: z.number().int().positive(),
        })
        .meta({ id: 'UploadRequest' }),
    },
    status: 201,
    response: z
      .object({
        meeting: MeetingViewSchema,
        upload: z.object({
          url: z.string(),
          method: z.literal('PUT'),
          headers: z.record(z.string(), z.string()),
          expires_at: z.string(),
        }),
      })
      .meta({ id: 'UploadTicket' }),
  }),
  defineRoute({
    id: 'createMeetingFromUrl',
    method: 'POST',
    path: '/api/v1/meetings',
    summary: 'Create a meeting from a recording URL (https, public addresses only); it awaits consent',
    tags: ['meetings'],
    auth: 'user',
    roles: ['admin', 'advisor', 'assistant'],
    rateLimit: 'standard',
    request: {
      body: z
        .object({
          ...MeetingFieldsSchema,
          recording_url: z
            .url({ protocol: /^https$/ })
            .max(8192)
            .meta({ description: 'https only; vetted against SSRF' }),
        })
        .meta({ id: 'CreateMeetingFromUrlRequest' }),
    },
    status: 201,
    response: MeetingViewSchema,
  }),
  defineRoute({
    id: 'listMeetings',
    method: 'GET',
    path: '/api/v1/meetings',
    summary: 'Meetings the caller may see, newest first; filter by status, client, date range, advisor',
    tags: ['meetings'],
    auth: 'user',
    rateLimit: 'standard',
    request: {
      query: PageQuerySchema.extend({
        status: MeetingStatusSchema.optional(),
        client: z.string().trim().min(1).max(200).optional(),
        from: IsoDateSchema.optional(),
        to: IsoDateSchema.optional(),
        owner_id: IdSchema.optional(),
      }),
    },
    status: 200,
    response: z
      .object({ items: z.array(MeetingViewSchema), cursor: z.string().optional() })
      .meta({ id: 'MeetingPage' }),
  }),
  defineRoute({
    id: 'getMeeting',
    method: 'GET',
    path: '/api/v1/meetings/{meetingId}',
    summary: 'One meeting and its statuses',
    tags: ['meetings'],
    auth: 'user',
    rateLimit: 'standard',
    request: { params: MeetingParams },
    status: 200,
    response: MeetingViewSchema,
  }),
  defineRoute({
    id: 'getMeetingTranscript',
    method: 'GET',
    path: '/api/v1/meetings/{meetingId}/transcript',
    summary: 'The decrypted transcript; every read is written to the audit trail',
    tags: ['meetings'],
    auth: 'user',
    rateLimit: 'standard',
    request: { params: MeetingParams },
    status: 200,
    response: TranscriptViewSchema,
  }),
  defineRoute({
    id: 'getFollowUpEmail',
    method: 'GET',
    path: '/api/v1/meetings/{meetingId}/follow-up-email',
    summary: 'The follow-up email draft (never sent; the adviser edits and sends it)',
    tags: ['meetings'],
    auth: 'user',
    rateLimit: 'standard',
    request: { params: MeetingParams },
    status: 200,
    response: FollowUpEmailViewSchema,
  }),
  defineRoute({
    id: 'updateActionItem',
    method: 'PATCH',
    path: '/api/v1/meetings/{meetingId}/action-items/{itemId}',
    summary:
      'Mark an action item done, assign it or change its due date (the extraction itself is kept as said)',
    tags: ['meetings'],
    auth: 'user',
    roles: ['admin', 'advisor', 'assistant'],
    rateLimit: 'standard',
    request: {
      params: MeetingParams.extend({ itemId: ActionItemIdSchema }),
      body: z
        .strictObject({
          done: z.boolean().optional(),
          assignee: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .nullable()
            .optional()
            .meta({ description: 'null clears it' }),
          due_date: z.iso.date().nullable().optional().meta({ description: 'null: no due date' }),
        })
        .refine((b) => b.done !== undefined || b.assignee !== undefined || b.due_date !== undefined, {
          message: 'give at least one of done, assignee, due_date',
        })
        .meta({ id: 'ActionItemUpdate' }),
    },
    status: 200,
    response: ActionItemViewSchema,
  }),
  defineRoute({
    id: 'reviewComplianceFlag',
    method: 'POST',
    path: '/api/v1/meetings/{meetingId}/flags/{flagId}/review',
    summary:
      'Compliance: dismiss or escalate a compliance flag, with a note (audited; earlier reviews are kept)',
    tags: ['meetings', 'compliance'],
    auth: 'user',
    roles: ['compliance', 'admin'],
    rateLimit: 'standard',
    request: {
      params: MeetingParams.extend({ flagId: FlagIdSchema }),
      body: z
        .strictObject({
          decision: z.enum(['dismiss', 'escalate']),
          note: z.string().trim().min(3).max(2000).meta({ description: 'Why; kept encrypted' }),
        })
        .meta({ id: 'FlagReviewRequest' }),
    },
    status: 200,
    response: ComplianceFlagViewSchema,
  }),
  defineRoute({
    id: 'recordConsent',
    method: 'POST',
    path: '/api/v1/meetings/{meetingId}/consent',
    summary:
      'Record recording consent (who, when, how, participants’ states); starts the pipeline when ready',
    tags: ['meetings'],
    auth: 'user',
    roles: ['admin', 'advisor', 'assistant'],
    rateLimit: 'standard',
    request: {
      params: MeetingParams,
      body: z
        .object({
          method: ConsentSchema.shape.method,
          participant_states: z.array(UsStateSchema).min(1).max(20),
        })
        .meta({ id: 'ConsentRequest' }),
    },
    status: 200,
    response: MeetingViewSchema,
  }),
] as const;
