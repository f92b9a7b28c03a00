import { describe, expect, it } from 'vitest';
import type { ComplianceFlag } from '../../../functions/core/extraction/extraction-schema';
import { mergeFlags } from '../../../functions/core/extraction/merge-flags';

const flag = (rule: ComplianceFlag['rule'], index: number, explanation = 'x') => ({
  rule,
  severity: 'high' as const,
  speaker: 'Renata Okafor',
  explanation,
  evidence: [{ utterance_index: index, quote: 'it just does not go down' }],
});

describe('mergeFlags', () => {
  it('marks a flag both sources raised on the same passage as both, keeping the model’s wording', () => {
    const merged = mergeFlags(
      [flag('guarantee_or_promissory', 12, 'model says')],
      [{ ...flag('guarantee_or_promissory', 12, 'lexicon says'), source: 'lexicon' }],
    );
    expect(merged).toEqual([{ ...flag('guarantee_or_promissory', 12, 'model says'), source: 'both' }]);
  });

  it('keeps flags of different rules or passages apart, each with its source', () => {
    const merged = mergeFlags(
      [flag('complaint', 3)],
      [
        { ...flag('guarantee_or_promissory', 12), source: 'lexicon' },
        { ...flag('complaint', 40), source: 'lexicon' },
      ],
    );
    expect(merged.map((f) => `${f.rule}@${f.evidence[0]?.utterance_index}:${f.source}`)).toEqual([
      'complaint@3:model',
      'guarantee_or_promissory@12:lexicon',
      'complaint@40:lexicon',
    ]);
  });
});
