import { describe, expect, it } from 'vitest';
import { LEXICON_RULES, scanCompliance } from '../../../../functions/core/extraction/compliance-lexicon';
import {
  COMPLIANCE_RULES,
  type ComplianceRule,
} from '../../../../functions/core/extraction/extraction-schema';
import { transcriptOf } from '../../../support/transcript-of';

const ADVISOR = 'Ana Reyes';
const CLIENT = 'Sam Client';
const participants = { advisorName: ADVISOR, clients: [CLIENT] };

/** The rules raised when `speaker` (the adviser by default) says `text` a minute into a meeting. */
function rulesFor(text: string, speaker = `${ADVISOR} (Advisor)`): ComplianceRule[] {
  const transcript = transcriptOf([
    [`${ADVISOR} (Advisor)`, 'Good morning, thanks for making time today.'],
    [speaker, text],
  ]);
  return scanCompliance(transcript, participants).map((flag) => flag.rule);
}

type Case = readonly [text: string, speaker: string];
const adviser = (text: string): Case => [text, `${ADVISOR} (Advisor)`];
const client = (text: string): Case => [text, CLIENT];
const relative = (text: string): Case => [text, 'Brian Client'];

const RULES: Record<
  Exclude<
    ComplianceRule,
    | 'guarantee_or_promissory'
    | 'performance_projection'
    | 'unsuitable_recommendation'
    | 'undisclosed_conflict'
    | 'outside_business_activity'
    | 'consent_or_recording'
    | 'pii_overshare'
    | 'elder_or_vulnerable_client'
    | 'complaint'
  >,
  { flags: Case[]; not: Case[] }
