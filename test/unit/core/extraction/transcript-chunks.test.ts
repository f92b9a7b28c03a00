import { describe, expect, it } from 'vitest';
import { EXTRACTION_LIMITS } from '../../../../functions/core/extraction/extraction-schema';
import {
  type ChunkExtraction,
  mergeChunkExtractions,
} from '../../../../functions/core/extraction/merge-extractions';
import { outputCap, transcriptChars } from '../../../../functions/core/extraction/output-estimate';
import {
  chunkKey,
  halveChunk,
  planChunks,
  splitTranscript,
} from '../../../../functions/core/extraction/transcript-chunks';
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
    expect(splitTranscript(t, 100_000)).toEqual([{ transcript: t, part: '1', of: 1, overlap: 0 }]);
  });

  it('covers every utterance in order, keeps original indexes, overlaps and numbers consecutive chunks', () => {
    const chunks = splitTranscript(transcript(100), 1_000, 3);
    expect(chunks.length).toBeGreaterThan(3);
    const seen = new Set(chunks.flatMap((c) => c.transcript.utterances.map((u) => u.index)));
    expect(seen.size).toBe(100);
    expect(chunks.map((c) => c.part)).toEqual(chunks.map((_c, i) => String(i + 1)));
    expect(chunks.every((c) => c.of === chunks.length)).toBe(true);
    expect(chunks[0]?.overlap).toBe(0);
    for (let i = 1; i < chunks.length; i += 1) {
      const previous = chunks[i - 1]?.transcript.utterances ?? [];
      const next = chunks[i]?.transcript.utterances ?? [];
      expect(next[0]?.index).toBe((previous.at(-1)?.index ?? 0) - 2);
      expect(chunks[i]?.overlap).toBe(3);
    }
  });

  it('puts an utterance longer than the budget in a chunk of its own and still moves forward', () => {
    const chunks = splitTranscript(transcript(5, 500), 100, 3);
    expect(chunks.map((c) => c.transcript.utterances.map((u) => u.index))).toEqual([[0], [1], [2], [3], [4]]);
  });
});

describe('planChunks', () => {
  it('takes one call up to about 75 minutes of speech and parts of under an hour beyond', () => {
    // ~2,200 utterances of ~100 characters: about four hours.
    const long = transcript(2_200, 16);
    const plan = planChunks(long);
    expect(plan.length).toBeGreaterThanOrEqual(4);
    for (const chunk of plan) expect(transcriptChars(chunk.transcript)).toBeLessThanOrEqual(40_000);
    expect(planChunks(transcript(300, 16))).toHaveLength(1);
  });

  it('gives every part a cap that needs no streaming', () => {
    for (const chunk of planChunks(transcript(2_200, 16))) {
      expect(outputCap(transcriptChars(chunk.transcript), 128_000)).toBeLessThanOrEqual(21_333);
    }
  });
});

describe('halveChunk', () => {
  it('splits a whole meeting into parts 1 and 2 of 2 that overlap, and part 3 into 3a and 3b', () => {
    const [first, second] = halveChunk({ transcript: transcript(40), part: '1', of: 1, overlap: 0 }, 3);
    expect(first?.transcript.utterances.map((u) => u.index)).toEqual([...Array(20).keys()]);
    expect(second?.transcript.utterances[0]?.index).toBe(17);
    expect([first?.part, second?.part, second?.of, second?.overlap]).toEqual(['1', '2', 2, 3]);
    const halves = halveChunk({ transcript: transcript(40), part: '3', of: 5, overlap: 3 }, 3);
    expect(halves.map((h) => `${h.part}/${h.of}`)).toEqual(['3a/5', '3b/5']);
    expect(chunkKey(halves[0] ?? ({} as never))).toBe('0-19');
  });

  it('cannot halve a single utterance', () => {
    expect(halveChunk({ transcript: transcript(1), part: '2', of: 3, overlap: 0 })).toHaveLength(1);
  });
});

