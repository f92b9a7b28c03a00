import { buildTranscript, type UtteranceDraft } from './build-transcript';
import { splitLines } from './cue-blocks';
import { MalformedTranscriptError } from './errors';
import { meetFrameLines } from './meet-transcript-frame';
import { quoteLine } from './quote-line';
import { SPEAKER_LABEL, type Speaker, speakerFromLabel, splitSpeakerPrefix } from './speaker-name';
import { type Transcript, UNKNOWN_SPEAKER } from './transcript';

const CLOCK = String.raw`(?:(\d{1,2}):(\d{2})|(\d{1,3})):(\d{2})(?:[.,]\d{1,3})?`;
// `[00:01:02] Name: text` or `(01:02) Name: text`; a bare `10:30 …` at a line's start is speech, not a clock.
const BRACKETED_CLOCK = new RegExp(String.raw`^\s*([\[(]${CLOCK}[\])])\s*([\s\S]*)$`);
// Otter's export puts `Name  0:03` on a line of its own, the speech on the lines after it.
const NAME_THEN_CLOCK = new RegExp(String.raw`^\s*(${SPEAKER_LABEL})[ \t]+(${CLOCK})\s*$`, 'u');
// Google Meet's `00:05:00` on a line of its own marks where the following speech starts; hours are required,
// so a bare `10:30` stays speech.
const SECTION_CLOCK = /^\s*((\d{1,2}):(\d{2}):(\d{2}))\s*$/;
const format = 'text';

interface Turn extends Speaker {
  startMs: number | undefined;
  text: string;
}

/**
 * Parses a plain-text transcript. A line `Name: text`, `[00:01:02] Name: text` (also `[01:02]`, `(00:01:02)`) or
 * Otter's `Name  0:03` starts an utterance; a line without a prefix continues the current one (a speaker's turn
 * may run over several lines and paragraphs); text before any prefix, and a timestamp without a name, are
 * `Unknown` speech. `(Advisor)` after a name flags the adviser. Google Meet's export is read too: its title,
 * attendee and closing lines are dropped, and an `HH:MM:SS` line on its own times the utterance after it.
 *
 * Timings: a transcript without timestamps has `startMs`, `endMs` and `durationMs` all 0. With timestamps, an
 * utterance starts at its timestamp (or its predecessor's start when it has none) and ends where the next one
 * starts; the last one ends where it starts, since nothing says how long it ran.
 *
 * @throws MalformedTranscriptError for a timestamp with minutes or seconds over 59, or a file without text.
 */
export function parsePlainText(text: string): Transcript {
  const turns: Turn[] = [];
  let current: Turn | undefined;
  const start = (speaker: Speaker, startMs: number | undefined, words: string) => {
    current = { ...speaker, startMs, text: words };
    turns.push(current);
  };

  const lines = splitLines(text);
  const frame = meetFrameLines(lines);
  let sectionStartMs: number | undefined;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '' || frame.has(i)) continue;
    const section = SECTION_CLOCK.exec(line);
    if (section) {
      sectionStartMs = clockMs([section[2], section[3], undefined, section[4]], i + 1, section[1] ?? '');
      continue;
    }
    const header = NAME_THEN_CLOCK.exec(line);
    if (header) {
      start(speakerFromLabel(header[1] ?? ''), clockMs(header.slice(3, 7), i + 1, header[2] ?? ''), '');
      sectionStartMs = undefined;
      continue;
    }
    const stamped = BRACKETED_CLOCK.exec(line);
    const startMs = stamped ? clockMs(stamped.slice(2, 6), i + 1, stamped[1] ?? '') : sectionStartMs;
    const rest = stamped ? (stamped[6] ?? '') : line;
    const prefixed = splitSpeakerPrefix(rest);
    if (prefixed) start(speakerFromLabel(prefixed.label), startMs, prefixed.rest);
    else if (stamped || current === undefined) start({ speaker: UNKNOWN_SPEAKER }, startMs, rest);
    else {
      current.text += `\n${rest}`;
      continue;
    }
    sectionStartMs = undefined;
  }

  const spoken = turns.filter((turn) => turn.text.trim() !== '');
  return buildTranscript(format, timed(spoken), { emptyReason: 'the file has no text' });
}

function timed(turns: readonly Turn[]): UtteranceDraft[] {
  let previousStart = 0;
  const started = turns
    .map(({ startMs, ...turn }) => {
      previousStart = startMs ?? previousStart;
      return { ...turn, startMs: previousStart };
    })
    .sort((a, b) => a.startMs - b.startMs);
  return started.map((turn, i) => ({ ...turn, endMs: Math.max(turn.startMs, started[i + 1]?.startMs ?? 0) }));
}

/** `[h, mm, m, ss]` groups of CLOCK → milliseconds (fractions of a second dropped). */
function clockMs(groups: readonly (string | undefined)[], line: number, shown: string): number {
  const [hours, minutes, longMinutes, seconds] = groups.map((group) => Number(group ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  if (seconds > 59 || (groups[0] !== undefined && minutes > 59)) {
    throw new MalformedTranscriptError(
      `line ${line}: timestamp ${quoteLine(shown)} has minutes or seconds over 59`,
      { format },
    );
  }
  return ((hours * 60 + minutes + longMinutes) * 60 + seconds) * 1000;
}
