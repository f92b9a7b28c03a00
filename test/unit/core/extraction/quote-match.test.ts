import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentWords, findQuote } from '../../../../functions/core/extraction/quote-match';

const passage = (quote: string, text: string) => {
  const span = findQuote(quote, text);
  return span && text.slice(span.start, span.end);
};

describe('findQuote', () => {
  it.each([
    ['curly apostrophes for straight', "I don't think it's safe", 'I don’t think it’s safe'],
    ['straight apostrophes for curly', 'I don’t think it’s safe', "I don't think it's safe"],
    ['straight double quotes for curly', 'she said “no more risk” to me', 'she said "no more risk" to me'],
    ['a hyphen for an em dash', 'the fund — it just goes up', 'the fund - it just goes up'],
    ['an em dash for an en dash', 'twelve years–not one red year', 'twelve years—not one red year'],
    ['a dash for a space', 'a two-times leveraged tech ETF', 'a two times leveraged tech ETF'],
    ['line breaks and double spaces', 'move the money next week', 'move  the\nmoney next week'],
    ['a capital at the start', 'honestly, it just doesn’t go down', "Honestly, it just doesn't go down"],
    [
      'a dropped "um"',
      'finished the year up, um, a little over 9% after fees',
      'finished the year up, a little over 9% after fees',
    ],
    [
      'a dropped "uh" without its commas',
      'we, uh, moved the IRA last spring',
      'we moved the IRA last spring',
    ],
    ['a dropped "you know"', 'it is, you know, a lot of money for us', 'it is, a lot of money for us'],
    ['a dropped "I mean"', 'I mean, the fee was never mentioned to us', 'the fee was never mentioned to us'],
    ['a dropped filler "like"', 'it was, like, twenty thousand in fees', 'it was twenty thousand in fees'],
    [
      'a filler kept where the transcript dropped it',
      'we moved the IRA last spring',
      'we, um, moved the IRA last spring',
    ],
  ])('accepts %s', (_, text, quote) => {
    expect(findQuote(quote, text)).toBeDefined();
  });

  it('gives back the passage as the transcript has it, fillers and typography included', () => {
    const text = 'Well — the household portfolio finished the year up, um, a little over 9% after fees.';
    expect(passage('household portfolio finished the year up, a little over 9% after fees', text)).toBe(
      'household portfolio finished the year up, um, a little over 9% after fees',
    );
    expect(passage('it just doesn’t go down', "Honestly, it just doesn't go down.")).toBe(
      "it just doesn't go down",
    );
  });

  it.each([
    ['a changed word', 'the fund cannot lose money', 'the fund will not lose money'],
    [
      'a dropped word that is not a filler',
      'it is kind of guaranteed by the bank',
      'it is guaranteed by the bank',
    ],
    ['"like" that compares, dropped', "it's like a CD with better returns", "it's a CD with better returns"],
    ['a dropped apostrophe', "I'll send you the beneficiary form", 'Ill send you the beneficiary form'],
    ['a changed number', 'about 5% a year after fees', 'about 6% a year after fees'],
    ['words out of order', 'we will send the form on Friday', 'we will send on Friday the form'],
    [
      'words joined across a gap',
      'send the form. Then call the custodian',
      'send the form call the custodian',
    ],
    ['only fillers', 'um, uh, you know', 'um, you know'],
    ['an empty quote', 'anything at all here', ''],
  ])('refuses %s', (_, text, quote) => {
    expect(findQuote(quote, text)).toBeUndefined();
  });

  // One content word each; not half of a filler phrase ("you know", "I mean"), which only drops as a pair.
  const word = fc
    .stringMatching(/^[A-Za-z0-9$%'’]{1,8}[.?!,]?$/)
    .filter((w) => contentWords(w).length === 1 && !/^(?:you|know|i|mean)\W*$/i.test(w));
  const typographic = (text: string) =>
    text.replace(/’/g, "'").replace(/'/g, '’').replace(/ - /g, ' — ').replace(/\s+/g, '  ');

  it('finds every run of words of an utterance, however its quotes, dashes, case and spaces are written', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 60 }),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (tokens, a, b, upper) => {
          const text = tokens.join(' ');
          const from = a % tokens.length;
          const to = from + 1 + (b % (tokens.length - from));
          const run = tokens.slice(from, to).join(' ');
          const quote = upper ? typographic(run).toUpperCase() : typographic(run);
          const span = findQuote(quote, text);
          expect(span).toBeDefined();
          // The passage is the transcript's own text, holding the run's words.
          const found = text.slice(span?.start, span?.end);
          expect(text).toContain(found);
          expect(contentWords(found).map((w) => w.word)).toEqual(contentWords(run).map((w) => w.word));
        },
      ),
    );
  });

  it('finds a run with fillers dropped from it', () => {
    const filler = fc.constantFrom('um,', 'uh,', 'you know,', 'I mean,', 'like,', 'Um', 'uh');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(word, fc.option(filler, { nil: undefined })), { minLength: 2, maxLength: 40 }),
        (pairs) => {
          const text = pairs.map(([w, f]) => (f ? `${w} ${f}` : w)).join(' ');
          const quote = pairs.map(([w]) => w.replace(/,$/, '')).join(' ');
          expect(findQuote(quote, text)).toBeDefined();
        },
      ),
    );
  });

  it('never finds a quote with a word the utterance does not have', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 4, maxLength: 60 }), fc.nat(), fc.nat(), (tokens, a, b) => {
        const text = tokens.join(' ');
        const from = a % tokens.length;
        const run = tokens.slice(from, from + 4 + (b % 8));
        // A word with a character no generated word has: the quote now says something that was not said.
        const changed = [...run];
        changed.splice(b % run.length, 1, 'zq#x');
        expect(findQuote(changed.join(' '), text)).toBeUndefined();
      }),
    );
  });
});
