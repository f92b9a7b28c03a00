import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type EvaluationReport,
  evaluateExtractor,
  type LabelledTranscript,
} from '../../../../bench/eval/evaluate-extractor';
import { loadLabelledMeetings } from '../../../../bench/eval/load-labelled-meetings';
import { ExtractionSchema } from '../../../../functions/core/extraction/extraction-schema';
import { verifyEvidence } from '../../../../functions/core/extraction/verify-evidence';
import { OFFLINE_DRAFT_LABEL } from '../../../../functions/integrations/offline/follow-up-email-draft';
import { extractClientFacts } from '../../../../functions/integrations/offline/offline-client-facts';
import {
  extractOffline,
  offlineExtractor,
} from '../../../../functions/integrations/offline/offline-extractor';
import { transcriptOf } from '../../../support/transcript-of';

const goldenDir = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'golden');
const DISCLAIMER = 'Advisory services offered through Example Wealth LLC. Not a solicitation.';

let golden: LabelledTranscript[];
let report: EvaluationReport;

beforeAll(async () => {
  golden = await loadLabelledMeetings(goldenDir);
  report = await evaluateExtractor(golden, offlineExtractor, { firmDisclaimer: DISCLAIMER });
});

const contextOf = ({ labels }: LabelledTranscript) => ({
  meetingDate: labels.meeting_date,
  advisorName: labels.advisor,
  clients: labels.clients,
  firmDisclaimer: DISCLAIMER,
});

describe('offline extractor on the golden meetings (benchmark targets)', () => {
  it('reads all six labelled meetings', () => {
    expect(golden.map((m) => m.labels.id)).toEqual([
      'meeting-01',
      'meeting-02',
      'meeting-03',
      'meeting-04',
      'meeting-05',
      'meeting-06',
    ]);
    expect(report.meetings.flatMap((m) => m.unresolvedLabels)).toEqual([]);
  });

  it('raises lexicon flags with precision ≥ 0.8 and no flag on a not_flags passage', () => {
    const flags = report.totals.compliance_flags;
    expect(flags.precision).toBeGreaterThanOrEqual(0.8);
    expect(flags.notFlagHits).toBe(0);
    for (const meeting of report.meetings)
      expect(meeting.kinds.compliance_flags.notFlagHits, meeting.id).toBe(0);
  });

  it('recalls at least half of the labelled action items with owner and due date right', () => {
    expect(report.totals.action_items.recall).toBeGreaterThanOrEqual(0.5);
  });

  it('cites only quotes that verify against the transcript', () => {
    for (const meeting of report.meetings) expect(meeting.evidence.issues, meeting.id).toEqual([]);
  });
});

describe('extractOffline', () => {
  it('fills the extraction schema, says it is offline, and is deterministic', () => {
    for (const meeting of golden) {
      const extraction = extractOffline(meeting.transcript, contextOf(meeting));
      expect(ExtractionSchema.parse(extraction)).toEqual(extraction);
      expect(extraction.extractor).toBe('offline');
      expect(extraction.model).toBeUndefined();
      expect(extraction.compliance_flags.every((f) => f.source === 'lexicon')).toBe(true);
      // Flagged passages stay out of the offline draft, so the lexicon finds nothing in it.
      expect(extraction.follow_up_email.flags, meeting.labels.id).toEqual([]);
      expect(extractOffline(meeting.transcript, contextOf(meeting))).toEqual(extraction);
    }
  });

  it('drafts a follow-up email labelled as drafted offline, with the firm disclaimer unchanged', () => {
    const meeting = golden[0] as LabelledTranscript;
    const { follow_up_email: email, action_items } = extractOffline(meeting.transcript, contextOf(meeting));
    expect(email.subject).toBe('Follow-up from our meeting on January 20, 2026');
    expect(email.body).toMatch(/^Hi Doug and Melanie,/);
    expect(email.body).toContain(OFFLINE_DRAFT_LABEL);
    expect(email.body).toContain(action_items.find((a) => a.owner === 'advisor')?.description);
    expect(email.disclaimer).toBe(DISCLAIMER);
  });

  it('writes notes in all five categories, next steps mirroring the action items', () => {
    const meeting = golden[3] as LabelledTranscript;
    const { notes, action_items } = extractOffline(meeting.transcript, contextOf(meeting));
    expect(notes.summary[0]?.text).toContain('Samuel Greer met with Patricia Lindqvist on March 5, 2026');
    expect(notes.financial_situation.length).toBeGreaterThan(0);
    expect(notes.goals_and_concerns.length).toBeGreaterThan(0);
    expect(notes.recommendations.length).toBeGreaterThan(0);
    expect(notes.next_steps).toHaveLength(action_items.length);
  });

  it('keeps flagged passages out of the recommendations and the client email', () => {
    const transcript = transcriptOf([
      ['Ana Reyes (Advisor)', "I'd recommend the income fund. Honestly, it just doesn't go down."],
      ['Sam Client', 'Okay.'],
      ['Ana Reyes (Advisor)', "I'd keep your bond ladder as it is."],
    ]);
    const extraction = extractOffline(transcript, {
      meetingDate: '2026-06-01',
      advisorName: 'Ana Reyes',
      clients: ['Sam Client'],
      firmDisclaimer: DISCLAIMER,
    });
    expect(extraction.compliance_flags.map((f) => f.rule)).toEqual(['guarantee_or_promissory']);
    expect(extraction.notes.recommendations.map((n) => n.evidence[0]?.utterance_index)).toEqual([2]);
    expect(extraction.follow_up_email.body).not.toContain('income fund');
  });

  it('works on a transcript with no adviser label and no clients, flagging nothing adviser-only', () => {
    const anonymous = transcriptOf([
      ['Speaker A', "It just doesn't go down, I promise you'll make 10% a year."],
      ['Speaker B', "Great, I'll send you my statements tomorrow."],
    ]);
    const extraction = extractOffline(anonymous, {
      meetingDate: '2026-06-01',
      advisorName: 'Unknown Adviser',
      clients: [],
      firmDisclaimer: '',
    });
    expect(extraction.compliance_flags).toEqual([]);
    expect(extraction.action_items).toMatchObject([{ owner: 'Speaker B', due_date: '2026-06-02' }]);
  });
});

