/** Month and weekday names and spoken day-of-month ordinals, shared by due-date and client-fact parsing. */
export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;

const UNITS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'] as const;
const TEENS_AND_TENS: Record<string, number> = {
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
};

/** "first" … "thirty-first" as said aloud, hyphenated or spaced ("twenty-first", "twenty first"). */
export const ORDINAL_DAY_WORDS: Readonly<Record<string, number>> = (() => {
  const words: Record<string, number> = { ...TEENS_AND_TENS };
  for (const [i, unit] of UNITS.entries()) {
    words[unit] = i + 1;
    words[`twenty-${unit}`] = 21 + i;
    words[`twenty ${unit}`] = 21 + i;
  }
  words['thirty-first'] = 31;
  words['thirty first'] = 31;
  return words;
})();

/** 1–12 for a month name (any case), 0 when it is not one. */
export function monthNumber(name: string): number {
  return MONTHS.indexOf(name.toLowerCase() as (typeof MONTHS)[number]) + 1;
}
