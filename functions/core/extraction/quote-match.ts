import type { Span } from './quote-span';

/** A word of a text as quotes are compared: folded, with its place in the original text. */
interface Word {
  word: string;
  start: number;
  end: number;
}

// Typographic variants a writer (or a model) swaps freely. Each maps one UTF-16 unit to one, so offsets hold.
const CURLY_SINGLE = /[‘’‚‛′`]/g;
const CURLY_DOUBLE = /[“”„‟″]/g;
const DASHES = /[‐‑‒–—―−]/g;
// Between words, dashes separate like spaces: "fund—it", "fund – it" and "fund - it" read the same.
const WORD = /[^\s-]+/g;
const EDGE_PUNCTUATION = /^[\s"'([{*_,.;:!?…]+|[\s"')\]}*_,.;:!?…]+$/g;

/** Sounds with no words in them; dropped from quotes and utterances alike. */
const VOCAL_FILLERS = new Set([
  'um',
  'umm',
  'uh',
  'uhh',
  'uhm',
  'er',
  'erm',
  'ah',
  'ahh',
  'hmm',
  'hm',
  'mm',
  'mmm',
]);
/** Filler phrases. Hedges ("sort of", "kind of") are not here: dropping them changes what was said. */
const FILLER_PHRASES = [
  ['you', 'know'],
  ['i', 'mean'],
];

function fold(text: string): string {
  return text.replace(CURLY_SINGLE, "'").replace(CURLY_DOUBLE, '"').replace(DASHES, '-');
}

/**
 * The words of `text` that carry content: typographic quotes and dashes folded, case folded, punctuation at
 * word edges ignored, and fillers dropped — "um", "uh", "you know", "I mean", and "like" set off by a comma
 * ("it was, like, twenty"; "like a CD" keeps its "like").
 */
export function contentWords(text: string): Word[] {
  const folded = fold(text);
  const raw = [...folded.matchAll(WORD)].map((m) => ({
    raw: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
  const words: (Word & { commaMarked: boolean })[] = [];
  for (const [i, token] of raw.entries()) {
    const bare = token.raw.replace(EDGE_PUNCTUATION, '');
    if (bare === '') continue;
    const start = token.start + token.raw.indexOf(bare);
    const commaMarked = /,$/.test(token.raw) || /,$/.test(raw[i - 1]?.raw ?? '');
    words.push({ word: bare.toLowerCase(), start, end: start + bare.length, commaMarked });
  }
  const kept: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const current = words[i] as (typeof words)[number];
    if (VOCAL_FILLERS.has(current.word) || (current.word === 'like' && current.commaMarked)) continue;
    const phrase = FILLER_PHRASES.find((p) => p.every((w, k) => words[i + k]?.word === w));
    if (phrase) {
      i += phrase.length - 1;
      continue;
    }
    kept.push({ word: current.word, start: current.start, end: current.end });
  }
  return kept;
}

/**
 * Where `quote` is in `text`, tolerating what a faithful copy may still change: curly or straight quotes and
 * apostrophes, any kind of dash, whitespace, capitals, punctuation at word edges and dropped filler words. Every
 * other word must be there, in order and adjacent. The span runs from the first matched word to the last in
 * `text`, so `text.slice(span)` is the passage as it was said. Undefined when the quote is not there or has no
 * words of its own.
 */
export function findQuote(quote: string, text: string, textWords = contentWords(text)): Span | undefined {
  const wanted = contentWords(quote).map((w) => w.word);
  if (wanted.length === 0) return undefined;
  outer: for (let i = 0; i + wanted.length <= textWords.length; i++) {
    for (let k = 0; k < wanted.length; k++) if (textWords[i + k]?.word !== wanted[k]) continue outer;
    const first = textWords[i] as Word;
    const last = textWords[i + wanted.length - 1] as Word;
    return { start: first.start, end: last.end };
  }
  return undefined;
}
