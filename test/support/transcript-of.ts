import { buildTranscript } from '../../functions/core/transcript/build-transcript';
import type { Transcript } from '../../functions/core/transcript/transcript';

/**
 * A transcript from `[speaker, text]` lines, one utterance each, `msApart` apart (10 s by default). A speaker
 * written `Name (Advisor)` is the adviser, as in the golden WebVTT files.
 */
export function transcriptOf(lines: readonly (readonly [string, string])[], msApart = 10_000): Transcript {
  return buildTranscript(
    'text',
    lines.map(([label, text], i) => {
      const advisor = /\s*\(Advisor\)$/.exec(label);
      return {
        speaker: advisor ? label.slice(0, advisor.index) : label,
        ...(advisor ? { role: 'advisor' as const } : {}),
        startMs: i * msApart,
        endMs: i * msApart + msApart - 1,
        text,
      };
    }),
    { emptyReason: 'no text' },
  );
}
