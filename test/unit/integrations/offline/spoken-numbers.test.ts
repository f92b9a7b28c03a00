import { describe, expect, it } from 'vitest';
import { findAmounts } from '../../../../functions/integrations/offline/spoken-numbers';

const read = (text: string) =>
  findAmounts(text).map((a) => [a.value, a.form, text.slice(a.span.start, a.span.end)]);

describe('findAmounts', () => {
  it.each([
    ['assets are right around $1.18 million.', [[1_180_000, 'exact', '$1.18 million']]],
    ['your IRA is now about $212,000', [[212_000, 'exact', '$212,000']]],
    ['about sixty grand in savings', [[60_000, 'exact', 'sixty grand']]],
    ['about six hundred twenty thousand', [[620_000, 'exact', 'six hundred twenty thousand']]],
    ['a hundred thousand death benefit', [[100_000, 'exact', 'a hundred thousand']]],
    ['a million-dollar term policy', [[1_000_000, 'exact', 'a million']]],
    ["It's four sixty-five.", [[465, 'paired', 'four sixty-five']]],
    ['Thirty-eight fifty, yep.', [[3850, 'paired', 'Thirty-eight fifty']]],
    ['Base is two-fifteen.', [[215, 'paired', 'two-fifteen']]],
    ['Fifty-one hundred something', [[5100, 'bare', 'Fifty-one hundred']]],
    ['around a hundred and forty.', [[140, 'bare', 'a hundred and forty']]],
    ['twenty two of them', [[22, 'bare', 'twenty two']]],
    [
      'target is 10% and eight percent',
      [
        [0.1, 'percent', '10%'],
        [0.08, 'percent', 'eight percent'],
      ],
    ],
    ['it is fifty percent', [[0.5, 'percent', 'fifty percent']]],
  ])('%s', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it.each([
    ['the 401(k) and the 403(b)'],
    ['the 1120-S returns'],
    ['back in 2019, or was it 1998'],
    ["working through June of '28"],
    ['on the 21st'],
    ['one of the kids'],
    ['a lot of wedding talk'],
  ])('finds no amount in %s', (text) => {
    expect(read(text)).toEqual([]);
  });
});
