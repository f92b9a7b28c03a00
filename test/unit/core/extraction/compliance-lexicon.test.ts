import { describe, expect, it } from 'vitest';
import { scanCompliance } from '../../../../functions/core/extraction/compliance-lexicon';
import type { ComplianceRule } from '../../../../functions/core/extraction/extraction-schema';
import { transcriptOf } from '../../../support/transcript-of';

const ADVISOR = 'Ana Reyes';
const participants = { advisorName: ADVISOR, clients: ['Sam Client'] };

/** The rules raised when the adviser (or `speaker`) says `text` a minute into a meeting. */
function rulesFor(text: string, speaker = `${ADVISOR} (Advisor)`): ComplianceRule[] {
  const transcript = transcriptOf([
    [`${ADVISOR} (Advisor)`, 'Good morning, thanks for making time today.'],
    [speaker, text],
  ]);
  return scanCompliance(transcript, participants).map((flag) => flag.rule);
}

describe('scanCompliance: promises and "cannot lose" language (adviser only)', () => {
  it.each([
    "I guarantee you'll make at least 8% a year on this.",
    'This fund is guaranteed to double your money in five years.',
    'You can’t lose with this one.',
    'Trust me, your principal will never go down.',
    "It's basically risk-free.",
    'I promise this portfolio will earn 10% next year.',
    'Honestly, the fund just never loses money.',
    'It just doesn’t go down. Ten years and not one bad year.',
    'We promise returns of six percent, every single year.',
  ])('flags %s', (text) => {
    expect(rulesFor(text)).toContain('guarantee_or_promissory');
  });

  it.each([
    ["I can't guarantee returns, nobody can.", 'declines to promise'],
    ['No one can promise you 8%.', 'negated subject'],
    ["There's no guarantee the market goes up.", 'no guarantee'],
    ['Returns are not guaranteed.', 'negated adjective'],
    ["I don't want to promise you anything about how the market does.", 'declines to promise'],
    ['Be careful with anyone who guarantees returns.', 'warns about others'],
    ["I'd be wary of anyone promising ten percent no matter what.", 'warns about others'],
    ['Her old broker promised her twelve percent a year.', 'reported speech'],
    ['The FDIC guarantees deposits up to $250,000.', 'federal deposit insurance'],
    ['That guarantee comes from the NCUA, not from us.', 'federal share insurance'],
    ['The annuity has a guaranteed income rider for life.', 'insurance contract'],
    ["Your pension's survivor benefit is guaranteed for life by the plan.", 'pension contract'],
    ['The death benefit is guaranteed to age 100 as long as premiums are paid.', 'insurance contract'],
    ['I promise I’ll send the forms tonight.', 'a promise about paperwork, not results'],
    ['I guarantee the dog will bark during our next call.', 'a joke without investment content'],
    ["That doesn't mean it can't go down.", 'a disclaimer'],
    ["It doesn't go down in a straight line, though.", 'not an absolute claim'],
    ['No investment is risk-free.', 'a disclaimer'],
    ['Does that mean it can never lose money?', 'a question'],
  ])('does not flag %s (%s)', (text) => {
    expect(rulesFor(text)).not.toContain('guarantee_or_promissory');
  });

  it('ignores a client joking "I guarantee…"', () => {
    expect(rulesFor("I guarantee you she'll still check the account every day.", 'Sam Client')).toEqual([]);
  });
});

describe('scanCompliance: projections stated as fact (adviser only)', () => {
  it.each([
    "You're going to make 12% a year with this strategy.",
    "By the time you're 65 your portfolio will be worth three million.",
    'This fund will return 9% annually.',
    'Your account is going to double by 2030.',
    "With this plan you'll be sitting on four million by seventy, easy.",
  ])('flags %s', (text) => {
    expect(rulesFor(text)).toContain('performance_projection');
  });

  it.each([
    ["In this hypothetical, you'll have $2 million by 65.", 'labelled hypothetical'],
    ["Assuming 6% a year, you'll have about two million by sixty-five.", 'states its assumption'],
    ["If markets cooperate, you'll have about two million by sixty-five.", 'conditional'],
    ["You'll have $5,000 a month coming in from Social Security.", 'an income budget'],
    ['Last year the portfolio finished up 9% after fees.', 'past performance'],
    ["That was a hypothetical using assumptions, it's not a prediction.", 'a disclaimer'],
    ["We'll put real numbers on it.", 'no figure'],
    ['You could put away around $200,000 a year, pre-tax.', 'a contribution limit, hedged'],
  ])('does not flag %s (%s)', (text) => {
    expect(rulesFor(text)).not.toContain('performance_projection');
  });
});

describe('scanCompliance: recording disclosed late', () => {
  const smallTalk = (n: number): [string, string][] =>
    Array.from({ length: n }, (_, i) => [
      i % 2 ? 'Sam Client' : `${ADVISOR} (Advisor)`,
      `Some small talk number ${i}.`,
    ]);

  it('flags an afterthought that the recording was already running', () => {
    const transcript = transcriptOf([
      ...smallTalk(4),
      [`${ADVISOR} (Advisor)`, "Oh, I should have mentioned, I've been recording this call for my notes."],
    ]);
    expect(scanCompliance(transcript, participants)).toMatchObject([
      { rule: 'consent_or_recording', speaker: ADVISOR, source: 'lexicon' },
    ]);
  });

  it('flags a first mention of the note-taker after three minutes', () => {
    const transcript = transcriptOf([
      ...smallTalk(20),
      [`${ADVISOR} (Advisor)`, 'Our AI notetaker is on, just so you know.'],
    ]);
    expect(scanCompliance(transcript, participants).map((f) => f.rule)).toEqual(['consent_or_recording']);
  });

  it('does not flag consent asked at the start, or a "track record" later', () => {
    const transcript = transcriptOf([
      [
        `${ADVISOR} (Advisor)`,
        'Before we begin, is it okay if I record this meeting for our compliance archive?',
      ],
      ['Sam Client', 'Sure, that is fine.'],
      ...smallTalk(20),
      [`${ADVISOR} (Advisor)`, 'The manager has a long track record, and we are recording nothing else.'],
    ]);
    expect(scanCompliance(transcript, participants)).toEqual([]);
  });
});

