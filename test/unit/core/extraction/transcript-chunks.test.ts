import { describe, expect, it } from 'vitest';
import { mergeChunkExtractions } from '../../../../functions/core/extraction/merge-extractions';
import { splitTranscript } from '../../../../functions/core/extraction/transcript-chunks';
import type { Transcript } from '../../../../functions/core/transcript/transcript';
import { cite, sampleExtraction } from '../../../support/sample-extraction';

const transcript = (count: number, words = 10): Transcript => ({
  source: 'webvtt',
  durationMs: count * 1000,
  speakers: ['A', 'B'],
  utterances: Array.from({ length: count }, (_v, i) => ({
    index: i,
    speaker: i % 2 ? 'B' : 'A',
    startMs: i * 1000,
    endMs: i * 1000 + 900,
    text: `utterance ${i} ${'word '.repeat(words).trim()}`,
  })),
});

describe('splitTranscript', () => {
  it('keeps a transcript within the budget whole', () => {
    const t = transcript(10);
    expect(splitTranscript(t, 100_000)).toEqual([t]);
  });

  it('covers every utterance in order, keeps original indexes and overlaps consecutive chunks', () => {
    const chunks = splitTranscript(transcript(100), 1_000, 3);
    expect(chunks.length).toBeGreaterThan(3);
    const seen = new Set(chunks.flatMap((c) => c.utterances.map((u) => u.index)));
    expect(seen.size).toBe(100);
    for (let i = 1; i < chunks.length; i += 1) {
      const previous = chunks[i - 1]?.utterances ?? [];
      const next = chunks[i]?.utterances ?? [];
      expect(next[0]?.index).toBe((previous.at(-1)?.index ?? 0) - 2);
    }
  });

  it('puts an utterance longer than the budget in a chunk of its own and still moves forward', () => {
    const chunks = splitTranscript(transcript(5, 500), 100, 3);
    expect(chunks.map((c) => c.utterances.map((u) => u.index))).toEqual([[0], [1], [2], [3], [4]]);
  });
});

describe('mergeChunkExtractions', () => {
  it('keeps items in order and drops the duplicates overlapping chunks produce', () => {
    const [custodian, pension] = sampleExtraction.action_items;
    if (!custodian || !pension) throw new Error('the sample has two action items');
    const second = {
      ...sampleExtraction,
      notes: {
        ...sampleExtraction.notes,
        summary: [{ text: 'annual review with Doug and Melanie', evidence: cite(9, 'x') }],
      },
      action_items: [
        { ...pension, description: 'Find the pension estimate letter!' },
        { ...custodian, description: 'Send the RMD form.' },
      ],
    };
    const merged = mergeChunkExtractions([sampleExtraction, second]);
    expect(merged.notes.summary).toHaveLength(1);
    expect(merged.action_items.map((a) => a.description)).toEqual([
      'Call the custodian about the $75 fee and get it reversed.',
      'Find the pension estimate letter.',
      'Send the RMD form.',
    ]);
    expect(merged.client_facts).toHaveLength(sampleExtraction.client_facts.length);
    expect(merged.compliance_flags).toHaveLength(1);
    expect(merged).not.toHaveProperty('follow_up_email');
  });
});
