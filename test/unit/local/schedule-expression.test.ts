import { describe, expect, it } from 'vitest';
import { topology } from '../../../functions/topology';
import { LocalHostError } from '../../../lib/local/errors';
import { parseScheduleExpression } from '../../../lib/local/schedule-expression';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
/** The next `count` fire times after `from`. */
function fires(expression: string, from: string, count: number, timezone = 'UTC'): (string | undefined)[] {
  const parsed = parseScheduleExpression(expression, timezone, at(from));
  const out: (string | undefined)[] = [];
  let t: number | undefined = at(from);
  for (let i = 0; i < count && t !== undefined; i += 1) {
    t = parsed.next(t);
    out.push(iso(t));
  }
  return out;
}

describe('rate expressions', () => {
  it('fire one interval after the start, then every interval', () => {
    expect(fires('rate(1 hour)', '2026-03-01T10:17:00.000Z', 3)).toEqual([
      '2026-03-01T11:17:00.000Z',
      '2026-03-01T12:17:00.000Z',
      '2026-03-01T13:17:00.000Z',
    ]);
    expect(fires('rate(15 minutes)', '2026-03-01T10:00:00.000Z', 2)).toEqual([
      '2026-03-01T10:15:00.000Z',
      '2026-03-01T10:30:00.000Z',
    ]);
    expect(fires('rate(2 days)', '2026-03-01T00:00:00.000Z', 1)).toEqual(['2026-03-03T00:00:00.000Z']);
  });

  it('keep their timetable when asked late (a busy host): the next slot, not one interval after now', () => {
    const parsed = parseScheduleExpression('rate(1 hour)', 'UTC', at('2026-03-01T10:00:00Z'));
    expect(iso(parsed.next(at('2026-03-01T12:59:59Z')))).toBe('2026-03-01T13:00:00.000Z');
  });
});

describe('cron expressions', () => {
  it('fire at the listed minutes and hours', () => {
    expect(fires('cron(0 6 * * ? *)', '2026-03-01T07:00:00Z', 2)).toEqual([
      '2026-03-02T06:00:00.000Z',
      '2026-03-03T06:00:00.000Z',
    ]);
    expect(fires('cron(0/20 9-10 * * ? *)', '2026-03-01T08:00:00Z', 7)).toEqual([
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T09:20:00.000Z',
      '2026-03-01T09:40:00.000Z',
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:20:00.000Z',
      '2026-03-01T10:40:00.000Z',
      '2026-03-02T09:00:00.000Z',
    ]);
  });

  it('count days of the week from Sunday = 1 and take names', () => {
    // 2026-03-02 is a Monday.
    expect(fires('cron(30 8 ? * MON-FRI *)', '2026-02-28T00:00:00Z', 2)).toEqual([
      '2026-03-02T08:30:00.000Z',
      '2026-03-03T08:30:00.000Z',
    ]);
    expect(fires('cron(0 12 ? * 1 *)', '2026-03-02T00:00:00Z', 1)).toEqual(['2026-03-08T12:00:00.000Z']);
    expect(fires('cron(0 0 1 JAN,JUL ? *)', '2026-03-02T00:00:00Z', 2)).toEqual([
      '2026-07-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });

  it('read the expression in its time zone, across a daylight-saving change', () => {
    // New York: EST (UTC-5) until 2026-03-08 02:00, EDT (UTC-4) after.
    expect(fires('cron(0 6 * * ? *)', '2026-03-07T00:00:00Z', 2, 'America/New_York')).toEqual([
      '2026-03-07T11:00:00.000Z',
      '2026-03-08T10:00:00.000Z',
    ]);
  });

  it('never fires again after its last year', () => {
    expect(fires('cron(0 0 1 1 ? 2026)', '2026-06-01T00:00:00Z', 1)).toEqual([undefined]);
  });
});

describe('bad expressions', () => {
  it.each([
    ['every(1 hour)', /expected rate\(\.\.\.\) or cron\(\.\.\.\)/],
    ['rate(0 hours)', /positive value/],
    ['rate(1 fortnight)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['cron(0 6 * * *)', /6 fields/],
    ['cron(0 6 * * * *)', /exactly one of day-of-month and day-of-week must be \?/],
    ['cron(61 6 * * ? *)', /minutes field "61" must be 0–59/],
    ['cron(0 6 L * ? *)', /L, W or #/],
    ['cron(0 6 ? * MON#2 *)', /L, W or #/],
    ['cron(0 10-6 * * ? *)', /runs backwards/],
  ])('refuses %s, saying what is wrong', (expression, message) => {
    expect(() => parseScheduleExpression(expression, 'UTC', 0)).toThrow(LocalHostError);
    expect(() => parseScheduleExpression(expression, 'UTC', 0)).toThrow(message);
  });

  it('refuses a time zone that is not an IANA name', () => {
    expect(() => parseScheduleExpression('cron(0 6 * * ? *)', 'Mars/Olympus', 0)).toThrow(/IANA time zone/);
  });

  it('parses every schedule in the topology', () => {
    for (const schedule of topology.schedules)
      expect(parseScheduleExpression(schedule.expression, schedule.timezone, 0).next(0)).toBeGreaterThan(0);
  });
});
