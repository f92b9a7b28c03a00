import { countWords, QUOTE_MAX_CHARS, QUOTE_MAX_WORDS, QUOTE_MIN_WORDS } from './extraction-schema';

/** A half-open character range `[start, end)` in an utterance's text. */
export interface Span {
  start: number;
  end: number;
}

// A full stop after these is not the end of a sentence ("St. Patrick's Day", "Dr. Lee").
const ABBREVIATIONS = /(?:^|\s)(?:mr|mrs|ms|dr|st|jr|sr|vs|etc|inc|co|corp|no|approx|e\.g|i\.e)\.$/i;

/** Sentences of an utterance: ends at `.`, `?`, `!` or `…` followed by a space (so `$1.18` stays whole). */
export function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const match of text.matchAll(/[.?!…]+["”’)]*(?=\s)/g)) {
    const end = match.index + match[0].length;
    if (ABBREVIATIONS.test(text.slice(start, end))) continue;
    spans.push({ start, end });
    start = end;
  }
  spans.push({ start, end: text.length });
  return spans.map((span) => trimSpan(text, span)).filter((span) => span.end > span.start);
}

function trimSpan(text: string, { start, end }: Span): Span {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
  return { start: s, end: e };
}

function wordSpans(text: string, within: Span): Span[] {
  const slice = text.slice(within.start, within.end);
  return [...slice.matchAll(/\S+/g)].map((m) => ({
    start: within.start + m.index,
    end: within.start + m.index + m[0].length,
  }));
}

/**
 * An exact substring of `text` to cite for `match`: the sentence(s) holding it, widened by neighbouring
 * sentences to at least 4 words (or the whole utterance, when it is shorter) and narrowed around the match to
 * at most 40 words (and 600 characters).
 */
export function quoteAround(text: string, match: Span): string {
  const quote = wordsAround(text, match);
  if (quote.length <= QUOTE_MAX_CHARS) return quote;
  // Only a transcript without spaces gets here: cut characters around the match instead.
  const from = Math.max(0, Math.min(match.start, text.length - QUOTE_MAX_CHARS));
  return text.slice(from, from + QUOTE_MAX_CHARS).trim();
}

function wordsAround(text: string, match: Span): string {
  const sentences = sentenceSpans(text);
  if (sentences.length === 0) return text.trim();
  let first = sentences.findIndex((s) => s.end > match.start);
  if (first < 0) first = sentences.length - 1;
  let last = first;
  while (last + 1 < sentences.length && (sentences[last + 1]?.start ?? Infinity) < match.end) last++;

  const spanOf = (): Span => ({
    start: sentences[first]?.start ?? 0,
    end: sentences[last]?.end ?? text.length,
  });
  while (countWords(text.slice(spanOf().start, spanOf().end)) < QUOTE_MIN_WORDS) {
    if (last + 1 < sentences.length) last++;
    else if (first > 0) first--;
    else break;
  }

  const span = spanOf();
  const words = wordSpans(text, span);
  if (words.length <= QUOTE_MAX_WORDS) return text.slice(span.start, span.end);

  let mFirst = words.findIndex((w) => w.end > match.start);
  if (mFirst < 0) mFirst = 0;
  let mLast = mFirst;
  while (mLast + 1 < words.length && (words[mLast + 1]?.start ?? Infinity) < match.end) mLast++;
  if (mLast - mFirst + 1 > QUOTE_MAX_WORDS) mLast = mFirst + QUOTE_MAX_WORDS - 1;

  const room = QUOTE_MAX_WORDS - (mLast - mFirst + 1);
  let left = Math.min(mFirst, Math.floor(room / 2));
  const right = Math.min(words.length - 1 - mLast, room - left);
  left = Math.min(mFirst, room - right);
  const from = words[mFirst - left]?.start ?? span.start;
  const to = words[mLast + right]?.end ?? span.end;
  return text.slice(from, to);
}
