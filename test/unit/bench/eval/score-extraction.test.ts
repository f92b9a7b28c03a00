import { describe, expect, it } from 'vitest';
import type { LabelledMeeting } from '../../../../bench/eval/labelled-meeting';
import { scoreExtraction, totalScore } from '../../../../bench/eval/score-extraction';
import type {
  ActionItem,
  ClientFact,
  ComplianceFlag,
} from '../../../../functions/core/extraction/extraction-schema';
import { transcriptOf } from '../../../support/transcript-of';

const transcript = transcriptOf([
  [
    'Ana Reyes (Advisor)',
    "I'll send you the beneficiary form by Friday. And our office will mail the trusted contact form.",
  ],
  ['Sam Client', "It's four sixty-five. The mortgage is one thirty-eight."],
  ['Ana Reyes (Advisor)', "Honestly, it just doesn't go down. Not one red year."],
  ['Ana Reyes (Advisor)', 'That guarantee comes from the NCUA, not from me.'],
]);

const labels = (over: Partial<LabelledMeeting> = {}): LabelledMeeting => ({
  id: 'tiny',
  meeting_date: '2026-01-20',
  advisor: 'Ana Reyes',
  clients: ['Sam Client'],
  topics: [],
  action_items: [
    {
      owner: 'advisor',
      description: 'Send the form.',
      due_date: '2026-01-23',
      evidence: "I'll send you the beneficiary form by Friday.",
    },
    {
      owner: 'staff',
      description: 'Mail the form.',
      due_date: null,
      evidence: 'our office will mail the trusted contact form',
    },
  ],
  client_facts: [
    { category: 'assets', fact: '401(k) $465,000', value: 465000, evidence: "It's four sixty-five." },
    {
      category: 'liabilities',
      fact: 'Mortgage $138,000',
      value: 138000,
      evidence: 'The mortgage is one thirty-eight.',
    },
  ],
  compliance_flags: [
    {
      rule: 'guarantee_or_promissory',
      severity: 'high',
      speaker: 'Ana Reyes',
      evidence: "it just doesn't go down",
      explanation: 'Promise.',
    },
  ],
  not_flags: [{ evidence: 'That guarantee comes from the NCUA', why_not: 'NCUA.' }],
  ...over,
});

const action = (over: Partial<ActionItem>): ActionItem => ({
  description: 'x',
  owner: 'advisor',
  due_date: null,
  priority: 'medium',
  evidence: [{ utterance_index: 0, quote: "I'll send you the beneficiary form" }],
  ...over,
});
const fact = (over: Partial<ClientFact>): ClientFact => ({
  category: 'assets',
  fact: 'x',
  value: 465000,
  evidence: [{ utterance_index: 1, quote: "It's four sixty-five." }],
  ...over,
});
const flag = (over: Partial<ComplianceFlag>): ComplianceFlag => ({
  rule: 'guarantee_or_promissory',
  severity: 'high',
  speaker: 'Ana Reyes',
  explanation: 'x',
  source: 'lexicon',
  evidence: [{ utterance_index: 2, quote: "Honestly, it just doesn't go down." }],
  ...over,
});

const score = (
  extraction: {
    action_items?: ActionItem[];
    client_facts?: ClientFact[];
    compliance_flags?: ComplianceFlag[];
  },
  l = labels(),
) =>
  scoreExtraction({
    labels: l,
    transcript,
    extraction: { action_items: [], client_facts: [], compliance_flags: [], ...extraction },
  });

