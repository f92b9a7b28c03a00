import type { Span } from '../../core/extraction/quote-span';

/** How an amount was said, which decides how context may scale it. */
export type AmountForm =
  | 'exact' // "$212,000", "1.4 million", "sixty grand", "six hundred twenty thousand"
  | 'bare' // a number without magnitude: "Twenty-two", "a hundred and forty", "1150"
  | 'paired' // two groups read as digits: "four sixty-five" (465), "thirty-eight fifty" (3850)
  | 'percent'; // "9%", "eight percent" — value already a fraction (0.09)

export interface SpokenAmount {
  value: number;
  form: AmountForm;
  span: Span;
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
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
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const MAGNITUDES: Record<string, number> = {
  thousand: 1_000,
  grand: 1_000,
  k: 1_000,
  million: 1_000_000,
  m: 1_000_000,
  mm: 1_000_000,
  billion: 1_000_000_000,
};

const SMALL = `(?:${Object.keys(TENS).join('|')})(?:-(?:${Object.keys(UNITS).slice(1, 10).join('|')}))?|${Object.keys(
  UNITS,
)
  .sort((a, b) => b.length - a.length)
  .join('|')}`;
const WORD = `(?:${SMALL}|hundred|and|a)`;
const WORD_NUMBER = new RegExp(
  `\\b(?:${SMALL}|a hundred|(?<=\\bthe )hundred|a(?=\\s+(?:thousand|million|billion)\\b))(?:[\\s-]+${WORD})*(?:\\s+(?:thousand|grand|million|billion))?(?:\\s*(?:percent|%))?\\b`,
  'gi',
);
const DIGIT_NUMBER =
  /(\$\s?)?\b(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(%|percent|k\b|m\b|mm\b|million\b|billion\b|thousand\b|grand\b))?/gi;

/** A number under a hundred said in words ("sixty-five", "eleven"), or undefined. */
function small(word: string): number | undefined {
  const [tens, unit] = word.toLowerCase().split('-');
  if (tens === undefined) return undefined;
  if (unit !== undefined) {
    const t = TENS[tens];
    const u = UNITS[unit];
    return t !== undefined && u !== undefined ? t + u : undefined;
  }
  return UNITS[tens] ?? TENS[tens];
}

/**
 * Words → a number and how it was said. Handles "six hundred twenty thousand", "a hundred and forty",
 * "fifty-one hundred" (5100), "twenty two" (22) and the paired reading "four sixty-five" / "thirty-eight fifty".
 */
function parseWords(phrase: string): { value: number; form: AmountForm } | undefined {
  let text = phrase.toLowerCase().trim();
  let percent = false;
  if (/\s*(?:percent|%)$/.test(text)) {
    percent = true;
    text = text.replace(/\s*(?:percent|%)$/, '');
  }
  let magnitude = 1;
  const magnitudeWord = /\s+(thousand|grand|million|billion)$/.exec(text);
  if (magnitudeWord?.[1]) {
    magnitude = MAGNITUDES[magnitudeWord[1]] ?? 1;
    text = text.slice(0, magnitudeWord.index);
  }
  const tokens = text
    .split(/[\s]+/)
    .flatMap((t) =>
      /^(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-/.test(t) ? [t] : t.split('-'),
    )
    .filter((t) => t !== 'and' && t !== '');
  if (tokens[0] === 'a') tokens[0] = 'one';
  if (tokens[0] === 'hundred') tokens.unshift('one'); // "the hundred fifty"

  if (tokens.length === 0 || tokens.includes('a')) return undefined;

  let value: number;
  let form: AmountForm = magnitude > 1 ? 'exact' : 'bare';
  const hundredAt = tokens.indexOf('hundred');
  if (hundredAt >= 0) {
    const head = tokens.slice(0, hundredAt).map(small);
    const tail = tokens.slice(hundredAt + 1).map(small);
    if (head.length !== 1 || head[0] === undefined || tail.includes(undefined) || tail.length > 2)
      return undefined;
    const rest = (tail as number[]).reduce((sum, n) => sum + n, 0);
    value = head[0] * 100 + rest;
  } else {
    const numbers = tokens.map(small);
    if (numbers.includes(undefined)) return undefined;
    const [a, b] = numbers as number[];
    if (numbers.length === 1 && a !== undefined) value = a;
    else if (numbers.length === 2 && a !== undefined && b !== undefined) {
      const [first] = tokens as [string, string];
      // "twenty two" is 22; "four sixty-five" is 465; "twenty-four five" is 24,500.
      if (TENS[first] !== undefined && b < 10 && !first.includes('-')) value = a + b;
      else if (b >= 10) {
        value = a * 100 + b;
        form = 'paired';
      } else {
        value = a * 1000 + b * 100;
        form = 'paired';
      }
    } else return undefined;
  }
  if (percent) return { value: (value * magnitude) / 100, form: 'percent' };
  return { value: value * magnitude, form: magnitude > 1 ? 'exact' : form };
}

/**
 * Every amount said in `text`, in order: digits ("$1.18 million", "$9,400", "22%") and words ("four sixty-five",
 * "sixty grand", "fifty percent"). Percentages come back as fractions (6% → 0.06). Years (1990–2099 said as
 * digits) and ordinals are not amounts.
 */
export function findAmounts(text: string): SpokenAmount[] {
  const found: SpokenAmount[] = [];
  const taken: Span[] = [];
  const overlaps = (span: Span) => taken.some((t) => span.start < t.end && t.start < span.end);

  for (const m of text.matchAll(DIGIT_NUMBER)) {
    const [whole, dollar, integer = '', fraction = '', unit] = m;
    const span = { start: m.index, end: m.index + whole.trimEnd().length };
    const after = text.slice(span.end);
    if (/^(?:st|nd|rd|th|s)\b|^\(|^-[a-z0-9]|^\/\d/i.test(after)) continue; // 21st, 1099s, 401(k), 1120-S, 50/50
    if (/['’]$/.test(text.slice(0, m.index))) continue; // '98, '28: years
    const base = Number.parseFloat(`${integer.replace(/,/g, '')}${fraction}`);
    if (!Number.isFinite(base)) continue;
    const unitKey = unit?.toLowerCase();
    if (!dollar && !unitKey && /^(?:19|20)\d\d$/.test(integer) && !fraction) continue;
    if (unitKey === '%' || unitKey === 'percent') found.push({ value: base / 100, form: 'percent', span });
    else if (unitKey)
      found.push({ value: Math.round(base * (MAGNITUDES[unitKey] ?? 1)), form: 'exact', span });
    else found.push({ value: base, form: dollar || integer.includes(',') ? 'exact' : 'bare', span });
    taken.push(span);
  }
  for (const m of text.matchAll(WORD_NUMBER)) {
    const phrase = m[0].replace(/(?:\s+(?:and|a))+$/i, '');
    const span = { start: m.index, end: m.index + phrase.length };
    if (/^-(?!dollar)[a-z]/i.test(text.slice(span.end))) continue; // "thirty-first", "ten-year": not amounts
    if (overlaps(span) || /^a$/i.test(phrase.trim())) continue;
    if (/^(?:one|a)$/i.test(phrase)) continue; // "one of", "a lot": not amounts
    const parsed = parseWords(phrase);
    if (!parsed) continue;
    found.push({ ...parsed, span });
    taken.push(span);
  }
  return mergeCompounds(
    text,
    found.sort((a, b) => a.span.start - b.span.start),
  );
}

/** "six thousand four hundred" is one amount (6400), read in two parts. */
function mergeCompounds(text: string, amounts: SpokenAmount[]): SpokenAmount[] {
  const merged: SpokenAmount[] = [];
  for (const amount of amounts) {
    const last = merged.at(-1);
    const gap = last ? text.slice(last.span.end, amount.span.start) : '';
    if (
      last?.form === 'exact' &&
      last.value >= 1000 &&
      last.value % 1000 === 0 &&
      amount.form === 'bare' &&
      amount.value < 1000 &&
      /^\s+(?:and\s+)?$/.test(gap) &&
      !/\d/.test(text.slice(last.span.start, amount.span.end))
    ) {
      merged[merged.length - 1] = {
        value: last.value + amount.value,
        form: 'exact',
        span: { start: last.span.start, end: amount.span.end },
      };
    } else merged.push(amount);
  }
  return merged;
}
