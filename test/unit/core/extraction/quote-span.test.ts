import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteAround, sentenceSpans } from '../../../../functions/core/extraction/quote-span';

const words = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;

describe('sentenceSpans', () => {
  it('splits at sentence ends but not inside amounts or after abbreviations', () => {
    const text = 'Happy St. Patrick’s Day! Assets are $1.18 million. Really? Yes.';
    expect(sentenceSpans(text).map((s) => text.slice(s.start, s.end))).toEqual([
      'Happy St. Patrick’s Day!',
      'Assets are $1.18 million.',
      'Really?',
      'Yes.',
    ]);
  });
});

describe('quoteAround', () => {
  it('quotes the sentence holding the match', () => {
    const text = 'Okay. I will send you the form by Friday. Anything else?';
    expect(quoteAround(text, { start: 13, end: 17 })).toBe('I will send you the form by Friday.');
  });

  it('widens a short sentence with its neighbours to four words', () => {
    const text = "She said she would. I'll remind her.";
    expect(quoteAround(text, { start: 20, end: 36 })).toBe("She said she would. I'll remind her.");
  });

  it('returns a whole utterance shorter than four words', () => {
    expect(quoteAround('Thanks again.', { start: 0, end: 6 })).toBe('Thanks again.');
  });

  it('is always an exact substring of 4–40 words holding the match, for any text', () => {
    const word = fc.stringMatching(/^[A-Za-z$%'’—0-9]{1,8}[.?!,]?$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 4, maxLength: 120 }), fc.nat(), fc.nat(), (tokens, a, b) => {
        const text = tokens.join(' ');
        const start = a % text.length;
        const end = Math.min(text.length, start + 1 + (b % 30));
        const quote = quoteAround(text, { start, end });
        expect(text).toContain(quote);
        expect(words(quote)).toBeGreaterThanOrEqual(Math.min(4, words(text)));
        expect(words(quote)).toBeLessThanOrEqual(40);
      }),
    );
  });
});
