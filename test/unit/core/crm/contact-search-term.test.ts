import { describe, expect, it } from 'vitest';
import { contactSearchTerm } from '../../../../functions/core/crm/contact-search-term';

describe('contactSearchTerm', () => {
  it.each([
    ['Margaret Okafor', 'Okafor'],
    ['  bob   smith  ', 'smith'],
    ['Robert Smith Jr.', 'Smith'],
    ['Robert Smith, Jr.', 'Smith'],
    ['Robert Smith III, CFP', 'Smith'],
    ['Smith, Robert', 'Smith'],
    ["Róisín O'Brien", "O'Brien"],
    ['Anne Smith-Jones', 'Smith-Jones'],
    ['Dr. Jane (Janie) Doe', 'Doe'],
    ['Cher', 'Cher'],
  ])('%j → %j', (name, term) => {
    expect(contactSearchTerm(name)).toBe(term);
  });

  it('falls back to the trimmed name when no word is left', () => {
    expect(contactSearchTerm(' Jr. ')).toBe('Jr.');
    expect(contactSearchTerm('???')).toBe('???');
  });

  it('never lets separators such as quotes at the edge or backslashes through', () => {
    expect(contactSearchTerm("Eve Qu'x'")).toBe("Qu'x");
    expect(contactSearchTerm('Eve a\\b')).toBe('b');
  });
});
