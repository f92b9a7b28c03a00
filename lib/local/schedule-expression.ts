import { LocalHostError } from './errors';

/**
 * An EventBridge Scheduler expression as the local host runs it: `next(afterMs)` is the first time strictly
 * after `afterMs` (epoch ms) the schedule fires, or undefined when it never fires again.
 */
export interface ScheduleExpression {
  readonly expression: string;
  next(afterMs: number): number | undefined;
}

const MINUTE_MS = 60_000;
const RATE_UNITS: Readonly<Record<string, number>> = {
  minute: MINUTE_MS,
  minutes: MINUTE_MS,
  hour: 60 * MINUTE_MS,
  hours: 60 * MINUTE_MS,
  day: 24 * 60 * MINUTE_MS,
  days: 24 * 60 * MINUTE_MS,
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** EventBridge numbers days of the week 1–7 from Sunday. */
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** How far ahead a cron expression is searched before it counts as never firing. */
const SEARCH_YEARS = 5;

/**
 * Parses `rate(value unit)` and `cron(minutes hours day-of-month month day-of-week year)` as EventBridge
 * Scheduler writes them (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html), cron read
 * in `timezone`. A rate schedule fires one interval after `startMs`, then every interval. Cron supports `*`, `?`,
 * lists, ranges, steps and month and weekday names; `L`, `W` and `#` are refused (no schedule uses them).
 */
export function parseScheduleExpression(
  expression: string,
  timezone: string,
  startMs: number,
): ScheduleExpression {
  const rate = /^rate\((\d+) (\w+)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unitMs = RATE_UNITS[rate[2] ?? ''];
    if (unitMs === undefined || value < 1) {
      throw new LocalHostError(
        `schedule expression ${expression}: rate needs a positive value and minute(s), hour(s) or day(s)`,
      );
    }
    const everyMs = value * unitMs;
    return {
      expression,
      next: (afterMs) => startMs + (Math.floor(Math.max(0, afterMs - startMs) / everyMs) + 1) * everyMs,
    };
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (!cron) throw new LocalHostError(`schedule expression ${expression}: expected rate(...) or cron(...)`);
  const fields = (cron[1] ?? '').trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new LocalHostError(
      `schedule expression ${expression}: cron needs 6 fields (minutes hours day-of-month month day-of-week year)`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new LocalHostError(
      `schedule expression ${expression}: exactly one of day-of-month and day-of-week must be ?`,
    );
  }
  const field = (text: string, name: string, min: number, max: number, names: readonly string[] = []) =>
    parseField(text, { expression, name, min, max, names });
  const match = {
    minute: field(minutes, 'minutes', 0, 59),
    hour: field(hours, 'hours', 0, 23),
    day: field(dayOfMonth, 'day-of-month', 1, 31),
    month: field(month, 'month', 1, 12, MONTHS),
    weekday: field(dayOfWeek, 'day-of-week', 1, 7, WEEKDAYS),
    year: field(year, 'year', 1970, 2199),
  };
  const wallClock = wallClockIn(timezone);
  return {
    expression,
    next(afterMs) {
      const limit = afterMs + SEARCH_YEARS * 366 * 24 * 60 * MINUTE_MS;
      let t = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
      while (t <= limit) {
        const w = wallClock(t);
        const dayMatches =
          match.year(w.year) && match.month(w.month) && match.day(w.day) && match.weekday(w.weekday);
        // To the next local hour, not the next midnight: a daylight-saving day is 23 or 25 hours long.
        if (!dayMatches || !match.hour(w.hour)) {
          t += (60 - w.minute) * MINUTE_MS;
        } else if (!match.minute(w.minute)) {
          t += MINUTE_MS;
        } else {
          return t;
        }
      }
      return undefined;
    },
  };
}

interface FieldContext {
  expression: string;
  name: string;
  min: number;
  max: number;
  names: readonly string[];
}

/** One cron field as a predicate over its value. */
function parseField(text: string, ctx: FieldContext): (value: number) => boolean {
  if (text === '*' || text === '?') return () => true;
  const allowed = new Set<number>();
  const bad = (why: string): never => {
    throw new LocalHostError(`schedule expression ${ctx.expression}: ${ctx.name} field "${text}" ${why}`);
  };
  if (/[LW#]/.test(text.replace(/[A-Z]{3}/g, ''))) bad('uses L, W or #, which the local host does not run');
  const value = (part: string): number => {
    const named = ctx.names.indexOf(part.toUpperCase());
    const n = named >= 0 ? named + 1 : /^\d+$/.test(part) ? Number(part) : Number.NaN;
    if (!Number.isInteger(n) || n < ctx.min || n > ctx.max) bad(`must be ${ctx.min}–${ctx.max}`);
    return n;
  };
  for (const item of text.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) bad('has a bad step');
    const [from, to] =
      range === '*'
        ? [ctx.min, ctx.max]
        : range.includes('-')
          ? (range.split('-').map(value) as [number, number])
          : [value(range), stepText === undefined ? value(range) : ctx.max];
    if (from > to) bad('has a range that runs backwards');
    for (let n = from; n <= to; n += step) allowed.add(n);
  }
  return (n) => allowed.has(n);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  /** 1 = Sunday … 7 = Saturday, as EventBridge counts. */
  weekday: number;
  hour: number;
  minute: number;
}

/** The local date and time of an instant in `timezone` (an IANA name; `UTC` without Intl). */
function wallClockIn(timezone: string): (ms: number) => WallClock {
  if (timezone === 'UTC') {
    return (ms) => {
      const d = new Date(ms);
      return {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        weekday: d.getUTCDay() + 1,
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
      };
    };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
  } catch {
    throw new LocalHostError(`schedule time zone ${timezone} is not an IANA time zone`);
  }
  return (ms) => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      weekday: WEEKDAYS.indexOf(String(parts.weekday).toUpperCase()) + 1,
      hour: Number(parts.hour),
      minute: Number(parts.minute),
    };
  };
}