> = {
  testimonial_or_endorsement: {
    flags: [
      adviser('Most of my clients made 18% in this fund last year, so it works.'),
      adviser('One of my clients doubled his money with this strategy.'),
      adviser('Honestly, all of my clients love this fund.'),
      adviser('Several of my clients saw great returns with it last year.'),
      adviser("If you leave us a five-star review, I'll knock a quarter off your fee."),
      adviser('For every friend you refer, we waive a month of fees.'),
      adviser('We give a $100 gift card for each referral you send us.'),
    ],
    not: [
      adviser('Many of my clients are retired teachers, like you.'),
      adviser('One of my clients had the same question about the custodian.'),
      adviser('If you know anyone who could use help, we are always glad to meet them.'),
      adviser('We never pay for reviews or referrals.'),
      adviser('Our fee discount starts at one million dollars in assets.'),
      adviser('Do most of my clients made money? I would not put it that way.'),
      adviser('Most of my clients like the new portal, and some got 20% off their tax prep through it.'),
      adviser("One of my clients got a huge tax bill last year because of this, so let's be careful."),
      adviser('Some of my clients saw great results with a Roth conversion, but it depends on your bracket.'),
      client('My sister says all of her friends love this fund.'),
    ],
  },
  cherry_picked_or_hypothetical_performance: {
    flags: [
      adviser('Our best account did 42% last year.'),
      adviser('Our top performing portfolios returned 25 percent in 2025.'),
      adviser('Back-tested, this strategy returned 14% a year since 2000.'),
      adviser('If you had invested $100,000 with us in 2015, you would have $310,000 today.'),
      adviser('Our model portfolio returned 19% last year.'),
      adviser('That is 12% a year before fees.'),
    ],
    not: [
      adviser('Your portfolio finished the year up 9% after fees.'),
      adviser('Our model portfolio is sixty percent stocks and forty percent bonds.'),
      adviser('Back-tested results are hypothetical, they assume no fees and do not predict anything.'),
      adviser('If you had stayed in cash you would have missed the rally.'),
      adviser('That is 12% a year before fees, about 11% net.'),
      adviser('Our composite of every account returned 8% net of fees.'),
      adviser('My best advice is to stay diversified.'),
      client('If I had invested in 2015 I would have tripled my money.'),
    ],
  },
  rollover_conflict: {
    flags: [
      adviser("Let's roll your 401(k) over to us. There's no reason to keep it in the old plan."),
      adviser("Rolling the 401(k) into an IRA with us won't cost you anything."),
      adviser('Your plan options are terrible, so we will roll it over to an IRA here.'),
      adviser('Leaving it in the 403(b) would be a mistake; just roll it over to me.'),
    ],
    not: [
      adviser(
        'You could leave it in the 401(k), move it to the new employer plan or roll it to an IRA; let us compare the fees.',
      ),
      adviser("A direct rollover of the 401(k) won't cost you anything in taxes."),
      adviser('Your 401(k) fees are lower than ours, so leaving it there may make sense.'),
      adviser("I'll send you the rollover paperwork for the old 401(k) you asked to move."),
      client("I don't want to roll it over, there's no reason to rush."),
    ],
  },
  unauthorized_trading: {
    flags: [
      adviser('I went ahead and sold the bond fund last week.'),
      adviser('We took the liberty of moving your cash into the growth fund.'),
      adviser('I sold the Apple shares before I could reach you, the market was falling.'),
      adviser('I swapped the position without asking you, it was a better fund.'),
      adviser('Just sign these blank forms and I will fill in the rest later.'),
      adviser("I'll sign the forms for you, don't worry about it."),
    ],
    not: [
      adviser('I went ahead and sent you the transfer forms.'),
      adviser('I went ahead and moved our meeting to Thursday.'),
      adviser('Once you approve, I will sell the bond fund.'),
      adviser('I went ahead and rebalanced the portfolio as we agreed in March.'),
      adviser('Under your discretionary agreement, I went ahead and rebalanced the account.'),
      adviser('Should I go ahead and sell the position?'),
      adviser('Please never sign blank forms for anyone.'),
    ],
  },
  borrowing_or_lending: {
    flags: [
      adviser('Could I borrow twenty thousand for a couple of months? I will pay you back with interest.'),
      adviser('If money is tight, I can lend you the $5,000 for the roof.'),
      adviser('You lent me that $10,000 last year and I have not forgotten.'),
      adviser('I can co-sign your loan for the condo.'),
    ],
    not: [
      adviser('You can borrow against the 401(k), but I would not.'),
      adviser('I can lend you my copy of that book.'),
      adviser('The bank can lend you up to eighty percent of the value.'),
      adviser('We will pay you back the $75 fee this week.'),
      adviser('I never borrow money from clients.'),
      relative('Mom, could we borrow twenty thousand for the business?'),
    ],
  },
  selling_away: {
    flags: [
      adviser('There is a private placement I can get you into, but it stays off the books.'),
      adviser("These notes pay 12% and they won't show up on your statements."),
      adviser('Make the check payable to me and I will put it in the oil and gas deal.'),
      adviser('No need to mention this investment to compliance, it is a sure thing.'),
      adviser("I can get you into my buddy's startup offering before it closes."),
    ],
    not: [
      adviser('Everything we buy shows up on your statements.'),
      adviser("The new fund doesn't show up on your statements until the transfer settles."),
      adviser('We never do anything off the books.'),
      adviser('Make the check payable to Schwab, not to me.'),
      adviser(
        'Totally separate from the firm, I am a partner in a storage development and we are raising money.',
      ),
      client('My brother-in-law keeps his crypto off the books, he says.'),
    ],
  },
  gifts_or_entertainment: {
    flags: [
      adviser("I'd like to take you both to the Masters, I have two badge tickets."),
      adviser("We'll fly you two to Cabo for a golf trip on us."),
      adviser('I want to give you a $500 gift card for your anniversary.'),
      client("For all you've done, we'd love to give you our condo for a week."),
      client("You've been so good to me, I want to put you in my will."),
      adviser('You could name me as executor of the trust if you like.'),
    ],
    not: [
      adviser("Let me buy you a coffee next time you're downtown."),
      adviser("I'll send you the forms and the tickets for the estate seminar are free."),
      adviser("I'll get you the tax forms by Friday."),
      adviser("We'll get you a ticket number for the service request."),
      client("I'll name you as the beneficiary, honey."),
      adviser("You don't need to name me as executor, firm rules don't allow it."),
      client('We want to give you our thanks, that is all.'),
    ],
  },
  money_movement_red_flag: {
    flags: [
      client('The title company sent new wiring instructions this morning, can you update them?'),
      client('They said the bank details have changed, so use this other account.'),
      client('He texted me to wire it right away, and I should not tell anyone.'),
      client("I need to wire $9,000 to my boyfriend's account today, I met him online."),
      relative('The IRS called and said she has to pay with gift cards right now.'),
    ],
    not: [
      adviser('If you ever get new wiring instructions by email, call us before sending anything.'),
      client('Can you wire the $50,000 to the title company today? The closing is tomorrow.'),
      adviser('We will send the distribution to your checking account on file.'),
      client("Let's transfer $5,000 to my grandson's 529 plan this year."),
      adviser('We never change wire instructions by email.'),
      adviser('We received new account numbers from the custodian after the merger.'),
    ],
  },
};

describe('scanCompliance: conduct rules (positive and negative sentences)', () => {
  for (const [rule, { flags, not }] of Object.entries(RULES) as [
    ComplianceRule,
    { flags: Case[]; not: Case[] },
  ][]) {
    describe(rule, () => {
      it.each(flags)('flags %s', (text, speaker) => {
        expect(rulesFor(text, speaker)).toContain(rule);
      });
      it.each(not)('does not flag %s', (text, speaker) => {
        expect(rulesFor(text, speaker)).not.toContain(rule);
      });
    });
  }

  it('can raise every rule but the timing-free model-only ones, and every rule has a test here or beside it', () => {
    for (const rule of Object.keys(RULES)) expect(LEXICON_RULES).toContain(rule);
    expect([...LEXICON_RULES].sort()).toEqual([...COMPLIANCE_RULES].sort());
  });

  it('quotes the passage it fired on, an exact substring of the utterance', () => {
    const text = 'Good to see you. Our best account did 42% last year. Anyway, the forms.';
    const transcript = transcriptOf([[`${ADVISOR} (Advisor)`, text]]);
    const [flag] = scanCompliance(transcript, participants);
    expect(flag).toMatchObject({ rule: 'cherry_picked_or_hypothetical_performance', severity: 'medium' });
    expect(text).toContain(flag?.evidence[0]?.quote);
    expect(flag?.evidence[0]?.quote).toContain('Our best account did 42%');
  });
});
