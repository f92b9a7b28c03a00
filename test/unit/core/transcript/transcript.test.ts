import { describe, expect, it } from 'vitest';
import { parsePlainText } from '../../../../functions/core/transcript/parse-plain-text';
import { parseWebVtt } from '../../../../functions/core/transcript/parse-webvtt';
import {
  formatClock,
  type Transcript,
  TranscriptSchema,
  transcriptPlainText,
  utteranceText,
} from '../../../../functions/core/transcript/transcript';

const transcript = parseWebVtt(
  [
    'WEBVTT',
    '',
    '00:01:02.900 --> 00:01:05.000',
    '<v Renata Okafor (Advisor)>Good morning.',
    '',
    '01:00:00.000 --> 01:00:01.000',
    '<v Doug Pruitt>Bye — 5%.',
  ].join('\n'),
);

describe('the transcript model', () => {
  it('renders prompt text with the clock and the adviser marked', () => {
    expect(transcriptPlainText(transcript)).toBe(
      '[00:01:02] Renata Okafor (Advisor): Good morning.\n[01:00:00] Doug Pruitt: Bye — 5%.',
    );
  });

  it('numbers lines for citations on request, and leaves the clock out of an untimed transcript', () => {
    expect(transcriptPlainText(parsePlainText('Ann: Hi.\nBob: Hello.'), { numbered: true })).toBe(
      '#0 Ann: Hi.\n#1 Bob: Hello.',
    );
  });

  it('formats clocks past 99 hours', () => {
    expect(formatClock(0)).toBe('00:00:00');
    expect(formatClock(360_000_999)).toBe('100:00:00');
  });

  it('answers an utterance text by index, and undefined for no such utterance', () => {
    expect(utteranceText(transcript, 1)).toBe('Bye — 5%.');
    expect(utteranceText(transcript, 2)).toBeUndefined();
    expect(utteranceText(transcript, -1)).toBeUndefined();
    expect(utteranceText(transcript, 0.5)).toBeUndefined();
  });

  it('accepts what the parsers build', () => {
    expect(TranscriptSchema.parse(transcript)).toEqual(transcript);
  });

  it.each<[string, (t: Transcript) => Transcript]>([
    [
      'a gap in the indexes',
      (t) => ({ ...t, utterances: t.utterances.map((u) => ({ ...u, index: u.index * 2 })) }),
    ],
    [
      'an end before its start',
      (t) => ({ ...t, utterances: t.utterances.map((u) => ({ ...u, endMs: u.startMs - 1 })) }),
    ],
    [
      'utterances out of start order',
      (t) => ({ ...t, utterances: [...t.utterances].reverse().map((u, i) => ({ ...u, index: i })) }),
    ],
    ['an end after the duration', (t) => ({ ...t, durationMs: 1 })],
    ['speakers out of order', (t) => ({ ...t, speakers: [...t.speakers].reverse() })],
    [
      'unnormalised text',
      (t) => ({ ...t, utterances: t.utterances.map((u) => ({ ...u, text: ` ${u.text}` })) }),
    ],
    ['no utterances', (t) => ({ ...t, utterances: [], speakers: [] })],
  ])('refuses %s', (_name, change) => {
    expect(TranscriptSchema.safeParse(change(transcript)).success).toBe(false);
  });
});
