import { describe, expect, it } from 'vitest';
import { findFollowUpDate } from '../../../../functions/integrations/offline/follow-up-meeting';
import { extractActionItems } from '../../../../functions/integrations/offline/offline-action-items';
import { transcriptOf } from '../../../support/transcript-of';

// A meeting written for this test, not taken from the golden set: 2026-05-12 is a Tuesday.
const ADVISOR = 'Priya Shah (Advisor)';
const couple = transcriptOf([
  [ADVISOR, 'Morning, both of you. Before we start, is it alright if I record this call for our files?'],
  ['Tom Becker', "Yes, that's fine."],
  ['Lisa Becker', 'Fine by me.'],
  [ADVISOR, "Great. So today we're covering the Roth conversion and your brother's loan, Lisa."],
  ['Lisa Becker', 'Right. My brother wants twenty thousand.'],
  [ADVISOR, 'I will pull the conversion numbers together by Thursday.'],
  [ADVISOR, "Tom, could you send me last year's tax return?"],
  ['Tom Becker', "Sure, I'll upload it tomorrow."],
  [ADVISOR, 'Thanks. Our operations team will open the new Roth account this week.'],
  ['Lisa Becker', "I'm going to call my brother tonight and tell him we need to wait."],
  [ADVISOR, 'Good. And let me check with the custodian about the transfer fee and get back to you.'],
  ['Tom Becker', "We'll bring the signed forms with us."],
  [ADVISOR, "Perfect. Let's meet again on June 2nd."],
  ['Lisa Becker', 'Works for us.'],
  [ADVISOR, "Before then, please review the beneficiary pages I'll email over."],
  ['Lisa Becker', 'We will.'],
  [ADVISOR, "Also, I'll have Marcus run the insurance quotes by the end of the month."],
  ['Tom Becker', "I'll tell you, the traffic this morning was terrible."],
  [ADVISOR, 'I want to say thanks again for your patience.'],
  [ADVISOR, 'Let me share my screen for a second.'],
  ['Tom Becker', 'Can you hear me okay?'],
  [ADVISOR, 'Please don’t apologize, it happens. Think it over.'],
  ['Tom Becker', "I'll think about it."],
]);
const context = {
  advisorName: 'Priya Shah',
  clients: ['Tom Becker', 'Lisa Becker'],
  meetingDate: '2026-05-12',
};

describe('extractActionItems on a meeting the rules were not written against', () => {
  const items = extractActionItems(couple.utterances, context);

  it('finds each commitment once, with owners and due dates per the golden rules', () => {
    expect(items.map((i) => [i.evidence[0]?.utterance_index, i.owner, i.due_date])).toEqual([
      [5, 'advisor', '2026-05-14'],
      [6, 'Tom Becker', '2026-05-13'],
      [8, 'staff', '2026-05-15'],
      [9, 'Lisa Becker', '2026-05-12'],
      [10, 'advisor', null],
      [11, 'client', null],
      [12, 'advisor', '2026-06-02'],
      [14, 'Lisa Becker', '2026-06-02'],
      [16, 'staff', '2026-05-31'],
    ]);
  });

  it('joins an accepted request and its answer into one item citing both', () => {
    const taxReturn = items.find((i) => i.owner === 'Tom Becker');
    expect(taxReturn?.evidence.map((c) => c.utterance_index)).toEqual([6, 7]);
    expect(taxReturn?.description).toBe("Send Priya last year's tax return.");
  });

  it('writes imperative descriptions that name the people instead of "you"', () => {
    expect(items[0]?.description).toBe('Pull the conversion numbers together by Thursday.');
    expect(items[2]?.description).toBe('Open the new Roth account this week.');
    expect(items[8]?.description).toBe('Run the insurance quotes by the end of the month.');
  });

  it('rates priority by how soon it is due', () => {
    expect(items[0]?.priority).toBe('high');
    expect(items[8]?.priority).toBe('medium');
  });

  it('rates a money movement high with or without a deadline, as the priority rule says', () => {
    const said = transcriptOf([
      ['Ana Reyes (Advisor)', "I'll start the transfer of the old IRA to us."],
      ['Ana Reyes (Advisor)', "I'll look into the insurance quotes, maybe."],
    ]);
    const [transfer, quotes] = extractActionItems(said.utterances, {
      advisorName: 'Ana Reyes',
      clients: ['Sam Client'],
      meetingDate: '2026-03-05',
    });
    expect(transfer).toMatchObject({ due_date: null, priority: 'high' });
    expect(quotes?.priority).toBe('low');
  });

  it('quotes every citation exactly from its utterance', () => {
    for (const item of items) {
      for (const c of item.evidence) expect(couple.utterances[c.utterance_index]?.text).toContain(c.quote);
    }
  });
});

