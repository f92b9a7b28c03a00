import { buildTranscript, type UtteranceDraft } from './build-transcript';
import { decodeCharacterReferences } from './character-references';
import { cueBlocks, isCueIdentifier, isTimingLine, splitLines } from './cue-blocks';
import { parseCueTiming, type TimestampSyntax } from './cue-timing';
import { MalformedTranscriptError } from './errors';
import { quoteLine } from './quote-line';
import { speakerFromLabel, splitSpeakerPrefix } from './speaker-name';
import type { Transcript } from './transcript';
import { UNKNOWN_SPEAKER } from './transcript';

const HEADER = /^WEBVTT(?:[ \t].*)?$/;
const TIMESTAMPS: TimestampSyntax = {
  pattern: /^(?:(\d{2,}):)?(\d{2}):(\d{2})\.(\d{3})$/,
  shape: 'HH:MM:SS.mmm',
  format: 'webvtt',
};
const NOTE_BLOCK = /^NOTE(?:[ \t].*)?$/;
const STYLE_OR_REGION_BLOCK = /^(?:STYLE|REGION)[ \t]*$/;
// Tags (`<v.loud Name>`, `</v>`, `<c.yellow>`, `<i>`, `<lang en>`) and inline timestamps (`<00:00:01.000>`).
const MARKUP =
  /<(\/?)([a-zA-Z][a-zA-Z\d]*)(?:\.[^\s.<>]+)*(?:[ \t\n\f]+([^<>]*))?>|<\d+(?::\d{2}){1,2}\.\d{3}>/g;
const format = 'webvtt';

/**
 * Parses a WebVTT transcript (Zoom, Teams, Meet exports and the golden meetings). The `WEBVTT` header is required;
 * cue identifiers may be numeric, Teams-style (`<guid>/12-0`) or absent; timings are `HH:MM:SS.mmm` or `MM:SS.mmm`
 * and cue settings after them are ignored; NOTE, STYLE and REGION blocks are skipped. The speaker comes from the
 * cue's voice tag (`<v Renata Okafor (Advisor)>` → `Renata Okafor`, adviser), else from a `Name:` prefix (Zoom),
 * else is `Unknown`; a cue with several voices gives one utterance per voice. Other tags are removed, character
 * references decoded and the cue's lines joined with a space. Cross-talk (a cue starting before the previous one
 * ends) is kept, in start order.
 *
 * @throws MalformedTranscriptError naming the line and what is wrong with it.
 */
export function parseWebVtt(text: string): Transcript {
  const lines = splitLines(text);
  let headerAt = lines.findIndex((line) => line.trim() !== '');
  if (headerAt === -1) headerAt = 0;
  const header = lines[headerAt] ?? '';
  if (!HEADER.test(header)) {
    throw new MalformedTranscriptError(
      `line ${headerAt + 1}: the file does not start with the 'WEBVTT' header (found ${quoteLine(header)})`,
      { format },
    );
  }
  const drafts: UtteranceDraft[] = [];
  let cues = 0;
  for (const block of cueBlocks(lines, endOfHeader(lines, headerAt + 1))) {
    const [first = '', second = ''] = block.lines;
    if (NOTE_BLOCK.test(first)) continue;
    const timingAt = isTimingLine(first) ? 0 : isTimingLine(second) ? 1 : -1;
    if (timingAt === -1 && STYLE_OR_REGION_BLOCK.test(first)) continue;
    if (timingAt === -1) throw missingTiming(block.line, first, second, block.lines.length > 1);
    cues += 1;
    const at = { lineNumber: block.line + timingAt, cue: cues };
    const { startMs, endMs } = parseCueTiming(block.lines[timingAt] ?? '', at, TIMESTAMPS);
    for (const segment of voiceSegments(block.lines.slice(timingAt + 1).join('\n'))) {
      drafts.push({ ...segment, startMs, endMs });
    }
  }
  if (cues === 0) throw new MalformedTranscriptError('no cues', { format });
  return buildTranscript(format, drafts, { emptyReason: 'every cue is empty' });
}

// Header lines (`Kind: captions`) run to the first blank line; a timing line there is a cue missing its blank line.
function endOfHeader(lines: readonly string[], from: number): number {
  let i = from;
  while (i < lines.length && (lines[i] ?? '').trim() !== '' && !isTimingLine(lines[i] ?? '')) i++;
  const identifierBefore = i > from && isTimingLine(lines[i] ?? '') && isCueIdentifier(lines[i - 1] ?? '');
  return identifierBefore ? i - 1 : i;
}

function missingTiming(
  line: number,
  first: string,
  second: string,
  hasSecond: boolean,
): MalformedTranscriptError {
  const reason =
    hasSecond && isCueIdentifier(first)
      ? `line ${line + 1}: expected a cue timing line after cue identifier ${quoteLine(first)}, found ${quoteLine(second)}`
      : `line ${line}: expected a cue timing line (HH:MM:SS.mmm --> HH:MM:SS.mmm), found ${quoteLine(first)}`;
  return new MalformedTranscriptError(reason, { format });
}

/** The cue's text split by voice: each segment's speaker and its text with markup removed. */
function voiceSegments(cueText: string): Omit<UtteranceDraft, 'startMs' | 'endMs'>[] {
  const segments: { label: string | undefined; text: string }[] = [{ label: undefined, text: '' }];
  let position = 0;
  for (const match of cueText.matchAll(MARKUP)) {
    const current = segments.at(-1) as { label: string | undefined; text: string };
    current.text += decodeCharacterReferences(cueText.slice(position, match.index));
    position = match.index + match[0].length;
    const label = match[1] === '' && match[2] === 'v' ? decodeCharacterReferences(match[3] ?? '').trim() : '';
    if (label === '' || label === current.label) continue;
    // Text before the first voice tag (a leading dash, say) belongs to that voice.
    if (current.label === undefined) current.label = label;
    else segments.push({ label, text: '' });
  }
  const last = segments.at(-1) as { label: string | undefined; text: string };
  last.text += decodeCharacterReferences(cueText.slice(position));

  return segments.map(({ label, text }) => {
    if (label !== undefined) return { ...speakerFromLabel(label), text };
    const prefixed = splitSpeakerPrefix(text);
    return prefixed
      ? { ...speakerFromLabel(prefixed.label), text: prefixed.rest }
      : { speaker: UNKNOWN_SPEAKER, text };
  });
}