describe('scanCompliance: personal data said aloud', () => {
  it.each([
    ['My social is 123-45-6789.', 'Sam Client'],
    ['His SSN is four five six, seven eight, nine zero one two.', 'Sam Client'],
    ['The account number is 4 4 7 2 9 1 8 3, if you need it.', 'Sam Client'],
    ['My password is Bluebird42 for the portal.', 'Sam Client'],
  ])('flags %s', (text, speaker) => {
    expect(rulesFor(text, speaker)).toEqual(['pii_overshare']);
  });

  it.each([
    'Social Security pays her about $2,650 a month.',
    'Just give me the last four of your social later, over the secure link.',
    'You can reach me at 555-123-4567.',
    'The account is worth 1,250,000 right now.',
  ])('does not flag %s', (text) => {
    expect(rulesFor(text, 'Sam Client')).toEqual([]);
  });
});

describe('scanCompliance: complaints (clients, about the firm)', () => {
  it.each([
    "Frankly, I'm really frustrated with your office. Nobody returns my calls.",
    'We were never told about the annual fee.',
    'I want to file a formal complaint.',
    'Honestly the transfer was a mess and it fell through the cracks.',
    "We're thinking about moving our accounts.",
  ])('flags %s', (text) => {
    expect(rulesFor(text, 'Sam Client')).toEqual(['complaint']);
  });

  it.each([
    'A lot of my patients complained about Medicare premiums.',
    "I'm not upset with you, I just want to understand.",
    "I'm frustrated with the market this year.",
  ])('does not flag %s', (text) => {
    expect(rulesFor(text, 'Sam Client')).toEqual([]);
  });

  it('folds one grievance told over several turns into one flag citing each turn', () => {
    const transcript = transcriptOf([
      ['Sam Client', 'I was pretty upset with how the rollover was handled.'],
      [`${ADVISOR} (Advisor)`, 'I understand.'],
      ['Sam Client', 'And nobody called us back for two weeks.'],
    ]);
    const flags = scanCompliance(transcript, participants);
    expect(flags).toHaveLength(1);
    expect(flags[0]?.evidence.map((c) => c.utterance_index)).toEqual([0, 2]);
  });
});

describe('scanCompliance: the rest of the rules', () => {
  it('flags a third party pressing for the client’s money, not the client asking', () => {
    expect(
      rulesFor('Dad already agreed, so can you just wire the money to my account today?', 'Lee Client-Son'),
    ).toEqual(['elder_or_vulnerable_client']);
    expect(rulesFor('Can you send Mom the forms?', 'Lee Client-Son')).toEqual([]);
    expect(rulesFor('Can you transfer $5,000 to my checking today?', 'Sam Client')).toEqual([]);
  });

  it('flags the adviser’s deal outside the firm, not a statement of the rule', () => {
    expect(
      rulesFor(
        "This is outside the firm, but I'm raising money for a restaurant I own. The minimum is $25,000.",
      ),
    ).toEqual(['outside_business_activity']);
    expect(rulesFor("We don't do any deals outside the firm, that's a firm rule.")).toEqual([]);
  });

  it('flags a leveraged product for money needed soon, not advice against it', () => {
    expect(
      rulesFor("For the down payment money you need next spring, I'd put it in a 3x leveraged Nasdaq fund."),
    ).toEqual(['unsuitable_recommendation']);
    expect(rulesFor("I'd never put your house money in a leveraged ETF for the next six months.")).toEqual(
      [],
    );
  });

  it('flags a dodged question about a proprietary product, not a straight answer', () => {
    const dodged = transcriptOf([
      ['Sam Client', 'Is this fund run by your firm?'],
      [`${ADVISOR} (Advisor)`, "It's a great fund with a long history, very well managed."],
    ]);
    expect(scanCompliance(dodged, participants).map((f) => f.rule)).toEqual(['undisclosed_conflict']);
    const answered = transcriptOf([
      ['Sam Client', "Is this your firm's own fund?"],
      [
        `${ADVISOR} (Advisor)`,
        'Yes, it is our proprietary fund, and we earn a management fee on it; it is in our ADV.',
      ],
    ]);
    expect(scanCompliance(answered, participants)).toEqual([]);
  });
});

describe('scanCompliance: citations', () => {
  it('quotes 4–40 words around the match, an exact substring of the cited utterance', () => {
    const long = `${'We talked about a great many things today and '.repeat(6)}honestly, it just doesn't go down, and ${'it keeps on going with more words after that '.repeat(4)}`;
    const transcript = transcriptOf([
      ['Sam Client', 'Hello there.'],
      [`${ADVISOR} (Advisor)`, long],
    ]);
    const [flag] = scanCompliance(transcript, participants);
    const citation = flag?.evidence[0];
    expect(citation?.utterance_index).toBe(1);
    expect(long).toContain(citation?.quote);
    expect(citation?.quote).toContain("doesn't go down");
    const words = citation?.quote.split(/\s+/).length ?? 0;
    expect(words).toBeGreaterThanOrEqual(4);
    expect(words).toBeLessThanOrEqual(40);
  });
});
