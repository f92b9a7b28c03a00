import type { Extraction } from '../../functions/core/extraction/extraction-schema';

/** One citation of `quote` in utterance `utterance_index`. */
export const cite = (utterance_index: number, quote: string) => [{ utterance_index, quote }];

/** A small extraction of the Pruitt annual review (golden meeting 01), as an extractor returns it. */
export const sampleExtraction: Extraction = {
  notes: {
    summary: [
      { text: 'Annual review with Doug and Melanie.', evidence: cite(9, 'So this is our annual review.') },
    ],
    financial_situation: [],
    goals_and_concerns: [],
    recommendations: [],
    next_steps: [],
  },
  action_items: [
    {
      description: 'Call the custodian about the $75 fee and get it reversed.',
      owner: 'advisor',
      due_date: '2026-01-23',
      priority: 'high',
      evidence: cite(31, "I'm going to call the custodian this week about that fee"),
    },
    {
      description: 'Find the pension estimate letter.',
      owner: 'Melanie Pruitt',
      due_date: null,
      priority: 'medium',
      evidence: cite(82, "I'll dig it out this weekend."),
    },
  ],
  client_facts: [
    {
      category: 'assets',
      fact: "Doug's 401(k) is $465,000.",
      value: 465000,
      evidence: cite(16, "The January one came last week. It's four sixty-five."),
    },
    {
      category: 'goals',
      fact: 'Works through June 2028.',
      value: '2028-06',
      evidence: cite(35, 'working through June of'),
    },
    {
      category: 'health',
      fact: 'Knee replacement last spring.',
      value: null,
      evidence: cite(42, 'I had the replacement last spring'),
    },
  ],
  follow_up_email: {
    subject: 'Follow-up',
    body: 'Thanks for meeting.',
    disclaimer: 'Not investment advice.',
    flags: [],
  },
  compliance_flags: [
    {
      rule: 'complaint',
      severity: 'medium',
      speaker: 'Melanie Pruitt',
      explanation: 'Complains about a rollover delay and an undisclosed fee.',
      source: 'lexicon',
      evidence: cite(28, 'I was pretty upset with how that went.'),
    },
  ],
  extractor: 'offline',
};
