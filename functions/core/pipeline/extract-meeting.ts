import * as z from 'zod';
import { ExtractResultSchema } from '../../contracts/pipeline-task-contracts';
import { AppError, ConflictError } from '../../platform/errors';
import { ExtractorKindSchema, type VerifiedExtraction } from '../extraction/extraction-schema';
import type { ExtractionSession } from '../extraction/extractor';
import { firmFollowUpEmail } from '../extraction/firm-follow-up-email';
import { addLlmCall, type LlmCall } from '../extraction/llm-call';
import { verifyEvidence } from '../extraction/verify-evidence';
import { effectiveFirmSettings } from '../firm/firm-settings';
import { type ExtractionCounts, ExtractionCountsSchema, type Meeting } from '../meetings/meeting';
import { storedFileOf } from '../meetings/stored-file';
import { parseTranscriptFile } from '../transcript/detect-transcript-format';
import { type Transcript, TranscriptSchema } from '../transcript/transcript';
import { extractionBlobName } from './extraction-blob-name';
import { meetingAuditEntry, nowIso, pipelineMeeting } from './meeting-transitions';
import type { MeetingRef, PipelineDeps } from './ports';

export const TRANSCRIPT_BLOB = 'transcript.json';
/** The parts of a long meeting extracted so far (client content, encrypted like the others): a retry resumes. */
export const EXTRACTION_PROGRESS_BLOB = 'extraction-progress.json';

/**
 * What `Extract` returns and `Save` attaches: pointers and counts only, because execution data is logged. Loose
 * like the contract's schema, which it refines.
 */
export const ExtractSummarySchema = ExtractResultSchema.extend({
  transcriptKey: z.string().min(1),
  extractor: ExtractorKindSchema,
  counts: ExtractionCountsSchema,
  /** Set when the model declined and the firm keeps the offline extractor's result instead. */
  fallbackReason: z.string().max(1000).optional(),
});
export type ExtractSummary = z.infer<typeof ExtractSummarySchema>;

/** The stored transcript of an audio meeting is missing: transcription has not stored it. */
export class TranscriptMissingError extends ConflictError {
  constructor(meetingId: string) {
    super(`Meeting ${meetingId} has no stored transcript: transcription did not complete.`);
  }
}

/** The transcript is longer than `TRANSCRIPT_MAX_CHARS`: the meeting fails with this reason, before any model call. */
export class TranscriptTooLongError extends AppError {
  constructor(chars: number, maxChars: number) {
    const hours = (n: number) => (n / 750 / 60).toFixed(1);
    super(
      'transcript_too_long',
      `The transcript has ${chars} characters of speech (about ${hours(chars)} hours); the limit is ${maxChars} (about ${hours(maxChars)} hours, TRANSCRIPT_MAX_CHARS). Split the meeting and upload the parts.`,
      { issues: [{ path: 'transcript', message: `must be at most ${maxChars} characters of speech` }] },
    );
  }
}

/** What the `Extract` handler knows of its invocation: the time it has left. */
export interface ExtractInvocation {
  remainingMs?: () => number;
}

/**
 * The `Extract` step: the meeting becomes `processing`, its transcript is read (the uploaded file, parsed and
 * normalised; or the transcript the transcription step stored), the normalised transcript and the
 * evidence-verified extraction (its follow-up draft with the firm's disclaimer and the lexicon's draft flags)
 * are stored encrypted, and their keys and counts are returned (logged by the task).
 *
 * A file the parsers refuse throws `MalformedTranscriptError`, a transcript past `TRANSCRIPT_MAX_CHARS`
 * `TranscriptTooLongError` (neither retried by the state machine); the message becomes the meeting's failure
 * reason through `MarkFailed`. A model-backed extractor gets a session: its saved progress (a retry resumes), the
 * tokens earlier attempts spent (the budget), and a recorder that puts each call's usage on the meeting and out
 * as a metric as soon as the call returns.
 */
