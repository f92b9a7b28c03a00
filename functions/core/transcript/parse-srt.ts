import { buildTranscript, type UtteranceDraft } from './build-transcript';
import { decodeCharacterReferences } from './character-references';
import { cueBlocks, isTimingLine, splitLines } from './cue-blocks';
import { parseCueTiming, type TimestampSyntax } from './cue-timing';
import { MalformedTranscriptError } from './errors';
import { quoteLine } from './quote-line';
import { speakerFromLabel, splitSpeakerPrefix } from './speaker-name';
import { type Transcript, UNKNOWN_SPEAKER } from './transcript';

// Hours may have one digit in the wild; a full stop instead of the comma is a common slip players accept.
const TIMESTAMPS: TimestampSyntax = {
  pattern: /^(\d{1,3}):(\d{2}):(\d{2})[,.](\d{3})$/,
  shape: 'HH:MM:SS,mmm',
  format: 'srt',
};
const CUE_NUMBER = /^\s*\d+\s*$/;
// HTML-like tags (`<i>`, `<font color="…">`) and ASS override codes (`{\an8}`) that some SRT files carry.
const MARKUP = /<\/?[a-zA-Z][^<>]*>|\{\\[^{}]*\}/g;
const format = 'srt';

/**
 * Parses a SubRip (SRT) transcript: blocks of a cue number, a `HH:MM:SS,mmm --> HH:MM:SS,mmm` timing (position
 * coordinates after it ignored) and text lines, which are joined with a space. The speaker comes from a
 * `Name: text` prefix (`Renata Okafor (Advisor): …` flags the adviser), else is `Unknown`. Formatting tags are
 * removed and character references decoded. A cue without its number is accepted.
 *
 * @throws MalformedTranscriptError naming the line and what is wrong with it.
 */
export function parseSrt(text: string): Transcript {
  const drafts: UtteranceDraft[] = [];
  let cues = 0;
  for (const block of cueBlocks(splitLines(text))) {
    const [first = '', second] = block.lines;
    let timingAt = 0;
    if (!isTimingLine(first)) {
      if (!CUE_NUMBER.test(first)) {
        throw new MalformedTranscriptError(
          second !== undefined && isTimingLine(second)
            ? `line ${block.line}: cue number ${quoteLine(first)} is not a whole number`
            : `line ${block.line}: expected a cue number or timing line, found ${quoteLine(first)}`,
          { format },
        );
      }
      if (second === undefined || !isTimingLine(second)) {
        throw new MalformedTranscriptError(
          `line ${block.line + 1}: expected a cue timing line after cue number ${first.trim()}, found ${
            second === undefined ? 'the end of the cue' : quoteLine(second)
          }`,
          { format },
        );
      }
      timingAt = 1;
    }
    cues += 1;
    const { startMs, endMs } = parseCueTiming(
      block.lines[timingAt] ?? '',
      { lineNumber: block.line + timingAt, cue: cues },
      TIMESTAMPS,
    );
    const cueText = decodeCharacterReferences(
      block.lines
        .slice(timingAt + 1)
        .join('\n')
        .replace(MARKUP, ''),
    );
    const prefixed = splitSpeakerPrefix(cueText);
    drafts.push(
      prefixed
        ? { ...speakerFromLabel(prefixed.label), startMs, endMs, text: prefixed.rest }
        : { speaker: UNKNOWN_SPEAKER, startMs, endMs, text: cueText },
    );
  }
  if (cues === 0) throw new MalformedTranscriptError('no cues', { format });
  return buildTranscript(format, drafts, { emptyReason: 'every cue is empty' });
}
