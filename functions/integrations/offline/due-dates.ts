import { MONTHS, monthNumber, ORDINAL_DAY_WORDS, WEEKDAYS } from '../../integrations/offline/calendar-words';

/** What, besides the meeting date, a relative time frame may refer to. */
export interface DueDateOptions {
  /** The date of the next meeting, for "before we talk again" / "before then"; absent when none was set. */
  followUpDate?: string | null | undefined;
  /**
   * What was said shortly before, for a bare day of the month: "when it matures on the twelfth" after
   * "one matures April twelfth" is April 12, not the next 12th.
   */
  context?: string | undefined;
}

const ORDINAL_WORDS = ORDINAL_DAY_WORDS;

const COUNT_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  couple: 2,
  'a couple': 2,
  'a couple of': 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

const MONTH = `(${MONTHS.join('|')})`;
const WEEKDAY = `(${WEEKDAYS.join('|')})`;
// Longest alternatives first so "twenty-first" is not read as "first".
const ORDINAL = `(${Object.keys(ORDINAL_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|')}|[0-3]?\\d(?:st|nd|rd|th))`;
const DAY = `(${ORDINAL.slice(1, -1)}|[0-3]?\\d)`;
const COUNT = `(\\d+|${Object.keys(COUNT_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;
// A day number must not be the start of a larger number or an amount ("April 2026", "May 15,000").
// "on the twelfth" is a date; "on the second floor", "by the first of the month" are not.
const ORDINAL_ALONE = '\\b(?=\\s*(?:$|[,.;:!?—–]|(?:and|or|so|when|then|if|at|because|to|too)\\b))';
const DAY_END = '(?![\\d,.]*\\d)(?!\\s*(?:percent|%|thousand|hundred|million|dollars))';

interface IsoParts {
  year: number;
  month: number; // 1–12
  day: number;
}

function parseIso(iso: string): IsoParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

const toUtc = ({ year, month, day }: IsoParts) => Date.UTC(year, month - 1, day);
const DAY_MS = 86_400_000;

function formatIso(utcMs: number): string {
  return new Date(utcMs).toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
  return formatIso(toUtc(parseIso(iso)) + days * DAY_MS);
}

function weekday(iso: string): number {
  return new Date(toUtc(parseIso(iso))).getUTCDay();
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function lastDayOf(year: number, month: number): string {
  return formatIso(Date.UTC(year, month - 1, daysInMonth(year, month)));
}

function addMonths(iso: string, months: number): string {
  const { year, month, day } = parseIso(iso);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return formatIso(
    Date.UTC(targetYear, targetMonth - 1, Math.min(day, daysInMonth(targetYear, targetMonth))),
  );
}

/** The next date after the meeting (strictly, or the same day when `sameDayCounts`) on the given weekday. */
function nextWeekday(meetingDate: string, target: number, sameDayCounts: boolean): string {
  let ahead = (target - weekday(meetingDate) + 7) % 7;
  if (ahead === 0 && !sameDayCounts) ahead = 7;
  return addDays(meetingDate, ahead);
}

/** Weeks run Monday to Sunday: `weekOffset` 0 is the meeting's week, 1 the following one. */
function weekdayOfWeek(meetingDate: string, target: number, weekOffset: number): string {
  const mondayBased = (d: number) => (d + 6) % 7;
  const monday = addDays(meetingDate, -mondayBased(weekday(meetingDate)));
  return addDays(monday, weekOffset * 7 + mondayBased(target));
}

/** Month and day without a year: their next occurrence on or after the meeting date; invalid days give null. */
function nextOccurrence(meetingDate: string, month: number, day: number): string | null {
  const meeting = parseIso(meetingDate);
  for (const year of [meeting.year, meeting.year + 1]) {
    if (day > daysInMonth(year, month)) continue;
    const candidate = formatIso(Date.UTC(year, month - 1, day));
    if (candidate >= meetingDate) return candidate;
  }
  return null;
}

/** A day of the month without a month: the next such day on or after the meeting date. */
function nextDayOfMonth(meetingDate: string, day: number): string | null {
  const meeting = parseIso(meetingDate);
  for (let offset = 0; offset < 3; offset++) {
    const index = meeting.year * 12 + (meeting.month - 1) + offset;
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    if (day > daysInMonth(year, month)) continue;
    const candidate = formatIso(Date.UTC(year, month - 1, day));
    if (candidate >= meetingDate) return candidate;
  }
  return null;
}

function weekdayNumber(name: string): number {
  return WEEKDAYS.indexOf(name as (typeof WEEKDAYS)[number]);
}

function dayNumber(token: string): number {
  const word = ORDINAL_WORDS[token.replace(/\s+/g, ' ')];
  return word ?? Number.parseInt(token, 10);
}

function countNumber(token: string): number {
  return COUNT_WORDS[token] ?? Number.parseInt(token, 10);
}

type Rule = (text: string, meetingDate: string, options: DueDateOptions) => string | null | undefined;

const rules: Rule[] = [
  // "two weeks from today", "in 10 days", "a month from now"
  (text, meetingDate) => {
    const match =
      new RegExp(`\\b${COUNT} (day|week|month)s? from (?:today|now)\\b`).exec(text) ??
      new RegExp(`\\bin (?:about )?${COUNT} (day|week|month)s?\\b`).exec(text);
    if (!match?.[1] || !match[2]) return undefined;
    const n = countNumber(match[1]);
    if (match[2] === 'month') return addMonths(meetingDate, n);
    return addDays(meetingDate, match[2] === 'week' ? n * 7 : n);
  },
  // "April first", "April 12th", "October 10, 2026"
  (text, meetingDate) => {
    const match = new RegExp(`\\b${MONTH} (?:the )?${DAY}\\b${DAY_END}(?:,? (\\d{4}))?`).exec(text);
    if (!match?.[1] || !match[2]) return undefined;
    const month = monthNumber(match[1]);
    const day = dayNumber(match[2]);
    if (match[3]) {
      const year = Number(match[3]);
      return day <= daysInMonth(year, month) ? formatIso(Date.UTC(year, month - 1, day)) : null;
    }
    return nextOccurrence(meetingDate, month, day);
  },
  // "the twelfth of April", "12th of April"
  (text, meetingDate) => {
    const match = new RegExp(`\\b${ORDINAL} of ${MONTH}\\b`).exec(text);
    if (!match?.[1] || !match[2]) return undefined;
    return nextOccurrence(meetingDate, monthNumber(match[2]), dayNumber(match[1]));
  },
  // "Friday the twenty-seventh", "on the twelfth" — a day of the month, the month from context when said
  (text, meetingDate, options) => {
    const match =
      new RegExp(`\\b${WEEKDAY} the ${ORDINAL}\\b`).exec(text) ??
      new RegExp(`\\b(on|by|before|until) the ${ORDINAL}${ORDINAL_ALONE}`).exec(text);
    if (!match?.[2]) return undefined;
    const day = dayNumber(match[2]);
    const context = options.context?.toLowerCase() ?? '';
    const mentioned = [...context.matchAll(new RegExp(`\\b${MONTH} (?:the )?${DAY}\\b${DAY_END}`, 'g'))]
      .filter((m) => m[2] !== undefined && dayNumber(m[2]) === day)
      .at(-1);
    if (mentioned?.[1]) return nextOccurrence(meetingDate, monthNumber(mentioned[1]), day);
    return nextDayOfMonth(meetingDate, day);
  },
  // "end of the month", "month-end", "end of next month"
  (text, meetingDate) => {
    const { year, month } = parseIso(meetingDate);
    if (/\bend of (?:the |this )?month\b|\bmonth-end\b|\bend-of-month\b/.test(text))
      return lastDayOf(year, month);
    if (/\bend of next month\b/.test(text)) {
      const next = parseIso(addMonths(`${year}-${String(month).padStart(2, '0')}-01`, 1));
      return lastDayOf(next.year, next.month);
    }
    return undefined;
  },
  // "end of August"
  (text, meetingDate) => {
    const match = new RegExp(`\\bend of ${MONTH}\\b`).exec(text);
    if (!match?.[1]) return undefined;
    const month = monthNumber(match[1]);
    const meeting = parseIso(meetingDate);
    const year = month >= meeting.month ? meeting.year : meeting.year + 1;
    return lastDayOf(year, month);
  },
  // "end of the year", "year-end"
  (text, meetingDate) => {
    if (!/\bend of (?:the |this )?year\b|\byear-end\b/.test(text)) return undefined;
    return `${parseIso(meetingDate).year}-12-31`;
  },
  // "next Friday": Friday of the following week
  (text, meetingDate) => {
    const match = new RegExp(`\\bnext ${WEEKDAY}\\b`).exec(text);
    return match?.[1] ? weekdayOfWeek(meetingDate, weekdayNumber(match[1]), 1) : undefined;
  },
  // "next week" ends on the following week's Friday, as "this week" ends on this week's
  (text, meetingDate) => {
    if (/\bnext weekend\b/.test(text)) return weekdayOfWeek(meetingDate, 0, 1);
    if (/\b(?:by |before )?(?:the end of )?next week\b/.test(text)) return weekdayOfWeek(meetingDate, 5, 1);
    return undefined;
  },
  (text, meetingDate) =>
    /\bthis weekend\b|\bover the weekend\b/.test(text) ? nextWeekday(meetingDate, 0, true) : undefined,
  // "this week" on a Saturday or Sunday: the week's Friday has passed, so the meeting day itself
  (text, meetingDate) => {
    if (!/\b(?:this|the end of the) week\b/.test(text)) return undefined;
    const friday = weekdayOfWeek(meetingDate, 5, 0);
    return friday < meetingDate ? meetingDate : friday;
  },
  // "this Thursday": the coming one, the meeting day included
  (text, meetingDate) => {
    const match = new RegExp(`\\bthis ${WEEKDAY}\\b`).exec(text);
    return match?.[1] ? nextWeekday(meetingDate, weekdayNumber(match[1]), true) : undefined;
  },
  (text, meetingDate) => (/\bday after tomorrow\b/.test(text) ? addDays(meetingDate, 2) : undefined),
  (text, meetingDate) => (/\btomorrow\b/.test(text) ? addDays(meetingDate, 1) : undefined),
  (text, meetingDate) =>
    /\b(?:today|tonight|this (?:morning|afternoon|evening)|end of (?:the )?day)\b/.test(text)
      ? meetingDate
      : undefined,
  // "by Friday", "on Monday", "Monday": the next such weekday after the meeting ("Thursdays" is a habit, not a date)
  (text, meetingDate) => {
    const match = new RegExp(`\\b${WEEKDAY}\\b(?!s\\b)`).exec(text);
    return match?.[1] ? nextWeekday(meetingDate, weekdayNumber(match[1]), false) : undefined;
  },
  (text, _meetingDate, options) => {
    const untilNextMeeting =
      /\bbefore (?:we (?:talk|meet|speak) again|(?:our|the) next (?:meeting|call|review)|then)\b|\bby (?:our|the) next (?:meeting|call|review)\b/;
    return untilNextMeeting.test(text) && options.followUpDate ? options.followUpDate : undefined;
  },
];

/**
 * The due date a commitment's own words give it, resolved against the meeting date (YYYY-MM-DD) per the golden
 * rules: "today"/"tonight" → the meeting date, "tomorrow" → the next day, "this week" → that week's Friday, "this
 * weekend" → the coming Sunday, "by Friday"/"on Monday" → the next such weekday after the meeting, "next Friday"
 * → Friday of the following week, "end of the month" → its last day, "end of August" → August 31, "two weeks
 * from today" → 14 days later, "before we talk again" → the follow-up date, a date without a year → its next
 * occurrence. The most specific expression wins; a negated one ("not this Friday but next Friday") is ignored.
 *
 * @returns the date, or null when the text gives no time frame (a month alone, "in March", is not a due date).
 */
export function resolveDueDate(
  text: string,
  meetingDate: string,
  options: DueDateOptions = {},
): string | null {
  parseIso(meetingDate);
  const lowered = text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(new RegExp(`\\bnot (?:this |next |on |by )?${WEEKDAY}\\b`, 'g'), ' ');
  for (const rule of rules) {
    const resolved = rule(lowered, meetingDate, options);
    if (resolved !== undefined) return resolved;
  }
  return null;
}
