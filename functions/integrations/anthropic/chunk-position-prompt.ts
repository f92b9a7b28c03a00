import type { TranscriptChunk } from '../../core/extraction/transcript-chunks';
import { fenced } from './prompt-fence';

/**
 * The extra user-turn block a part of a long meeting carries, after the extraction message: which part it is,
 * which utterances it holds and which of them repeat the previous part, and what to leave to the merge. Kept
 * apart from the extraction prompt so either can change alone; fenced, so transcript text cannot pose as it.
 */
export function chunkPositionNote(chunk: TranscriptChunk): string {
  const first = chunk.transcript.utterances[0]?.index ?? 0;
  const last = chunk.transcript.utterances.at(-1)?.index ?? first;
  const repeated =
    chunk.overlap > 0
      ? ` Its first ${chunk.overlap} utterances (#${first}–#${first + chunk.overlap - 1}) repeat the end of the previous part so nothing said across the cut is lost; record an item from them only if it continues into this part.`
      : '';
  return fenced(
    'part_of_meeting',
    [
      `This transcript is part ${chunk.part} of ${chunk.of} of one long meeting: utterances #${first}–#${last}.${repeated}`,
      'Extract what this part says, citing its utterance numbers as given. The parts are merged afterwards: do not',
      'summarise the parts you cannot see, and when a figure said here corrects one said earlier in the meeting,',
      'record the figure said here. No follow-up email is asked of a part; it is written once from the merged notes.',
    ].join('\n'),
  );
}
