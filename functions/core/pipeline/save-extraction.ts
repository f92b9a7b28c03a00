import type { Meeting } from '../meetings/meeting';
import type { ExtractSummary } from './extract-meeting';
import { assertProcessing, nowIso, pipelineMeeting } from './meeting-transitions';
import type { MeetingRef, PipelineDeps } from './ports';

/**
 * The `Save` step: attaches the stored extraction (and transcript) to the meeting, only while it is
 * `processing`. A retry writes the same pointers again.
 */
export async function saveExtraction(
  input: MeetingRef & { extraction: ExtractSummary },
  deps: Pick<PipelineDeps, 'meetings' | 'clock'>,
): Promise<Meeting> {
  const meeting = await pipelineMeeting(input, deps);
  assertProcessing(meeting);
  const { extractionKey, transcriptKey, extractor, counts, fallbackReason } = input.extraction;
  const next: Meeting = {
    ...meeting,
    extractionKey,
    transcriptKey,
    extractor,
    extractionCounts: counts,
    ...(fallbackReason ? { extractionFallbackReason: fallbackReason } : {}),
    updatedAt: nowIso(deps),
  };
  await deps.meetings.replace(next, { status: ['processing'], updatedAt: meeting.updatedAt });
  return next;
}