const part = (overrides: Partial<ChunkExtraction>): ChunkExtraction => ({
  notes: {
    summary: [],
    financial_situation: [],
    goals_and_concerns: [],
    recommendations: [],
    next_steps: [],
  },
  action_items: [],
  client_facts: [],
  compliance_flags: [],
  ...overrides,
});

describe('mergeChunkExtractions', () => {
  const [custodian, pension] = sampleExtraction.action_items;
  if (!custodian || !pension) throw new Error('the sample has two action items');

  it('drops the duplicates overlapping chunks produce: same owner on an overlapping utterance, or same text', () => {
    const second = part({
      notes: {
        ...part({}).notes,
        summary: [{ text: 'annual review with Doug and Melanie', evidence: cite(9, 'x') }],
      },
      action_items: [
        { ...pension, description: 'Look for the pension letter.', due_date: '2026-01-25' },
        { ...custodian, owner: 'Doug Pruitt', description: 'Ask Doug to call too.' },
        { ...custodian, evidence: cite(90, 'later'), description: 'Send the RMD form.' },
      ],
    });
    const merged = mergeChunkExtractions([sampleExtraction, second]);
    expect(merged.notes.summary).toHaveLength(1);
    expect(merged.action_items.map((a) => a.description)).toEqual([
      'Call the custodian about the $75 fee and get it reversed.',
      'Ask Doug to call too.',
      'Find the pension estimate letter.',
      'Send the RMD form.',
    ]);
    // A due date the later part resolved fills the one the first left open.
    expect(merged.action_items[2]?.due_date).toBe('2026-01-25');
    expect(merged.client_facts).toHaveLength(sampleExtraction.client_facts.length);
    expect(merged.compliance_flags).toHaveLength(1);
    expect(merged).not.toHaveProperty('follow_up_email');
  });

  it('lets a later figure supersede an earlier one of the same fact, as a correction does', () => {
    const earlier = part({
      client_facts: [
        {
          category: 'assets',
          fact: "Doug's 401(k) is $420,000.",
          value: 420000,
          evidence: cite(16, 'four twenty'),
        },
      ],
    });
    const later = part({
      client_facts: [
        {
          category: 'assets',
          fact: "Doug's 401(k) is $465,000.",
          value: 465000,
          evidence: cite(400, 'four sixty-five'),
        },
      ],
    });
    const merged = mergeChunkExtractions([earlier, later]);
    expect(merged.client_facts.map((f) => f.value)).toEqual([465000]);
  });

  it('keeps the higher severity of a flag both parts raised on the same utterance', () => {
    const flag = sampleExtraction.compliance_flags[0];
    if (!flag) throw new Error('the sample has a flag');
    const { source: _s, ...modelFlag } = flag;
    const merged = mergeChunkExtractions([
      part({ compliance_flags: [{ ...modelFlag, severity: 'low' }] }),
      part({ compliance_flags: [{ ...modelFlag, severity: 'high' }] }),
    ]);
    expect(merged.compliance_flags.map((f) => f.severity)).toEqual(['high']);
  });

  it('trims every list to the schema limit, keeping items from every part', () => {
    const notes = (from: number) =>
      Array.from({ length: 12 }, (_v, i) => ({ text: `Point ${from + i}.`, evidence: cite(from + i, 'x') }));
    const parts = [0, 100, 200].map((from) => part({ notes: { ...part({}).notes, summary: notes(from) } }));
    const merged = mergeChunkExtractions(parts);
    expect(merged.notes.summary).toHaveLength(EXTRACTION_LIMITS.notesPerCategory);
    const indexes = merged.notes.summary.map((n) => n.evidence[0]?.utterance_index ?? -1);
    for (const from of [0, 100, 200]) expect(indexes.some((i) => i >= from && i < from + 12)).toBe(true);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
  });
});
