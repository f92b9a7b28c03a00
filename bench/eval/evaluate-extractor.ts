import type { ExtractionContext } from '../../functions/core/extraction/extraction-schema';
import type { Extractor } from '../../functions/core/extraction/extractor';
import { type EvidenceReport, verifyEvidence } from '../../functions/core/extraction/verify-evidence';
import type { Transcript } from '../../functions/core/transcript/transcript';
import type { LabelledMeeting } from './labelled-meeting';
import {
  type KindScore,
  type MeetingScore,
  type ScoredKind,
  scoreExtraction,
  totalScore,
} from './score-extraction';

/** A labelled meeting with its transcript, as the evaluation reads them. */
export interface LabelledTranscript {
  labels: LabelledMeeting;
  transcript: Transcript;
}

export interface MeetingEvaluation extends MeetingScore {
  /** What evidence verification found in this meeting's extraction. */
  evidence: EvidenceReport;
  /** Which extractor (and model) produced it, as the extraction says. */
  extractor: string;
}

export interface EvaluationReport {
  meetings: MeetingEvaluation[];
  totals: Record<ScoredKind, KindScore>;
}

/**
 * Runs an extractor over labelled meetings one by one and scores each extraction after evidence verification, as
 * the pipeline would keep it: per meeting and micro-averaged totals of precision, recall and F1 for action items,
 * client facts and compliance flags, plus not_flags hits. Any `Extractor` plugs in (offline, Claude).
 */
export async function evaluateExtractor(
  meetings: readonly LabelledTranscript[],
  extractor: Extractor,
  options: { firmDisclaimer?: string } = {},
): Promise<EvaluationReport> {
  const evaluations: MeetingEvaluation[] = [];
  for (const { labels, transcript } of meetings) {
    const context: ExtractionContext = {
      meetingDate: labels.meeting_date,
      advisorName: labels.advisor,
      clients: labels.clients,
      firmDisclaimer: options.firmDisclaimer ?? '',
    };
    const extraction = await extractor(transcript, context);
    const verified = verifyEvidence(extraction, transcript);
    evaluations.push({
      ...scoreExtraction({ labels, transcript, extraction: verified.extraction }),
      evidence: verified.report,
      extractor: extraction.model ? `${extraction.extractor} (${extraction.model})` : extraction.extractor,
    });
  }
  return { meetings: evaluations, totals: totalScore(evaluations) };
}
