import type { Transcript } from '../transcript/transcript';

/** Utterances repeated at the start of the next chunk, so a commitment said across the cut is seen whole. */
export const CHUNK_OVERLAP_UTTERANCES = 3;

/**
 * Splits a transcript whose prompt would exceed the model's input budget into consecutive chunks of whole
 * utterances, each at most `maxChars` of utterance text (one longer utterance becomes a chunk of its own), the
 * next starting `overlap` utterances back. Utterances keep their original `index`, so evidence cited in any
 * chunk points into the whole transcript. A transcript within the budget is one chunk: itself.
 */
export function splitTranscript(
  transcript: Transcript,
  maxChars: number,
  overlap = CHUNK_OVERLAP_UTTERANCES,
): Transcript[] {
  const { utterances } = transcript;
  const chunks: Transcript[] = [];
  let start = 0;
  while (start < utterances.length) {
    let end = start;
    let chars = 0;
    while (end < utterances.length) {
      const size = (utterances[end]?.text.length ?? 0) + (utterances[end]?.speaker.length ?? 0) + 16;
      if (end > start && chars + size > maxChars) break;
      chars += size;
      end += 1;
    }
    chunks.push({ ...transcript, utterances: utterances.slice(start, end) });
    if (end >= utterances.length) break;
    // Step back for the overlap, but always forward by at least one utterance.
    start = Math.max(start + 1, end - overlap);
  }
  return chunks.length > 0 ? chunks : [transcript];
}
