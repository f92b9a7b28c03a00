import * as z from 'zod';
import { ExtractResultSchema } from '../../../lib/pipeline-task-contracts';
import { ConflictError } from '../../platform/errors';
import { ExtractorKindSchema, type VerifiedExtraction } from '../extraction/extraction-schema';
import { firmFollowUpEmail } from '../extraction/firm-follow-up-email';
import { verifyEvidence } from '../extraction/verify-evidence';
import { effectiveFirmSettings } from '../firm/firm-settings';
import { type ExtractionCounts, ExtractionCountsSchema, type Meeting } from '../meetings/meeting';
import { storedFileOf } from '../meetings/stored-file';
import { parseTranscriptFile } from '../transcript/detect-transcript-format';
import { type Transcript, TranscriptSchema } from '../transcript/transcript';
import { meetingAuditEntry, nowIso, pipelineMeeting } from './meeting-transitions';
import type { MeetingRef, PipelineDeps } from './ports';

export const TRANSCRIPT_BLOB = 'transcript.json';
export const EXTRACTION_BLOB = 'extraction.json';

/**
 * What `Extract` returns and `Save` attaches: pointers and counts only, because execution data is logged. Loose
 * like the contract's schema, which it refines.
 */
export const ExtractSummarySchema = ExtractResultSchema.extend({
  transcriptKey: z.string().min(1),
  extractor: ExtractorKindSchema,
  counts: ExtractionCountsSchema,
});
export type ExtractSummary = z.infer<typeof ExtractSummarySchema>;

/** The stored transcript of an audio meeting is missing: transcription has not stored it. */
export class TranscriptMissingError extends ConflictError {
  constructor(meetingId: string) {
    super(`Meeting ${meetingId} has no stored transcript: transcription did not complete.`);
  }
}

/**
 * The `Extract` step: the meeting becomes `processing`, its transcript is read (the uploaded file, parsed and
 * normalised; or the transcript the transcription step stored), the normalised transcript and the
 * evidence-verified extraction (its follow-up draft with the firm's disclaimer and the lexicon's draft flags)
 * are stored encrypted, and their keys and counts are returned (logged by the task).
 *
 * A file the parsers refuse throws `MalformedTranscriptError` (not retried by the state machine); its message
 * becomes the meeting's failure reason through `MarkFailed`.
 */
export async function extractMeeting(ref: MeetingRef, deps: PipelineDeps): Promise<ExtractSummary> {
  const meeting = await startProcessing(ref, deps);
  const transcript = await readTranscript(meeting, deps);
  const transcriptKey =
    meeting.source.kind === 'audio' && meeting.transcriptKey
      ? meeting.transcriptKey
      : await deps.blobs.putJson(ref, TRANSCRIPT_BLOB, transcript);

  const [owner, firm] = await Promise.all([
    deps.users.getUser(meeting.tenantId, meeting.ownerUserId),
    effectiveFirmSettings(meeting.tenantId, deps.firmSettings),
  ]);
  const context = {
    meetingDate: meeting.meetingDate,
    advisorName: owner?.name ?? 'Advisor',
    clients: meeting.clientNames,
    firmDisclaimer: firm.followUpDisclaimer,
  };
  const extracted = await deps.extractor(transcript, context);
  // Whatever the extractor did, the kept draft carries the firm's text verbatim and the lexicon's draft flags.
  const extraction = { ...extracted, follow_up_email: firmFollowUpEmail(extracted.follow_up_email, context) };
  const verified = verifyEvidence(extraction, transcript);
  const extractionKey = await deps.blobs.putJson(ref, EXTRACTION_BLOB, verified.extraction);
  return ExtractSummarySchema.parse({
    extractionKey,
    transcriptKey,
    extractor: verified.extraction.extractor,
    counts: countsOf(verified.extraction, verified.report.unverified),
  });
}

/** `pending` → `processing` (audited once); a retry finds it `processing` and goes on. */
async function startProcessing(ref: MeetingRef, deps: PipelineDeps): Promise<Meeting> {
  const meeting = await pipelineMeeting(ref, deps);
  if (meeting.status === 'processing') return meeting;
  if (meeting.status !== 'pending') {
    throw new ConflictError(`Meeting ${meeting.meetingId} is ${meeting.status}: it cannot be processed.`);
  }
  const now = nowIso(deps);
  const next: Meeting = { ...meeting, status: 'processing', processingStartedAt: now, updatedAt: now };
  await deps.meetings.replace(
    next,
    { status: ['pending'], updatedAt: meeting.updatedAt },
    meetingAuditEntry(next, 'meeting.processing_started', 'success', { source: meeting.source.kind }),
  );
  return next;
}

async function readTranscript(meeting: Meeting, deps: PipelineDeps): Promise<Transcript> {
  const file = storedFileOf(meeting.source);
  if (file && meeting.source.kind === 'transcript') {
    const bytes = await deps.uploads.get(file.objectKey);
    return parseTranscriptFile(bytes, {
      fileName: `transcript.${file.extension}`,
      contentType: file.contentType,
    });
  }
  if (!meeting.transcriptKey) throw new TranscriptMissingError(meeting.meetingId);
  return TranscriptSchema.parse(await deps.blobs.getJson(meeting.tenantId, meeting.transcriptKey));
}

function countsOf(extraction: VerifiedExtraction, unverified: number): ExtractionCounts {
  const notes = Object.values(extraction.notes).reduce((sum, list) => sum + list.length, 0);
  return {
    notes,
    actionItems: extraction.action_items.length,
    clientFacts: extraction.client_facts.length,
    complianceFlags: extraction.compliance_flags.length,
    draftFlags: extraction.follow_up_email.flags.length,
    unverified,
  };
}