describe('scoreExtraction', () => {
  it('counts a prediction in the label’s cue with equal fields as a match', () => {
    const s = score({ action_items: [action({ due_date: '2026-01-23' })] });
    expect(s.kinds.action_items).toMatchObject({
      predicted: 1,
      labelled: 2,
      matched: 1,
      evidenceOnly: 0,
      precision: 1,
      recall: 0.5,
    });
    expect(s.kinds.action_items.f1).toBeCloseTo(2 / 3);
  });

  it('matches at the cue level: another passage of the same utterance is evidence too', () => {
    const s = score({
      action_items: [
        action({
          owner: 'staff',
          evidence: [{ utterance_index: 0, quote: 'by Friday. And our office will' }],
        }),
      ],
    });
    expect(s.kinds.action_items.matched).toBe(1);
  });

  it('locates a quote cited with the wrong index by its text, or by overlapping the label’s words', () => {
    const wrongIndex = score({
      client_facts: [
        fact({
          evidence: [{ utterance_index: 3, quote: 'The mortgage is one thirty-eight.' }],
          category: 'liabilities',
          value: 138000,
        }),
      ],
    });
    expect(wrongIndex.kinds.client_facts.matched).toBe(1);
    const elsewhere = score({
      client_facts: [
        fact({ evidence: [{ utterance_index: 3, quote: 'That guarantee comes from the NCUA' }] }),
      ],
    });
    expect(elsewhere.kinds.client_facts).toMatchObject({ matched: 0, evidenceOnly: 0 });
    const overlapping = score({
      client_facts: [
        fact({
          category: 'liabilities',
          value: 138000,
          evidence: [{ utterance_index: 9, quote: 'the mortgage is one thirty-eight, right' }],
        }),
      ],
    });
    expect(overlapping.kinds.client_facts.matched).toBe(1);
  });

  it('gives partial credit, not a match, when the evidence agrees and a field does not', () => {
    const s = score({ action_items: [action({ owner: 'client', due_date: '2026-01-30' })] });
    expect(s.kinds.action_items).toMatchObject({
      matched: 0,
      evidenceOnly: 1,
      precision: 0,
      recall: 0,
      f1: 0,
      evidencePrecision: 1,
      evidenceRecall: 0.5,
      mismatches: [
        {
          label: 'action_items[0]',
          differences: ['owner: "client" ≠ "advisor"', 'due_date: "2026-01-30" ≠ "2026-01-23"'],
        },
      ],
    });
  });

  it('lets each label take one prediction: a duplicate is a false positive', () => {
    const s = score({
      action_items: [action({ due_date: '2026-01-23' }), action({ due_date: '2026-01-23' })],
    });
    expect(s.kinds.action_items).toMatchObject({ predicted: 2, matched: 1, precision: 0.5 });
  });

  it('finds the assignment that matches most labels when two share a cue', () => {
    // Both predictions cite utterance 1; only the crossed assignment makes both facts full matches.
    const s = score({
      client_facts: [
        fact({
          category: 'liabilities',
          value: 138000,
          evidence: [{ utterance_index: 1, quote: "It's four sixty-five." }],
        }),
        fact({
          category: 'assets',
          value: 465000,
          evidence: [{ utterance_index: 1, quote: 'The mortgage is one thirty-eight.' }],
        }),
      ],
    });
    expect(s.kinds.client_facts).toMatchObject({ matched: 2, precision: 1, recall: 1 });
  });

  it('compares numbers with a relative tolerance and dates as strings', () => {
    const l = labels({
      client_facts: [
        { category: 'goals', fact: 'June 2028', value: '2028-06', evidence: "It's four sixty-five." },
      ],
    });
    expect(
      score({ client_facts: [fact({ category: 'goals', value: '2028-06' })] }, l).kinds.client_facts.matched,
    ).toBe(1);
    expect(score({ client_facts: [fact({ value: 465000.0000001 })] }).kinds.client_facts.matched).toBe(1);
    expect(score({ client_facts: [fact({ value: 0.465 })] }).kinds.client_facts.matched).toBe(0);
  });

  it('compares flags on rule and speaker, and counts a flag in a not_flags cue as a hit', () => {
    const s = score({
      compliance_flags: [
        flag({}),
        flag({
          rule: 'guarantee_or_promissory',
          evidence: [{ utterance_index: 3, quote: 'That guarantee comes from the NCUA' }],
        }),
      ],
    });
    expect(s.kinds.compliance_flags).toMatchObject({
      predicted: 2,
      matched: 1,
      notFlagHits: 1,
      precision: 0.5,
      recall: 1,
    });
    const wrongSpeaker = score({ compliance_flags: [flag({ speaker: 'Sam Client' })] });
    expect(wrongSpeaker.kinds.compliance_flags).toMatchObject({ matched: 0, evidenceOnly: 1 });
  });

  it('reports labels whose evidence is in no utterance, and scores nothing predicted as null precision', () => {
    const l = labels({
      action_items: [
        { owner: 'advisor', description: 'x', due_date: null, evidence: 'words that were never said' },
      ],
    });
    const s = score({}, l);
    expect(s.unresolvedLabels).toEqual(['action_items[0]: words that were never said']);
    expect(s.kinds.action_items).toMatchObject({ precision: null, recall: 0, f1: null });
  });
});

describe('totalScore', () => {
  it('sums counts over meetings and recomputes the ratios', () => {
    const a = score({ action_items: [action({ due_date: '2026-01-23' })] });
    const b = score({
      action_items: [
        action({ due_date: null }),
        action({
          owner: 'staff',
          evidence: [{ utterance_index: 0, quote: 'our office will mail the trusted contact form' }],
        }),
      ],
    });
    const total = totalScore([a, b]).action_items;
    expect(total).toMatchObject({ predicted: 3, labelled: 4, matched: 2, evidenceOnly: 1 });
    expect(total.precision).toBeCloseTo(2 / 3);
    expect(total.recall).toBeCloseTo(0.5);
  });
});
