import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveDueDate } from '../../../../functions/integrations/offline/due-dates';

// 2026-01-20 is a Tuesday; 2026-03-05 and 2026-04-09 are Thursdays.
const TUESDAY = '2026-01-20';
const THURSDAY = '2026-03-05';

describe('resolveDueDate', () => {
  it.each([
    ['I will log in tonight and change it.', TUESDAY, '2026-01-20'],
    ["I'll send you the upload link today.", TUESDAY, '2026-01-20'],
    ['Jordan will send it. Probably tomorrow.', TUESDAY, '2026-01-21'],
    ["I'll get that to you by tomorrow.", '2026-02-12', '2026-02-13'],
    ["I'm going to call the custodian this week about that fee", TUESDAY, '2026-01-23'],
    ["I'll dig it out this weekend.", TUESDAY, '2026-01-25'],
    ["I'll call him this weekend.", THURSDAY, '2026-03-08'],
    ["I'll send you the form by Friday.", '2026-02-24', '2026-02-27'],
    ['I will send the certificate by Thursday', '2026-02-24', '2026-02-26'],
    ["I'll send you a one-page summary by Monday", THURSDAY, '2026-03-09'],
    ['Karen can call them with me on Sunday.', '2026-04-09', '2026-04-12'],
    ['Same weekday as the meeting means a week later: by Thursday', THURSDAY, '2026-03-12'],
    ['Can we get back together, not this Friday but next Friday?', TUESDAY, '2026-01-30'],
    ['I would like to meet again next Thursday', '2026-04-09', '2026-04-16'],
    ['Can you get me the statement by the end of the month?', TUESDAY, '2026-01-31'],
    ['numbers to you before the end of the month', THURSDAY, '2026-03-31'],
    ['I want that thirty in cash by, let us say, the end of August.', TUESDAY, '2026-08-31'],
    ["I'll get a proposal to you by the end of April.", '2026-03-17', '2026-04-30'],
    ['end of January, said in March, is next year', THURSDAY, '2027-01-31'],
    ["Let's do two weeks from today.", '2026-02-12', '2026-02-26'],
    ['We can talk again in ten days', TUESDAY, '2026-01-30'],
    ['a month from now', '2026-01-31', '2026-02-28'],
    ['We will start the monthly deposit on April first, fifty-three fifty', THURSDAY, '2026-04-01'],
    ['set the distribution to go out December first', THURSDAY, '2026-12-01'],
    ['a date already passed this year is next year: February 2nd', THURSDAY, '2027-02-02'],
    ['the 15th of June', THURSDAY, '2026-06-15'],
    ['by March 31, 2027', THURSDAY, '2027-03-31'],
    ['I can get those to you by Friday the twenty-seventh.', '2026-03-17', '2026-03-27'],
    ['I will call on the twenty-first', THURSDAY, '2026-03-21'],
    ['a day of the month already passed is next month: on the third', THURSDAY, '2026-04-03'],
    ['by the end of the year', THURSDAY, '2026-12-31'],
    ['sometime next week', THURSDAY, '2026-03-13'],
    ['this Thursday, i.e. the meeting day itself', THURSDAY, '2026-03-05'],
    ['the day after tomorrow', THURSDAY, '2026-03-07'],
  ])('%s (meeting %s) → %s', (text, meetingDate, expected) => {
    expect(resolveDueDate(text, meetingDate)).toBe(expected);
  });

  it.each([
    ["I'll let our operations manager know about the delay, so it's documented."],
    ["Let's get a meeting on the calendar with Lorena in March"],
    ['I work from home Thursdays, so this is perfect.'],
    ["I'll put together a first pass on the stock"],
    ['put the money in on the second floor account'],
    ['We told Kayla thirty thousand in May 15,000 of it cash'],
  ])('%s → null', (text) => {
    expect(resolveDueDate(text, TUESDAY)).toBeNull();
  });

  it('reads a bare day of the month in the month said shortly before', () => {
    const context = 'One matures April twelfth — the thirty thousand one. The other one is in October.';
    const text = "I'll go to the credit union when it matures on the twelfth and roll it for a year.";
    expect(resolveDueDate(text, THURSDAY, { context })).toBe('2026-04-12');
    expect(resolveDueDate(text, THURSDAY)).toBe('2026-03-12');
  });

  it('resolves "before we talk again" and "before then" to the follow-up date when there is one', () => {
    const upload = 'If you can upload a recent paystub, ideally before we talk again.';
    expect(resolveDueDate(upload, '2026-02-12', { followUpDate: '2026-02-26' })).toBe('2026-02-26');
    expect(
      resolveDueDate('And before then I will put together a first pass', '2026-02-12', {
        followUpDate: '2026-02-26',
      }),
    ).toBe('2026-02-26');
    expect(resolveDueDate(upload, '2026-02-12')).toBeNull();
  });

  it('prefers an explicit date over the follow-up meeting', () => {
    expect(
      resolveDueDate('before we talk again, so by Friday', TUESDAY, { followUpDate: '2026-02-26' }),
    ).toBe('2026-01-23');
  });

  it('handles month and year ends, leap years included', () => {
    expect(resolveDueDate('by the end of the month', '2028-02-10')).toBe('2028-02-29');
    expect(resolveDueDate('end of next month', '2026-12-05')).toBe('2027-01-31');
    expect(resolveDueDate('this week', '2026-01-25')).toBe('2026-01-25');
  });

  it('refuses a meeting date that is not YYYY-MM-DD', () => {
    expect(() => resolveDueDate('today', '20/01/2026')).toThrow(RangeError);
  });

  it('puts weekday expressions on the right weekday and in the right week, for any meeting date', () => {
    const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
    const dateArb = fc.date({
      min: new Date('2000-01-01'),
      max: new Date('2099-12-31'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 6 }), (date, target) => {
        const meeting = date.toISOString().slice(0, 10);
        const dayOf = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
        const daysAfter = (iso: string) => (Date.parse(iso) - Date.parse(meeting)) / 86_400_000;
        const by = resolveDueDate(`by ${days[target]}`, meeting) ?? '';
        expect(dayOf(by)).toBe(target);
        expect(daysAfter(by)).toBeGreaterThanOrEqual(1);
        expect(daysAfter(by)).toBeLessThanOrEqual(7);
        const next = resolveDueDate(`next ${days[target]}`, meeting) ?? '';
        expect(dayOf(next)).toBe(target);
        // Friday of the following Monday-to-Sunday week: between 1 and 13 days on.
        expect(daysAfter(next)).toBeGreaterThanOrEqual(1);
        expect(daysAfter(next)).toBeLessThanOrEqual(13);
        expect(dayOf(resolveDueDate('this weekend', meeting) ?? '')).toBe(0);
        expect(resolveDueDate('two weeks from today', meeting)).toBe(
          new Date(Date.parse(meeting) + 14 * 86_400_000).toISOString().slice(0, 10),
        );
      }),
    );
  });
});