describe('extractActionItems: owners', () => {
  const one = (lines: [string, string][], clients = ['Sam Client']) =>
    extractActionItems(transcriptOf(lines).utterances, {
      advisorName: 'Ana Reyes',
      clients,
      meetingDate: '2026-03-03',
    });

  it('says client for a single client, and a full name for someone who is not a client', () => {
    expect(one([['Sam Client', "I'll email you the statement on Friday."]])).toMatchObject([
      { owner: 'client', due_date: '2026-03-06' },
    ]);
    expect(one([['Jo Attorney', 'I will send over the trust certificate by Thursday.']])).toMatchObject([
      { owner: 'Jo Attorney', due_date: '2026-03-05' },
    ]);
  });

  it('says staff for the firm’s people when the adviser delegates, client when a client does', () => {
    expect(one([['Ana Reyes (Advisor)', 'My assistant Jordan will send you the DocuSign.']])).toMatchObject([
      { owner: 'staff' },
    ]);
    expect(one([['Ana Reyes (Advisor)', "I'll have our office follow up with the carrier."]])).toMatchObject([
      { owner: 'staff' },
    ]);
    expect(one([['Sam Client', "I'll have my daughter send you the death certificates."]])).toMatchObject([
      { owner: 'client' },
    ]);
  });

  it('gives a client’s request to the adviser only when the adviser accepts it', () => {
    const accepted = one([
      ['Sam Client', 'Could you send me the fee schedule?'],
      ['Ana Reyes (Advisor)', "Absolutely, I'll get that to you tomorrow."],
    ]);
    expect(accepted).toMatchObject([{ owner: 'advisor', due_date: '2026-03-04' }]);
    const declined = one([
      ['Lee Son', 'Can you just process the withdrawal today?'],
      ['Ana Reyes (Advisor)', 'I understand the timeline, but let us not do anything today.'],
    ]);
    expect(declined).toEqual([]);
  });

  it('addresses the adviser’s imperative to whoever it names or whoever answers', () => {
    const items = one(
      [
        ['Doug Pair', 'They might offer me a package.'],
        ['Ana Reyes (Advisor)', 'If that happens, call me before you sign anything.'],
        ['Doug Pair', 'Will do.'],
      ],
      ['Doug Pair', 'Mel Pair'],
    );
    expect(items).toMatchObject([
      { owner: 'Doug Pair', due_date: null, description: 'Call Ana before you sign anything.' },
    ]);
  });
});

describe('findFollowUpDate', () => {
  it('reads the next meeting from a scheduling phrase or the answer to it', () => {
    const asked = transcriptOf([
      ['Ana Reyes (Advisor)', 'Upload the statements before we talk again.'],
      ['Sam Client', 'When would that be?'],
      ['Ana Reyes (Advisor)', "Let's do two weeks from today."],
    ]);
    expect(findFollowUpDate(asked.utterances, '2026-02-12')).toBe('2026-02-26');
    expect(findFollowUpDate(couple.utterances, '2026-05-12')).toBe('2026-06-02');
    expect(
      findFollowUpDate(transcriptOf([['Sam Client', 'Thanks, bye.']]).utterances, '2026-02-12'),
    ).toBeNull();
  });
});
