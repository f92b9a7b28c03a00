import { describe, expect, it } from 'vitest';
import { evaluateExtractor } from '../../../../bench/eval/evaluate-extractor';
import { formatEvaluationTable } from '../../../../bench/eval/evaluation-table';
import type { LabelledMeeting } from '../../../../bench/eval/labelled-meeting';
import type { Extraction } from '../../../../functions/core/extraction/extraction-schema';
import type { Extractor } from '../../../../functions/core/extraction/extractor';
import { transcriptOf } from '../../../support/transcript-of';

const transcript = transcriptOf([
  ['Ana Reyes (Advisor)', "I'll send you the beneficiary form by Friday."],
  ['Sam Client', 'My social is 123-45-6789.'],
]);
const labels: LabelledMeeting = {
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
      evidence: "I'll send you the beneficiary form",
    },
  ],
  client_facts: [],
  compliance_flags: [],
  not_flags: [{ evidence: 'My social is 123-45-6789.', why_not: 'For this test.' }],
};

// A stand-in for the Claude extractor: any function with the Extractor signature plugs in.
const fake: Extractor = async () =>
  ({
    notes: {
      summary: [],
      financial_situation: [],
      goals_and_concerns: [],
      recommendations: [],
      next_steps: [],
    },
    action_items: [
      {
        description: 'Send the beneficiary form.',
        owner: 'advisor',
        due_date: '2026-01-30',
        priority: 'high',
        evidence: [{ utterance_index: 0, quote: "I'll send you the beneficiary form" }],
      },
    ],
    client_facts: [],
    follow_up_email: { subject: 's', body: 'b', disclaimer: 'd', flags: [] },
    compliance_flags: [
      {
        rule: 'pii_overshare',
        severity: 'medium',
        speaker: 'Sam Client',
        explanation: 'x',
        source: 'model',
        evidence: [{ utterance_index: 0, quote: 'My social is 123-45-6789.' }],
      },
    ],
    extractor: 'claude',
    model: 'claude-sonnet-4-6',
  }) satisfies Extraction;

describe('evaluateExtractor and formatEvaluationTable', () => {
  it('scores any extractor after verifying its evidence, and prints a row per meeting and kind plus totals', async () => {
    const report = await evaluateExtractor([{ labels, transcript }], fake);
    expect(report.meetings[0]).toMatchObject({
      extractor: 'claude (claude-sonnet-4-6)',
      evidence: { items: 2, verified: 2, relocated: 1 },
      kinds: { action_items: { matched: 0, evidenceOnly: 1 }, compliance_flags: { notFlagHits: 1 } },
    });
    const table = formatEvaluationTable(report, { details: true });
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^meeting\s+kind\s+pred\s+label\s+match\s+partial\s+P\s+R\s+F1\s+ev\.P\s+ev\.R\s+not_flags$/,
    );
    expect(lines.filter((l) => l.startsWith('tiny'))).toHaveLength(3);
    expect(table).toMatch(/TOTAL\s+flags\s+1\s+0\s+0\s+0\s+0\.00\s+—\s+—\s+0\.00\s+—\s+1/);
    expect(table).toContain(
      'extractor: claude (claude-sonnet-4-6); evidence: 2/2 items verified, 1 citation(s) relocated',
    );
    expect(table).toContain('tiny action_items[0]: due_date: "2026-01-30" ≠ "2026-01-23"');
  });
});
