import { UNKNOWN_SPEAKER } from './transcript';

/** A speaker as the transcript model records it. */
export interface Speaker {
  speaker: string;
  role?: 'advisor' | undefined;
}

const ADVISOR_SUFFIX = /^(.*?)\s*\(\s*advis[eo]r\s*\)$/i;

/**
 * A speaker label as written in a file (`Renata Okafor (Advisor)`, `Speaker 1`) → the bare name, with the
 * adviser flagged when the label carries the ` (Advisor)` suffix. An empty label is the unknown speaker.
 */
export function speakerFromLabel(label: string): Speaker {
  const clean = label.replace(/\s+/g, ' ').trim();
  const advisor = ADVISOR_SUFFIX.exec(clean);
  if (advisor?.[1]) return { speaker: advisor[1], role: 'advisor' };
  return { speaker: clean || UNKNOWN_SPEAKER };
}

// A name is capitalised words (digits allowed after the first: `Speaker 2`), lower-case particles (`van`, `de`)
// and at most one parenthesised note (`(Advisor)`); so "Okay so here's the thing: …" is not a speaker.
const WORD = String.raw`\p{Lu}[\p{L}\p{M}\d.'’-]*`;
const LATER_WORD = String.raw`(?:[\p{Lu}\d][\p{L}\p{M}\d.'’-]*|de|da|di|du|del|della|der|den|van|von|la|le|bin|al|y|dos|das)`;
const NOTE = String.raw`\([^()\n]{1,24}\)`;
export const SPEAKER_LABEL = String.raw`${WORD}(?:[ \t]+${LATER_WORD}){0,5}(?:[ \t]+${NOTE})?`;
const PREFIX = new RegExp(String.raw`^\s*(${SPEAKER_LABEL})[ \t]*:(?:\s+([\s\S]*))?$`, 'u');
const MAX_LABEL_LENGTH = 60;

/**
 * Splits a `Name: text` prefix off a line of speech (Zoom's VTT, SRT, plain text). `rest` is empty for a
 * label-only line (`Name:`). Undefined when the text does not start with something shaped like a name.
 */
export function splitSpeakerPrefix(text: string): { label: string; rest: string } | undefined {
  const match = PREFIX.exec(text);
  const label = match?.[1];
  if (!label || label.length > MAX_LABEL_LENGTH) return undefined;
  return { label, rest: match[2] ?? '' };
}
