import { MalformedTranscriptError } from './errors';
import { quoteLine } from './quote-line';

/** How one subtitle format writes a cue timestamp. */
export interface TimestampSyntax {
  /** Groups: hours (optional), minutes, seconds, milliseconds. */
  pattern: RegExp;
  /** What the format expects, for the error message: `HH:MM:SS.mmm`. */
  shape: string;
  format: 'webvtt' | 'srt';
}

const TIMING = /^\s*(\S+?)\s*-->\s*(\S+)(?:\s.*)?$/;

/**
 * A cue's timing line → start and end in milliseconds. Whatever follows the end timestamp (WebVTT cue settings,
 * SRT position coordinates) is ignored.
 *
 * @throws MalformedTranscriptError when a timestamp is not in the format's shape, has minutes or seconds over 59,
 * or the cue ends before it starts (`cue` is the cue's 1-based position in the file).
 */
export function parseCueTiming(
  line: string,
  at: { lineNumber: number; cue: number },
  syntax: TimestampSyntax,
): { startMs: number; endMs: number } {
  const fail = (what: string) =>
    new MalformedTranscriptError(`line ${at.lineNumber}: ${what}`, { format: syntax.format });
  const match = TIMING.exec(line);
  const start = match ? timestampMs(match[1] ?? '', syntax.pattern) : 'invalid';
  const end = match ? timestampMs(match[2] ?? '', syntax.pattern) : 'invalid';
  if (start === 'invalid' || end === 'invalid') {
    throw fail(`cue timing ${quoteLine(line)} is not ${syntax.shape} --> ${syntax.shape}`);
  }
  if (start === 'over59' || end === 'over59') {
    throw fail(`cue timing ${quoteLine(line)} has minutes or seconds over 59`);
  }
  if (end < start) throw fail(`end before start in cue ${at.cue} (${match?.[1]} --> ${match?.[2]})`);
  return { startMs: start, endMs: end };
}

function timestampMs(text: string, pattern: RegExp): number | 'invalid' | 'over59' {
  const match = pattern.exec(text);
  if (!match) return 'invalid';
  const [hours, minutes, seconds, millis] = match.slice(1, 5).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  if (minutes > 59 || seconds > 59) return 'over59';
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}
