import type { Transcript, Utterance } from '../transcript/transcript';
import {
  OUTPUT_BASE_TOKENS,
  OUTPUT_TOKENS_PER_CHAR,
  transcriptChars,
  utteranceChars,
} from './output-estimate';

/** Utterances repeated at the start of the next chunk, so a commitment said across the cut is seen whole. */
export const CHUNK_OVERLAP_UTTERANCES = 6;

/**
 * The expected output one call may carry before a meeting is split: about 75 minutes of speech in one call,
 * chunks of about 45–55 minutes beyond that. Chunks are sized by what they will write, not by the context
 * window, because a long answer is what truncates and what costs.
 */
export const SINGLE_CALL_MAX_OUTPUT_TOKENS = 18_000;
export const CHUNK_TARGET_OUTPUT_TOKENS = 13_000;

/** The transcript characters whose expected output is `tokens`. */
export function charsForOutput(tokens: number): number {
  return Math.floor((tokens - OUTPUT_BASE_TOKENS) / OUTPUT_TOKENS_PER_CHAR);
}

/** One part of a long meeting: its utterances (original indexes kept) and where it sits. */
export interface TranscriptChunk {
  transcript: Transcript;
  /** Position among the meeting's parts: `1`…`of`; the halves of a part that truncated are `3a`, `3b`. */
  part: string;
  of: number;
  /** Utterances at the start that repeat the end of the previous part (0 for the first). */
  overlap: number;
}

/**
 * Splits a transcript into consecutive chunks of whole utterances, each at most `maxChars` (as the prompt carries
 * them; one longer utterance becomes a chunk of its own), the next starting `overlap` utterances back. Utterances
 * keep their original `index`, so evidence cited in any chunk points into the whole transcript. A transcript
 * within `maxChars` is one chunk: itself.
 */
export function splitTranscript(
  transcript: Transcript,
  maxChars: number,
  overlap = CHUNK_OVERLAP_UTTERANCES,
): TranscriptChunk[] {
  const { utterances } = transcript;
  const slices: { start: number; end: number; overlap: number }[] = [];
  let start = 0;
  let repeated = 0;
  while (start < utterances.length) {
    let end = start;
    let chars = 0;
    while (end < utterances.length) {
      const size = utteranceChars(utterances[end] as Utterance);
      if (end > start && chars + size > maxChars) break;
      chars += size;
      end += 1;
    }
    slices.push({ start, end, overlap: repeated });
    if (end >= utterances.length) break;
    // Step back for the overlap, but always forward by at least one utterance past the previous start.
    const next = Math.max(start + 1, end - overlap);
    repeated = end - next;
    start = next;
  }
  if (slices.length === 0) return [{ transcript, part: '1', of: 1, overlap: 0 }];
  return slices.map((s, i) => ({
    transcript: { ...transcript, utterances: utterances.slice(s.start, s.end) },
    part: String(i + 1),
    of: slices.length,
    overlap: s.overlap,
  }));
}

/**
 * How a meeting is extracted: one call when its expected output fits `SINGLE_CALL_MAX_OUTPUT_TOKENS`, else chunks
 * of about `CHUNK_TARGET_OUTPUT_TOKENS` of expected output each.
 */
export function planChunks(transcript: Transcript): TranscriptChunk[] {
  if (transcriptChars(transcript) <= charsForOutput(SINGLE_CALL_MAX_OUTPUT_TOKENS)) {
    return [{ transcript, part: '1', of: 1, overlap: 0 }];
  }
  return splitTranscript(transcript, charsForOutput(CHUNK_TARGET_OUTPUT_TOKENS));
}

/** A chunk's identity for resuming: the same utterances in the same plan give the same key. */
export function chunkKey(chunk: TranscriptChunk): string {
  const first = chunk.transcript.utterances[0]?.index ?? 0;
  const last = chunk.transcript.utterances.at(-1)?.index ?? 0;
  return `${first}-${last}`;
}

/**
 * A chunk whose answer hit `max_tokens`, as two halves: the second starts `overlap` utterances before the middle
 * (at least one utterance in), so each half expects about half the output. A whole meeting's halves are parts
 * 1 and 2 of 2; part 3's are 3a and 3b.
 */
export function halveChunk(chunk: TranscriptChunk, overlap = CHUNK_OVERLAP_UTTERANCES): TranscriptChunk[] {
  const { utterances } = chunk.transcript;
  if (utterances.length < 2) return [chunk];
  const middle = Math.ceil(utterances.length / 2);
  const start = Math.max(1, middle - overlap);
  const whole = chunk.of === 1;
  return [
    {
      ...chunk,
      transcript: { ...chunk.transcript, utterances: utterances.slice(0, middle) },
      part: whole ? '1' : `${chunk.part}a`,
      of: whole ? 2 : chunk.of,
    },
    {
      transcript: { ...chunk.transcript, utterances: utterances.slice(start) },
      part: whole ? '2' : `${chunk.part}b`,
      of: whole ? 2 : chunk.of,
      overlap: middle - start,
    },
  ];
}
