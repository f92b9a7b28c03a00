import { MalformedTranscriptError } from './errors';
import type { Transcript, TranscriptSource, Utterance } from './transcript';

/** An utterance as a parser read it: text not yet normalised, no index. */
export interface UtteranceDraft {
  speaker: string;
  role?: 'advisor' | undefined;
  startMs: number;
  endMs: number;
  text: string;
}

// Invisible direction marks (&lrm; &rlm;) carry no words and would break quote matching.
const DIRECTION_MARKS = /[\u200E\u200F]/g;

/**
 * Whitespace of any kind (line breaks, tabs, no-break spaces) collapsed to one space and trimmed; direction
 * marks removed. Nothing else changes, so quotes stay byte-exact.
 */
export function normaliseUtteranceText(text: string): string {
  return text.replace(DIRECTION_MARKS, '').replace(/\s+/g, ' ').trim();
}

/**
 * Drafts → the normalised transcript: text normalised, empty utterances dropped, a stable sort by start (cross-talk
 * stays as the file ordered it when starts tie), indexes 0…n-1, speakers in order of first appearance.
 * `durationMs` is the last end, or the vendor's audio duration when that is longer.
 *
 * @throws MalformedTranscriptError `emptyReason` when no utterance has any text.
 */
export function buildTranscript(
  source: TranscriptSource,
  drafts: readonly UtteranceDraft[],
  options: { emptyReason: string; declaredDurationMs?: number | undefined },
): Transcript {
  const kept = drafts
    .map((draft) => ({ ...draft, text: normaliseUtteranceText(draft.text) }))
    .filter((draft) => draft.text.length > 0)
    .sort((a, b) => a.startMs - b.startMs);
  if (kept.length === 0) throw new MalformedTranscriptError(options.emptyReason, { format: source });

  const speakers: string[] = [];
  const seen = new Set<string>();
  let durationMs = options.declaredDurationMs ?? 0;
  const utterances = kept.map((draft, index): Utterance => {
    if (!seen.has(draft.speaker)) {
      seen.add(draft.speaker);
      speakers.push(draft.speaker);
    }
    durationMs = Math.max(durationMs, draft.endMs);
    return {
      index,
      speaker: draft.speaker,
      ...(draft.role === 'advisor' ? { role: 'advisor' as const } : {}),
      startMs: draft.startMs,
      endMs: draft.endMs,
      text: draft.text,
    };
  });
  return { source, utterances, durationMs, speakers };
}