describe('extractClientFacts on sentences written for this test', () => {
  const facts = (lines: [string, string][]) =>
    extractClientFacts(transcriptOf(lines).utterances, {
      advisorName: 'Ana Reyes',
      clients: ['Sam Client'],
    }).map((f) => [f.category, f.value]);

  it('normalises amounts per the golden rules', () => {
    expect(
      facts([
        ['Ana Reyes (Advisor)', 'How much is in the Roth IRA now?'],
        ['Sam Client', 'About three twenty.'],
        ['Sam Client', 'And my pension is nineteen hundred a month.'],
        ['Sam Client', 'The mortgage is down to $212,500.'],
        ['Sam Client', 'I put in six percent to my 401(k), they match three.'],
        ['Ana Reyes (Advisor)', 'And you still want to retire at sixty-four?'],
        ['Sam Client', 'Sixty-four, yes.'],
      ]),
    ).toEqual([
      ['assets', 320_000],
      ['income', 1900],
      ['liabilities', 212_500],
      ['employment', 0.06],
      ['goals', 64],
    ]);
  });

  it('keeps the corrected figure when someone corrects another speaker', () => {
    expect(
      facts([
        ['Ana Reyes (Advisor)', 'What is the brokerage account at?'],
        ['Sam Client', 'About three hundred thousand, I think.'],
        ['Pat Client', 'No, that was last year. It is three forty now.'],
      ]),
    ).toEqual([['assets', 340_000]]);
  });

  it('records paid-off debts as 0 and descriptive facts without a number as null', () => {
    expect(
      facts([
        ['Sam Client', 'We paid off the car loan in 2023.'],
        ['Sam Client', 'My knee surgery went fine, thanks.'],
        ['Sam Client', "Honestly email's better than calling me."],
      ]),
    ).toEqual([
      ['liabilities', 0],
      ['health', null],
      ['preferences', null],
    ]);
  });
});

describe('extractOffline on arbitrary speech', () => {
  const VOCABULARY = (
    "I'll we'll can you could you let me let's guarantee promise can't lose never go down risk-free you'll have " +
    'make 12% by sixty easy social is nine oh one four four two seven eight one $1.18 million four sixty-five a ' +
    'month per year mortgage IRA 401(k) pension tomorrow next Friday end of the month today tonight recording ' +
    'notetaker upset with your office nobody called us back outside the firm leveraged next six months Friday ' +
    'the twelfth April first No, Yes. Sure. Okay. — , . ? Tom Lisa send call email the form statement'
  ).split(' ');
  const speakers = ['Priya Shah (Advisor)', 'Tom Becker', 'Lisa Becker', 'Jo Other'];

  it('never throws, always fills the schema and cites only verifiable quotes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...speakers),
            fc.array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 60 }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (lines) => {
          const transcript = transcriptOf(
            lines.map(([speaker, words]) => [speaker, words.join(' ')] as const),
          );
          const extraction = extractOffline(transcript, {
            meetingDate: '2026-05-12',
            advisorName: 'Priya Shah',
            clients: ['Tom Becker', 'Lisa Becker'],
            firmDisclaimer: DISCLAIMER,
          });
          expect(ExtractionSchema.safeParse(extraction).success).toBe(true);
          expect(verifyEvidence(extraction, transcript).report.issues).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
