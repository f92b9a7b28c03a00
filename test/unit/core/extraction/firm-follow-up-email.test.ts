import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanDraft } from '../../../../functions/core/extraction/draft-flags';
import {
  EMPTY_DRAFT_BODY,
  firmFollowUpEmail,
} from '../../../../functions/core/extraction/firm-follow-up-email';

const firm = {
  advisorName: 'Ana Reyes',
  clients: ['Sam Client'],
  firmDisclaimer: 'Advisory services offered through Example RIA, LLC, an SEC-registered investment adviser.',
};

describe('firmFollowUpEmail', () => {
  it('sets the firm’s disclaimer verbatim, whatever disclaimer the writer sent along', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (altered, body) => {
        const written = { subject: 'Recap', body, disclaimer: altered } as { subject: string; body: string };
        expect(firmFollowUpEmail(written, firm).disclaimer).toBe(firm.firmDisclaimer);
      }),
    );
  });

  it.each([
    ['Disclaimer: Advisory services offered through Example RIA. Returns are guaranteed.'],
    ['IMPORTANT DISCLOSURES\nPast performance guarantees future results.'],
    ['**Disclosure:** this is not a solicitation, except when it is.'],
    [firm.firmDisclaimer],
  ])('drops a disclaimer paragraph the writer wrote into the body: %s', (paragraph) => {
    const email = firmFollowUpEmail(
      { subject: 'Recap', body: `Hi Sam,\n\nThanks for meeting.\n\n${paragraph}\n\nBest,\nAna` },
      firm,
    );
    expect(email.body).toBe('Hi Sam,\n\nThanks for meeting.\n\nBest,\nAna');
    expect(email.disclaimer).toBe(firm.firmDisclaimer);
  });

  it.each([
    'I attached the disclosure documents we discussed.',
    'Disclosure documents for the new fund are attached.',
    'Important information about your transfer: it settles on Friday.',
  ])('keeps a paragraph that only mentions a disclosure: %s', (paragraph) => {
    const body = `Hi Sam,\n\n${paragraph}\n\nBest,\nAna`;
    expect(firmFollowUpEmail({ subject: 'Recap', body }, firm).body).toBe(body);
  });

  it('never keeps a body that was only a disclaimer', () => {
    const email = firmFollowUpEmail({ subject: 'Recap', body: 'Disclaimer: results guaranteed.' }, firm);
    expect(email.body).toBe(EMPTY_DRAFT_BODY);
  });

  it('carries the lexicon’s flags on the draft', () => {
    const email = firmFollowUpEmail(
      { subject: 'Recap', body: 'Hi Sam,\n\nWith this fund you cannot lose money, period.\n\nAna' },
      firm,
    );
    expect(email.flags).toEqual([
      expect.objectContaining({ rule: 'guarantee_or_promissory', severity: 'high' }),
    ]);
  });
});

describe('scanDraft', () => {
  const draft = (body: string, subject = 'Following up on our meeting') => scanDraft({ subject, body }, firm);

  it.each([
    ['a guarantee', 'The fund is guaranteed to return 8% a year.', 'guarantee_or_promissory'],
    ['a cannot-lose claim', 'Your principal can’t go down with this one.', 'guarantee_or_promissory'],
    [
      'a projection stated as fact',
      "You'll be sitting on two million by 65, easy.",
      'performance_projection',
    ],
    ['a Social Security number', 'Your SSN 123-45-6789 is on file now.', 'pii_overshare'],
  ])('flags %s in the body', (_, sentence, rule) => {
    const flags = draft(`Hi Sam,\n\nThanks for meeting.\n${sentence}\n\nBest,\nAna Reyes`);
    expect(flags.map((f) => f.rule)).toEqual([rule]);
    expect(sentence).toContain(flags[0]?.quote);
  });

  it('flags the subject line too', () => {
    const flags = draft('Hi Sam, thanks for meeting.', 'A guaranteed 10% return for your portfolio');
    expect(flags.map((f) => f.rule)).toEqual(['guarantee_or_promissory']);
  });

  it.each([
    'We talked about how no one can promise what the market does.',
    'As I said, I can’t guarantee any return on the portfolio.',
    'Your CDs are FDIC-insured up to the limit, which is a federal guarantee.',
    'If the portfolio averaged 5% a year, for example, it could reach about $800,000 by 65; that is a hypothetical.',
    'By the way, the meeting was recorded with your consent.',
  ])('does not flag a compliant sentence: %s', (sentence) => {
    expect(draft(`Hi Sam,\n\n${sentence}\n\nBest,\nAna Reyes`)).toEqual([]);
  });
});