export async function extractMeeting(
  ref: MeetingRef,
  deps: PipelineDeps,
  invocation: ExtractInvocation = {},
): Promise<ExtractSummary> {
  const meeting = await startProcessing(ref, deps);
  const transcript = await readTranscript(meeting, deps);
  const transcriptKey =
    meeting.source.kind === 'audio' && meeting.transcriptKey
      ? meeting.transcriptKey
      : await deps.blobs.putJson(ref, TRANSCRIPT_BLOB, transcript);
  // The uploaded file is client content in plain text; once the transcript is stored encrypted it goes (a
  // retry reads the stored transcript).
  const uploaded = storedFileOf(meeting.source);
  if (uploaded) await deps.uploads.remove(uploaded.objectKey);
  const chars = transcript.utterances.reduce((sum, u) => sum + u.text.length, 0);
  if (chars > deps.settings.transcriptMaxChars) {
    throw new TranscriptTooLongError(chars, deps.settings.transcriptMaxChars);
  }

  const [owner, firm] = await Promise.all([
    deps.users.getUser(meeting.tenantId, meeting.ownerUserId),
    effectiveFirmSettings(meeting.tenantId, deps.firmSettings),
  ]);
  const session: ExtractionSession = {
    tokensSpent: meeting.llmUsage?.tokens ?? 0,
    loadProgress: () => deps.blobs.findJson(ref, EXTRACTION_PROGRESS_BLOB),
    saveProgress: async (progress) =>
      void (await deps.blobs.putJson(ref, EXTRACTION_PROGRESS_BLOB, progress)),
    recordCall: (call) => recordLlmCall(ref, call, deps),
    ...(invocation.remainingMs ? { remainingMs: invocation.remainingMs } : {}),
  };
  const context = {
    meetingDate: meeting.meetingDate,
    advisorName: owner?.name ?? 'Advisor',
    clients: meeting.clientNames,
    firmDisclaimer: firm.followUpDisclaimer,
  };
  let fallbackReason: string | undefined;
  const extracted = await deps.extractor(transcript, context, session).catch((error: unknown) => {
    // The model declined; a firm that allows it keeps the offline extractor's result, which says what it is.
    if (!(error instanceof AppError && error.code === 'model_refused' && firm.offlineOnRefusal)) throw error;
    fallbackReason = `${error.message} The offline extractor's result is kept instead (firm setting offline_on_refusal).`;
    return deps.fallbackExtractor(transcript, context);
  });
  // Whatever the extractor did, the kept draft carries the firm's text verbatim and the lexicon's draft flags.
  const extraction = { ...extracted, follow_up_email: firmFollowUpEmail(extracted.follow_up_email, context) };
  const verified = verifyEvidence(extraction, transcript);
  const extractionKey = await deps.blobs.putJson(
    ref,
    extractionBlobName(verified.extraction),
    verified.extraction,
  );
  return ExtractSummarySchema.parse({
    extractionKey,
    transcriptKey,
    extractor: verified.extraction.extractor,
    counts: countsOf(verified.extraction, verified.report.unverified),
    ...(fallbackReason ? { fallbackReason } : {}),
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

/**
 * One model call's usage onto the meeting (read fresh, replaced only while `processing`) and out as a metric. A
 * concurrent change of the meeting is read again once.
 */
async function recordLlmCall(ref: MeetingRef, call: LlmCall, deps: PipelineDeps): Promise<void> {
  deps.signals.llmCall(call);
  for (let attempt = 0; ; attempt += 1) {
    const meeting = await pipelineMeeting(ref, deps);
    const next: Meeting = {
      ...meeting,
      llmUsage: addLlmCall(meeting.llmUsage, call),
      updatedAt: nowIso(deps),
    };
    try {
      await deps.meetings.replace(next, { status: ['processing'], updatedAt: meeting.updatedAt });
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt > 0) throw error;
    }
  }
}

async function readTranscript(meeting: Meeting, deps: PipelineDeps): Promise<Transcript> {
  const file = storedFileOf(meeting.source);
  if (file && meeting.source.kind === 'transcript') {
    // An earlier attempt stored it and removed the upload.
    const stored = await deps.blobs.findJson(meeting, TRANSCRIPT_BLOB);
    if (stored !== undefined) return TranscriptSchema.parse(stored);
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
