import { describe, expect, it } from 'vitest';
import { parseSrt } from '../../../../functions/core/transcript/parse-srt';

describe('parseSrt', () => {
  it('reads numbered cues with Name: prefixes, joins lines and flags the adviser', () => {
    const transcript = parseSrt(
      [
        '1',
        '00:00:01,000 --> 00:00:04,500',
        'Renata Okafor (Advisor): Your assets are',
        'right around $1.18 million.',
        '',
        '2',
        '00:00:05,000 --> 00:00:06,000 X1:100 X2:200 Y1:10 Y2:20',
        'Doug Pruitt: <i>That’s</i> better — 9%.',
        '',
        '3',
        '00:00:06,500 --> 00:00:07,000',
        '{\\an8}(laughter)',
        '',
      ].join('\r\n'),
    );
    expect(transcript).toEqual({
      source: 'srt',
      utterances: [
        {
          index: 0,
          speaker: 'Renata Okafor',
          role: 'advisor',
          startMs: 1000,
          endMs: 4500,
          text: 'Your assets are right around $1.18 million.',
        },
        { index: 1, speaker: 'Doug Pruitt', startMs: 5000, endMs: 6000, text: 'That’s better — 9%.' },
        { index: 2, speaker: 'Unknown', startMs: 6500, endMs: 7000, text: '(laughter)' },
      ],
      durationMs: 7000,
      speakers: ['Renata Okafor', 'Doug Pruitt', 'Unknown'],
    });
  });

  it('accepts a missing cue number, one-digit hours and a full stop before the milliseconds', () => {
    const transcript = parseSrt('0:00:01.250 --> 0:00:02,000\nAnn: Hi.\n');
    expect(transcript.utterances[0]).toMatchObject({
      speaker: 'Ann',
      startMs: 1250,
      endMs: 2000,
      text: 'Hi.',
    });
  });
});
