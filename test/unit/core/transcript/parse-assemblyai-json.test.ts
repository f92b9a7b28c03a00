import { describe, expect, it } from 'vitest';
import { parseAssemblyAiTranscript } from '../../../../functions/core/transcript/parse-assemblyai-json';

const word = (text: string, start: number, end: number, speaker: string | null) => ({
  text,
  start,
  end,
  confidence: 0.9,
  speaker,
});

const completed = {
  id: '5551722-f677-48a4-a7c5-1e5cf7ff7f0b',
  status: 'completed',
  text: 'Hi, Doug. Hi.',
  audio_duration: 12.5,
  error: null,
  words: [word('Hi,', 250, 600, 'A'), word('Doug.', 600, 1100, 'A'), word('Hi.', 1500, 1800, 'B')],
  utterances: [
    { speaker: 'A', start: 250, end: 1100, text: 'Hi, Doug.', confidence: 0.95, words: [] },
    { speaker: 'B', start: 1500, end: 1800, text: 'Hi.', confidence: 0.9, words: [] },
  ],
};

describe('parseAssemblyAiTranscript', () => {
  it('turns utterances into Speaker A, Speaker B… with the audio duration', () => {
    expect(parseAssemblyAiTranscript(completed)).toEqual({
      source: 'assemblyai',
      utterances: [
        { index: 0, speaker: 'Speaker A', startMs: 250, endMs: 1100, text: 'Hi, Doug.' },
        { index: 1, speaker: 'Speaker B', startMs: 1500, endMs: 1800, text: 'Hi.' },
      ],
      durationMs: 12_500,
      speakers: ['Speaker A', 'Speaker B'],
    });
  });

  it('accepts the response as JSON text', () => {
    expect(parseAssemblyAiTranscript(JSON.stringify(completed)).utterances).toHaveLength(2);
  });

  it('groups consecutive words by speaker when there are no utterances', () => {
    const transcript = parseAssemblyAiTranscript({
      ...completed,
      utterances: null,
      words: [...completed.words, word('Okay.', 2000, 2400, 'A')],
    });
    expect(transcript.utterances.map((u) => [u.speaker, u.startMs, u.endMs, u.text])).toEqual([
      ['Speaker A', 250, 1100, 'Hi, Doug.'],
      ['Speaker B', 1500, 1800, 'Hi.'],
      ['Speaker A', 2000, 2400, 'Okay.'],
    ]);
  });

  it('makes the whole text one Unknown utterance without words or utterances', () => {
    const transcript = parseAssemblyAiTranscript({ ...completed, utterances: null, words: null });
    expect(transcript.utterances).toEqual([
      { index: 0, speaker: 'Unknown', startMs: 0, endMs: 12_500, text: 'Hi, Doug. Hi.' },
    ]);
  });

  it('keeps names that speaker identification put in place of letters', () => {
    const transcript = parseAssemblyAiTranscript({
      ...completed,
      utterances: [{ speaker: 'Renata Okafor', start: 0, end: 10, text: 'Hello.', confidence: 1, words: [] }],
    });
    expect(transcript.speakers).toEqual(['Renata Okafor']);
  });
});
