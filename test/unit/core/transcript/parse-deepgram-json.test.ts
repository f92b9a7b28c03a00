import { describe, expect, it } from 'vitest';
import { parseDeepgramResponse } from '../../../../functions/core/transcript/parse-deepgram-json';

const word = (w: string, start: number, end: number, speaker?: number) => ({
  word: w.toLowerCase().replace(/[^a-z]/g, ''),
  punctuated_word: w,
  start,
  end,
  confidence: 0.99,
  ...(speaker === undefined ? {} : { speaker, speaker_confidence: 0.8 }),
});

const words = [word('Hi,', 0.08, 0.4, 0), word('Doug.', 0.4, 0.9, 0), word('Hello!', 1.2345, 1.8, 1)];

const response = {
  metadata: {
    request_id: 'b2c1',
    sha256: 'ab',
    created: '2026-01-20T10:00:00.000Z',
    duration: 30.25,
    channels: 1,
  },
  results: {
    channels: [{ alternatives: [{ transcript: 'hi doug hello', confidence: 0.98, words }] }],
    utterances: [
      {
        start: 0.08,
        end: 0.9,
        confidence: 0.97,
        channel: 0,
        transcript: 'Hi, Doug.',
        words: [],
        speaker: 0,
        id: 'u1',
      },
      {
        start: 1.2345,
        end: 1.8,
        confidence: 0.9,
        channel: 0,
        transcript: 'Hello!',
        words: [],
        speaker: 1,
        id: 'u2',
      },
    ],
  },
};

describe('parseDeepgramResponse', () => {
  it('turns utterances into Speaker 0, Speaker 1… with seconds as integer milliseconds', () => {
    expect(parseDeepgramResponse(response)).toEqual({
      source: 'deepgram',
      utterances: [
        { index: 0, speaker: 'Speaker 0', startMs: 80, endMs: 900, text: 'Hi, Doug.' },
        { index: 1, speaker: 'Speaker 1', startMs: 1235, endMs: 1800, text: 'Hello!' },
      ],
      durationMs: 30_250,
      speakers: ['Speaker 0', 'Speaker 1'],
    });
  });

  it('groups channel 0 words by speaker, preferring punctuated_word, when there are no utterances', () => {
    const { utterances: _dropped, ...results } = response.results;
    const transcript = parseDeepgramResponse(JSON.stringify({ ...response, results }));
    expect(transcript.utterances.map((u) => [u.speaker, u.startMs, u.endMs, u.text])).toEqual([
      ['Speaker 0', 80, 900, 'Hi, Doug.'],
      ['Speaker 1', 1235, 1800, 'Hello!'],
    ]);
  });

  it('calls words without diarisation Unknown and falls back to plain word', () => {
    const plain = [{ word: 'hello', start: 0, end: 0.5, confidence: 1 }, word('there.', 0.5, 1)];
    const transcript = parseDeepgramResponse({
      results: { channels: [{ alternatives: [{ transcript: 'hello there', words: plain }] }] },
    });
    expect(transcript.utterances).toEqual([
      { index: 0, speaker: 'Unknown', startMs: 0, endMs: 1000, text: 'hello there.' },
    ]);
  });

  it('makes the transcript one Unknown utterance when there are no words', () => {
    const transcript = parseDeepgramResponse({
      metadata: { duration: 4 },
      results: { channels: [{ alternatives: [{ transcript: 'Hello there.', words: [] }] }] },
    });
    expect(transcript.utterances).toEqual([
      { index: 0, speaker: 'Unknown', startMs: 0, endMs: 4000, text: 'Hello there.' },
    ]);
  });
});
