import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWebVtt } from '../../../../functions/core/transcript/parse-webvtt';
import type { Utterance } from '../../../../functions/core/transcript/transcript';

type CueStyle = 'numbered' | 'teams' | 'none';
interface Cue extends Omit<Utterance, 'index'> {
  closeVoice: boolean;
  /** Where to break the text onto a second line (a word boundary), if anywhere. */
  breakAt: number | undefined;
}

/** A test-only WebVTT writer, in the styles the golden meetings and real exports use. */
function toWebVtt(cues: readonly Cue[], style: CueStyle, shortClock: boolean): string {
  const two = (n: number, width = 2) => String(n).padStart(width, '0');
  const clock = (ms: number) => {
    const h = Math.floor(ms / 3_600_000);
    const rest = `${two(Math.floor(ms / 60_000) % 60)}:${two(Math.floor(ms / 1000) % 60)}.${two(ms % 1000, 3)}`;
    return shortClock && h === 0 ? rest : `${two(h)}:${rest}`;
  };
  const escapeText = (text: string) =>
    text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const blocks = cues.map((cue, i) => {
    const id =
      style === 'numbered'
        ? [`${i + 1}`]
        : style === 'teams'
          ? [`0c5ec4d8-1ae0-465a-af37-9cb8ed7e35cf/${i}-0`]
          : [];
    const words = cue.text.split(' ');
    const at = cue.breakAt === undefined ? words.length : 1 + (cue.breakAt % words.length);
    const text = [words.slice(0, at).join(' '), words.slice(at).join(' ')]
      .filter(Boolean)
      .map(escapeText)
      .join('\n');
    const name = cue.role === 'advisor' ? `${cue.speaker} (Advisor)` : cue.speaker;
    return [
      ...id,
      `${clock(cue.startMs)} --> ${clock(cue.endMs)}`,
      `<v ${name}>${text}${cue.closeVoice ? '</v>' : ''}`,
    ].join('\n');
  });
  return ['WEBVTT', '', blocks.join('\n\n'), ''].join('\n');
}

const characters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const punctuation = [...'.,!?;:\'’"—–-$%&<>()[]/…éñü€'];
const wordArb = fc
  .array(fc.constantFrom(...characters, ...characters, ...punctuation), { minLength: 1, maxLength: 9 })
  .map((chars) => chars.join(''));
const textArb = fc.array(wordArb, { minLength: 1, maxLength: 14 }).map((words) => words.join(' '));
const speakerArb = fc.constantFrom(
  'Renata Okafor',
  'Doug Pruitt',
  "Mary-Jo O'Neil",
  'José Núñez',
  'Speaker A',
  'Dr. Lee',
);

const cuesArb = fc
  .array(
    fc.record({
      gap: fc.nat({ max: 20_000 }),
      length: fc.nat({ max: 15_000 }),
      speaker: speakerArb,
      advisor: fc.boolean(),
      text: textArb,
      closeVoice: fc.boolean(),
      breakAt: fc.option(fc.nat(), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((drafts) => {
    let start = 0;
    // Each cue starts at or after the previous start; its length is free, so cues overlap (cross-talk).
    return drafts.map(({ gap, length, speaker, advisor, text, closeVoice, breakAt }): Cue => {
      start += gap;
      return {
        speaker,
        ...(advisor ? { role: 'advisor' as const } : {}),
        startMs: start,
        endMs: start + length,
        text,
        closeVoice,
        breakAt,
      };
    });
  });

describe('WebVTT round trip', () => {
  it('parses a written transcript back to the same utterances', () => {
    fc.assert(
      fc.property(
        cuesArb,
        fc.constantFrom<CueStyle>('numbered', 'teams', 'none'),
        fc.boolean(),
        (cues, style, short) => {
          const transcript = parseWebVtt(toWebVtt(cues, style, short));
          const expected = cues.map(({ closeVoice: _c, breakAt: _b, ...u }, index) => ({ index, ...u }));
          expect(transcript.utterances).toEqual(expected);
          expect(transcript.speakers).toEqual([...new Set(cues.map((c) => c.speaker))]);
          expect(transcript.durationMs).toBe(Math.max(...cues.map((c) => c.endMs)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
